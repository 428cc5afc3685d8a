import { t } from '@/lib/i18n';
import type { Urgency } from '@/lib/schema';
import type { EmergencyNumbers } from '@/lib/schema';
import type { Endpoint } from '@/extension/settings';

/** The UK's numbers, for organisations that do not give their own in discovery. */
export const UK_NUMBERS: EmergencyNumbers = { emergency: '999', nonEmergency: '101' };

/**
 * The numbers to tell the person about: those of the first chosen organisation that gives its own in discovery (an
 * organisation outside the UK), else the UK's.
 */
export function emergencyNumbersFor(destinations: readonly Endpoint[]): EmergencyNumbers {
  return destinations.find((endpoint) => endpoint.discovery.emergencyNumbers)?.discovery.emergencyNumbers ?? UK_NUMBERS;
}

/**
 * What to do now, from the urgency answers so far: danger now means call the emergency number now; something planned
 * means the emergency number if it could happen soon, the non-emergency one otherwise; knowing who it is alone is no
 * emergency (it marks the report urgent, but says nothing about calling 999).
 */
export function UrgencyAdvice({ answers, numbers }: { answers: Partial<Urgency>; numbers: EmergencyNumbers }) {
  const { emergency, nonEmergency } = numbers;
  if (answers.immediateDanger) {
    return (
      <div class="urgent" role="alert" data-testid="urgent">
        <p class="call-now">{t('urgency.callEmergency', { emergency })}</p>
        {emergency === UK_NUMBERS.emergency && <p>{t('urgency.silent')}</p>}
        <p>{t('urgency.marked')}</p>
      </div>
    );
  }
  const advice = answers.relatesToFutureEvent
    ? nonEmergency
      ? t('urgency.futureEvent', { emergency, nonEmergency })
      : t('urgency.futureEventNoNumber', { emergency })
    : answers.perpetratorIdentityKnown
      ? nonEmergency
        ? t('urgency.knownPerson', { nonEmergency })
        : t('urgency.knownPersonNoNumber')
      : undefined;
  if (!advice) return null;
  return (
    <div class="note" role="status" data-testid="urgency-advice">
      <p>{advice}</p>
      <p>{t('urgency.markedPriority')}</p>
    </div>
  );
}

/** When each number applies, always on the urgency step: a person should not have to answer yes to find out. */
export function WhenToCall({ numbers, danger = false }: { numbers: EmergencyNumbers; danger?: boolean }) {
  const { emergency, nonEmergency } = numbers;
  return (
    <section class="when-to-call" aria-labelledby="when-to-call-heading" data-testid="when-to-call">
      <h3 id="when-to-call-heading">{t('urgency.numbersHeading')}</h3>
      <p>{t('urgency.when999', { emergency })}</p>
      {/* Said once: the alert above already says it when there is danger now. */}
      {emergency === UK_NUMBERS.emergency && !danger && <p>{t('urgency.silent')}</p>}
      <p>{nonEmergency ? t('urgency.when101', { nonEmergency }) : t('urgency.whenNoNumber')}</p>
    </section>
  );
}
