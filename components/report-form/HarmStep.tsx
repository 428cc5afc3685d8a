import { t } from '@/lib/i18n';
import { HarmType, LIMITS } from '@/lib/schema';
import { CheckboxGroup, TextField } from './fields';
import type { StepProps } from './types';

export function HarmStep({ details, errors, change }: StepProps) {
  const chosen = details.incident?.harmTypes ?? [];
  return (
    <>
      <CheckboxGroup
        path="incident.harmTypes"
        legend={t('harm.legend')}
        errors={errors}
        value={chosen}
        options={HarmType.options.map((value) => ({ value, label: t(`harm.${value}`) }))}
        onChange={(harmTypes) => change({ incident: { harmTypes } })}
      />
      {chosen.includes('other') && (
        <TextField
          path="incident.harmTypeOther"
          label={t('harm.otherText')}
          value={details.incident?.harmTypeOther}
          onInput={(value) => change({ incident: { harmTypeOther: value } })}
          errors={errors}
          maxLength={LIMITS.shortText}
        />
      )}
    </>
  );
}
