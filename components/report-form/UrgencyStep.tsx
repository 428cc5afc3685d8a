import { t } from '@/lib/i18n';
import { isUrgent, Urgency } from '@/lib/schema';
import { YesNo } from './fields';
import type { StepProps } from './types';

const QUESTIONS = Urgency.keyof().options;

/** Asked first, because the answer changes what the person should do next: any yes means call 999 now. */
export function UrgencyStep({ details, errors, change }: StepProps) {
  const answers = details.urgency ?? {};
  const urgent = isUrgent({ immediateDanger: false, perpetratorIdentityKnown: false, relatesToFutureEvent: false, ...answers });
  return (
    <>
      <p>{t('urgency.intro')}</p>
      {QUESTIONS.map((question) => (
        <YesNo
          key={question}
          path={`urgency.${question}`}
          legend={t(`urgency.${question}`)}
          value={answers[question]}
          errors={errors}
          onChange={(value) => change({ urgency: { [question]: value } })}
        />
      ))}
      {urgent && (
        <div class="urgent" role="alert" data-testid="urgent">
          <p class="call-now">{t('urgency.callNow')}</p>
          <p>{t('urgency.marked')}</p>
        </div>
      )}
    </>
  );
}
