import { t } from '@/lib/i18n';
import { AgeBand, ReporterRole, type Reporter } from '@/lib/schema';
import { FieldError, RadioGroup } from './fields';
import type { StepProps } from './types';

type Age = NonNullable<Reporter['ageBand']>;

export function WhoStep({ details, errors, change }: StepProps) {
  const reporter = details.reporter ?? {};
  return (
    <>
      <RadioGroup
        path="reporter.role"
        legend={t('who.role')}
        errors={errors}
        value={reporter.role}
        options={ReporterRole.options.map((role) => ({ value: role, label: t(`who.${role}`) }))}
        onChange={(role) => change({ reporter: { role } })}
      />
      <label for="reporter.ageBand">
        {t('who.ageBand')} <span class="optional">{t('form.optional')}</span>
      </label>
      <FieldError path="reporter.ageBand" errors={errors} />
      <select
        id="reporter.ageBand"
        value={reporter.ageBand ?? ''}
        onChange={(event) => {
          const value = event.currentTarget.value;
          change({ reporter: { ageBand: value ? (value as Age) : undefined } });
        }}
      >
        <option value="">{t('who.ageUnset')}</option>
        {AgeBand.options.map((band) => (
          <option key={band} value={band}>
            {t(`who.age.${band}`)}
          </option>
        ))}
      </select>
    </>
  );
}
