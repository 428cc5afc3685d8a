import type { ComponentChildren } from 'preact';
import { t } from '@/lib/i18n';
import { isUrgent } from '@/lib/schema';
import { isAnonymous } from './destinations';
import { SealedNote } from './SealedNote';
import type { StepProps } from './types';

/** Everything that will be sent, in words, each with a way back to change it. Captured content is shown as text. */
export function CheckStep({ details, summary, items, goTo, destinations }: StepProps) {
  const incident = details.incident ?? {};
  const reporter = details.reporter ?? {};
  const urgent = isUrgent({ immediateDanger: false, perpetratorIdentityKnown: false, relatesToFutureEvent: false, ...details.urgency });
  const contactDetails = [reporter.name, reporter.email, reporter.phone].filter(Boolean).join(', ');
  const list = (values: readonly string[] | undefined, key: (value: string) => string) => (values?.length ? values.map(key).join(', ') : undefined);
  return (
    <>
      <p>{t('check.intro')}</p>
      <dl class="check">
        <Row label={t('urgency.title')} step="urgency" goTo={goTo}>{urgent ? t('check.urgent') : t('check.notUrgent')}</Row>
        <Row label={t('who.role')} step="who" goTo={goTo}>{reporter.role && t(`who.${reporter.role}`)}</Row>
        <Row label={t('what.summary')} step="what" goTo={goTo}>{summary.trim() || undefined}</Row>
        <Row label={t('characteristics.legend')} step="characteristics" goTo={goTo}>
          {list(incident.targetedCharacteristics, (value) => t(`category.${value as 'race'}`))}
        </Row>
        <Row label={t('harm.legend')} step="harm" goTo={goTo}>{list(incident.harmTypes, (value) => t(`harm.${value as 'threat'}`))}</Row>
        <Row label={t('when.firstSeen')} step="when" goTo={goTo}>{incident.firstSeenAt?.slice(0, 10)}</Row>
        <Row label={t('when.ongoing')} step="when" goTo={goTo}>{yesNo(incident.ongoing)}</Row>
        <Row label={t('impact.label')} step="impact" goTo={goTo}>{incident.impact?.trim() || undefined}</Row>
        <Row label={t('contact.anonymous')} step="contact" goTo={goTo}>
          {isAnonymous(details) ? t('check.anonymous') : contactDetails || t('form.no')}
        </Row>
        <Row label={t('items.title')} step="items" goTo={goTo}>{t('check.items', { count: items.length })}</Row>
      </dl>
      {/* Under the details it concerns; it follows the organisations ticked below, which the person may change here. */}
      {!isAnonymous(details) && (contactDetails || reporter.accessNeeds?.trim()) && (
        <SealedNote destinations={destinations} emailUpdates={Boolean(reporter.email?.trim() && reporter.consents?.emailUpdates)} />
      )}
    </>
  );
}

function yesNo(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : value ? t('form.yes') : t('form.no');
}

function Row({ label, step, goTo, children }: { label: string; step: string; goTo(step: string): void; children: ComponentChildren }) {
  const answered = children !== undefined && children !== '';
  return (
    <div class="check-row">
      <dt>{label}</dt>
      <dd>
        {answered ? children : <span class="hint">{t('check.notAnswered')}</span>}{' '}
        <button type="button" class="link" onClick={() => goTo(step)}>
          {t('check.change')}
          <span class="visually-hidden">: {label}</span>
        </button>
      </dd>
    </div>
  );
}
