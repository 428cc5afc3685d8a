import { t } from '@/lib/i18n';
import { LIMITS } from '@/lib/schema';
import { Checkbox, TextField } from './fields';
import type { StepProps } from './types';

export function ImpactStep({ details, errors, change }: StepProps) {
  return (
    <>
      <TextField
        path="incident.impact"
        label={t('impact.label')}
        hint={t('impact.hint')}
        optional
        multiline
        maxLength={LIMITS.longText}
        value={details.incident?.impact}
        onInput={(impact) => change({ incident: { impact } })}
        errors={errors}
      />
      <Checkbox
        id="reporter.wantsSupport"
        label={t('impact.wantsSupport')}
        checked={details.reporter?.wantsSupport ?? false}
        onChange={(wantsSupport) => change({ reporter: { wantsSupport } })}
      />
    </>
  );
}
