import { t } from '@/lib/i18n';
import { ReporterRole } from '@/lib/schema';
import { RadioGroup } from './fields';
import type { StepProps } from './types';

/** Who the person is in this. Their age band is asked once, with the contact step's consents (`lib/report/steps.ts`). */
export function WhoStep({ details, errors, change }: StepProps) {
  return (
    <RadioGroup
      path="reporter.role"
      legend={t('who.role')}
      errors={errors}
      value={details.reporter?.role}
      options={ReporterRole.options.map((role) => ({ value: role, label: t(`who.${role}`) }))}
      onChange={(role) => change({ reporter: { role } })}
    />
  );
}
