import { t } from '@/lib/i18n';
import { LIMITS } from '@/lib/schema';
import { dayToInstant, instantToDay } from '@/lib/report/dates';
import { TextField, YesNo } from './fields';
import type { StepProps } from './types';

/** Earlier reports: the platform's reference and answer help a police officer or a platform find the case. */
export function PriorStep({ details, errors, change }: StepProps) {
  const incident = details.incident ?? {};
  const platform = incident.priorActions?.reportedToPlatform ?? {};
  const setPlatform = (patch: Partial<typeof platform>) =>
    change({ incident: { priorActions: { ...incident.priorActions, reportedToPlatform: { ...platform, ...patch } } } });
  return (
    <>
      <YesNo
        path="incident.priorActions.reportedToPlatform"
        legend={t('prior.reportedToPlatform')}
        value={incident.reportedToPlatform}
        errors={errors}
        onChange={(reportedToPlatform) => change({ incident: { reportedToPlatform } })}
      />
      {incident.reportedToPlatform && (
        <div class="follow-on">
          <TextField
            path="incident.priorActions.reportedToPlatform.at"
            type="date"
            label={t('prior.platformAt')}
            optional
            value={instantToDay(platform.at)}
            onInput={(day) => setPlatform({ at: dayToInstant(day) })}
            errors={errors}
          />
          <TextField
            path="incident.priorActions.reportedToPlatform.reference"
            label={t('prior.platformReference')}
            optional
            maxLength={LIMITS.shortText}
            value={platform.reference}
            onInput={(reference) => setPlatform({ reference })}
            errors={errors}
          />
          <TextField
            path="incident.priorActions.reportedToPlatform.response"
            label={t('prior.platformResponse')}
            optional
            multiline
            maxLength={LIMITS.longText}
            value={platform.response}
            onInput={(response) => setPlatform({ response })}
            errors={errors}
          />
        </div>
      )}
      <TextField
        path="incident.priorActions.policeReference"
        label={t('prior.policeReference')}
        optional
        maxLength={LIMITS.shortText}
        value={incident.priorActions?.policeReference}
        onInput={(policeReference) => change({ incident: { priorActions: { ...incident.priorActions, policeReference } } })}
        errors={errors}
      />
    </>
  );
}
