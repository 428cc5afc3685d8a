import { t } from '@/lib/i18n';
import { Urgency } from '@/lib/schema';
import { emergencyNumbersFor, UrgencyAdvice, WhenToCall } from '../UrgencyAdvice';
import { YesNo } from './fields';
import type { StepProps } from './types';

const QUESTIONS = Urgency.keyof().options;

/**
 * Asked first, because the answer changes what the person should do next: danger now means call the emergency number
 * now. When each number applies is always shown, in the numbers of the organisation the report goes to.
 */
export function UrgencyStep({ details, errors, change, destinations }: StepProps) {
  const answers = details.urgency ?? {};
  const numbers = emergencyNumbersFor(destinations);
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
      <UrgencyAdvice answers={answers} numbers={numbers} />
      <WhenToCall numbers={numbers} danger={answers.immediateDanger === true} />
    </>
  );
}
