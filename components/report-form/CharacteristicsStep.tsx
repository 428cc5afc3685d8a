import { t } from '@/lib/i18n';
import { LIMITS, TargetedCharacteristic } from '@/lib/schema';
import { CheckboxGroup, TextField } from './fields';
import type { StepProps } from './types';

/**
 * Which characteristics were targeted. When the chosen organisations said they take reports about only some of
 * them, the others are still offered (a person should not have to fit a box) with a gentle note.
 */
export function CharacteristicsStep({ details, errors, change, destinations }: StepProps) {
  const chosen = details.incident?.targetedCharacteristics ?? [];
  const accepted = new Set(destinations.flatMap((endpoint) => endpoint.discovery.categories));
  const notTaken = destinations.length ? chosen.filter((value) => value !== 'other' && !accepted.has(value)) : [];
  return (
    <>
      <CheckboxGroup
        path="incident.targetedCharacteristics"
        legend={t('characteristics.legend')}
        errors={errors}
        value={chosen}
        options={TargetedCharacteristic.options.map((value) => ({ value, label: t(`category.${value}`) }))}
        onChange={(targetedCharacteristics) => change({ incident: { targetedCharacteristics } })}
      />
      {chosen.includes('other') && (
        <TextField
          path="incident.targetedCharacteristicOther"
          label={t('characteristics.other')}
          value={details.incident?.targetedCharacteristicOther}
          onInput={(value) => change({ incident: { targetedCharacteristicOther: value } })}
          errors={errors}
          maxLength={LIMITS.shortText}
        />
      )}
      {notTaken.length > 0 && (
        <p class="note" role="status">
          {t('characteristics.notTaken', { categories: notTaken.map((value) => t(`category.${value}`)).join(', ') })}
        </p>
      )}
    </>
  );
}
