import { t } from '@/lib/i18n';
import { dayToInstant, instantToDay } from '@/lib/report/dates';
import { TextField, YesNo } from './fields';
import type { StepProps } from './types';

export function WhenStep({ details, errors, change }: StepProps) {
  const incident = details.incident ?? {};
  return (
    <>
      <TextField
        path="incident.firstSeenAt"
        type="date"
        label={t('when.firstSeen')}
        hint={t('when.hint')}
        optional
        value={instantToDay(incident.firstSeenAt)}
        onInput={(day) => change({ incident: { firstSeenAt: dayToInstant(day) } })}
        errors={errors}
      />
      <YesNo
        path="incident.ongoing"
        legend={t('when.ongoing')}
        value={incident.ongoing}
        errors={errors}
        onChange={(ongoing) => change({ incident: { ongoing } })}
      />
    </>
  );
}
