/**
 * The widget's steps: the shared step table (`lib/report/steps.ts`, the extension's too: the same order, the same report
 * paths, so an error from the hub opens the step that can fix it), drawn with the same questions, except that the
 * captured items become pasted addresses with uploaded screenshots.
 */
import type { ComponentChildren } from 'preact';
import { dayToInstant, instantToDay } from '@/lib/report/dates';
import { FORM_STEPS, type FormStep, type StepId } from '@/lib/report/steps';
import type { Discovery, Urgency } from '@/lib/schema';
import { isUrgent, LIMITS } from '@/lib/schema/vocabulary';
import { read, type Answers } from './answers';
import { Box, Choices, Text, type FormState } from './fields';
import { t } from './i18n';
import { Items } from './Items';
import { say } from './language';
import { AGES, CATEGORIES, CHANNELS, CONSENTS, HARMS, ROLES } from './labels';
import type { WidgetItem } from './report';

export interface StepContext extends FormState {
  discovery: Discovery;
  items: WidgetItem[];
  setItems(items: WidgetItem[]): void;
  goTo(step: string): void;
  /** The steps that apply to these answers, in order; the check is the last. */
  steps: readonly Step[];
}

/** A shared step as the widget draws it. */
export interface Step extends FormStep {
  /** In words. */
  title: string;
  Body(context: StepContext): ComponentChildren;
}

const yes = (answers: Answers, path: string) => read(answers, path) === true;
/** Anonymous unless the person said otherwise, the default `reportFromAnswers` uses. */
export const anonymous = (answers: Answers) => read(answers, 'reporter.anonymous') !== false;

/** Any yes to the urgency questions; one not answered is undefined, which counts as no, as in the report. */
const urgent = (answers: Answers) => isUrgent((answers.urgency ?? {}) as Urgency);

const note = (text: string) => <p class="note" role="status">{text}</p>;

/** A date input over an instant: the person gives a day, the report keeps its UTC midnight. */
function DateField(props: { path: string; label: string; hint?: string } & FormState) {
  return (
    <Text {...props} type="date" value={instantToDay(read(props.answers, props.path) as string | undefined)}
      onInput={(day) => props.set(props.path, dayToInstant(day))} />
  );
}

/** How the widget draws each shared step: its title and its questions. */
const VIEWS: Record<StepId, Pick<Step, 'title' | 'Body'>> = {
  urgency: {
    title: t('urgency.title'),
    Body: (state) => (
      <>
        <p>{t('urgency.intro')}</p>
        <Choices {...state} path="urgency.immediateDanger" legend={t('urgency.immediateDanger')} />
        <Choices {...state} path="urgency.perpetratorIdentityKnown" legend={t('urgency.perpetratorIdentityKnown')} />
        <Choices {...state} path="urgency.relatesToFutureEvent" legend={t('urgency.relatesToFutureEvent')} />
        {urgent(state.answers) && (
          <div class="urgent" role="alert" data-testid="urgent">
            <p><strong>{t('urgency.callNow')}</strong></p>
            <p>{t('urgency.marked')}</p>
          </div>
        )}
      </>
    ),
  },
  who: {
    title: t('who.title'),
    Body: (state) => <Choices {...state} path="reporter.role" legend={t('who.role')} options={ROLES} />,
  },
  what: {
    title: t('what.title'),
    Body: (state) => {
      const left = LIMITS.summary - ((read(state.answers, 'incident.summary') as string | undefined) ?? '').length;
      return (
        <>
          <Text {...state} path="incident.summary" label={t('what.summary')} hint={t('what.hint')} max={LIMITS.summary} long optional={false} />
          <p class="hint" aria-live="polite">{t('what.remaining', { count: left })}</p>
        </>
      );
    },
  },
  characteristics: {
    title: t('characteristics.title'),
    Body: (state) => {
      const chosen = (read(state.answers, 'incident.targetedCharacteristics') as Array<keyof typeof CATEGORIES> | undefined) ?? [];
      const notTaken = chosen.filter((value) => value !== 'other' && !state.discovery.categories.includes(value));
      return (
        <>
          <Choices many {...state} path="incident.targetedCharacteristics" legend={t('characteristics.legend')} options={CATEGORIES} />
          {chosen.includes('other') && <Text {...state} path="incident.targetedCharacteristicOther" label={t('characteristics.other')} max={LIMITS.shortText} />}
          {notTaken.length > 0 &&
            note(t('widget.notTaken', { name: state.discovery.name, categories: notTaken.map((value) => say(CATEGORIES[value])).join(', ') }))}
        </>
      );
    },
  },
  harm: {
    title: t('harm.title'),
    Body: (state) => (
      <>
        <Choices many {...state} path="incident.harmTypes" legend={t('harm.legend')} options={HARMS} />
        {((read(state.answers, 'incident.harmTypes') as string[] | undefined) ?? []).includes('other') && (
          <Text {...state} path="incident.harmTypeOther" label={t('harm.otherText')} max={LIMITS.shortText} />
        )}
      </>
    ),
  },
  when: {
    title: t('when.title'),
    Body: (state) => (
      <>
        <DateField {...state} path="incident.firstSeenAt" label={t('when.firstSeen')} hint={t('when.hint')} />
        <Choices {...state} path="incident.ongoing" legend={t('when.ongoing')} />
      </>
    ),
  },
  impact: {
    title: t('impact.title'),
    Body: (state) => (
      <>
        <Text {...state} path="incident.impact" label={t('impact.label')} hint={t('impact.hint')} max={LIMITS.longText} long />
        <Box id="reporter.wantsSupport" label={t('impact.wantsSupport')} checked={yes(state.answers, 'reporter.wantsSupport')}
          onChange={(on) => state.set('reporter.wantsSupport', on)} />
      </>
    ),
  },
  prior: {
    title: t('prior.title'),
    Body: (state) => (
      <>
        <Choices {...state} path="incident.reportedToPlatform" legend={t('prior.reportedToPlatform')} />
        {yes(state.answers, 'incident.reportedToPlatform') && (
          <>
            <DateField {...state} path="incident.priorActions.reportedToPlatform.at" label={t('prior.platformAt')} />
            <Text {...state} path="incident.priorActions.reportedToPlatform.reference" label={t('prior.platformReference')} max={LIMITS.shortText} />
            <Text {...state} path="incident.priorActions.reportedToPlatform.response" label={t('prior.platformResponse')} max={LIMITS.longText} long />
          </>
        )}
        <Text {...state} path="incident.priorActions.policeReference" label={t('prior.policeReference')} max={LIMITS.shortText} />
      </>
    ),
  },
  contact: {
    title: t('contact.title'),
    Body: (state) => (
      <>
        <Choices {...state} path="reporter.anonymous" legend={t('contact.anonymous')} hint={t('contact.anonymousHint')} />
        {!state.discovery.acceptsAnonymous && anonymous(state.answers) && note(t('widget.anonymousRefused', { name: state.discovery.name }))}
        {!anonymous(state.answers) && (
          <>
            {/* Before the first field, as in the extension: the details are sealed to the key the organisation publishes (sealing.ts). */}
            {state.discovery.encryptionKey && note(t('contact.sealed', { organisations: state.discovery.name }))}
            <Text {...state} path="reporter.name" label={t('contact.name')} max={LIMITS.shortText} />
            <Text {...state} path="reporter.email" label={t('contact.email')} type="email" />
            {/* Only with an address, as in the extension: the hub's email says only that something changed. */}
            {(read(state.answers, 'reporter.email') as string | undefined)?.trim() && (
              <>
                <Box id="reporter.consents.emailUpdates" label={t('contact.consent.emailUpdates')} checked={yes(state.answers, 'reporter.consents.emailUpdates')}
                  onChange={(on) => state.set('reporter.consents.emailUpdates', on)} />
                {/* The hub must write to that address, so it stays readable. */}
                {state.discovery.encryptionKey && yes(state.answers, 'reporter.consents.emailUpdates') && note(t('contact.sealedEmailUpdates'))}
              </>
            )}
            <Text {...state} path="reporter.phone" label={t('contact.phone')} type="tel" />
            <Choices {...state} path="reporter.contact.channel" legend={t('contact.channel')} options={CHANNELS} />
            <Text {...state} path="reporter.contact.safeTimes" label={t('contact.safeTimes')} max={LIMITS.shortText} />
            <Text {...state} path="reporter.accessNeeds" label={t('contact.accessNeeds')} max={LIMITS.longText} long />
          </>
        )}
        <Choices {...state} path="reporter.ageBand" legend={t('contact.ageBand')} options={AGES} />
        <fieldset id="reporter.consents">
          <legend>{t('contact.consents')}</legend>
          {(['police', 'platform', 'supportReferral', ...(anonymous(state.answers) ? [] : (['shareContact'] as const))] as const).map((consent) => (
            <Box key={consent} id={`reporter.consents.${consent}`} label={CONSENTS[consent]}
              checked={yes(state.answers, `reporter.consents.${consent}`)} onChange={(on) => state.set(`reporter.consents.${consent}`, on)} />
          ))}
        </fieldset>
      </>
    ),
  },
  grounds: {
    title: t('grounds.title'),
    Body: (state) => (
      <>
        <p>{t('grounds.intro')}</p>
        <Text {...state} path="grounds.explanation" label={t('grounds.explanation')} max={LIMITS.summary} long />
        <Box id="grounds.goodFaith.accepted" label={t('grounds.goodFaith')} checked={Boolean(read(state.answers, 'grounds.goodFaithAt'))}
          onChange={(on) => state.set('grounds.goodFaithAt', on ? new Date().toISOString() : undefined)} />
      </>
    ),
  },
  items: { title: t('widget.items.title'), Body: (context) => <Items {...context} /> },
  check: {
    title: t('check.title'),
    Body: ({ answers, items, goTo, steps }) => (
      <>
        <p>{t('check.intro')}</p>
        <dl>
          {steps.slice(0, -1).map((step) => (
            <div key={step.id}>
              <dt>{step.title}</dt>
              <dd>
                {step.id === 'urgency' && (urgent(answers) ? t('check.urgent') : t('check.notUrgent'))}
                {/* The person's own words, in an array so that no language pack translates them. */}
                {step.id === 'what' && [read(answers, 'incident.summary') as string | undefined]}
                {step.id === 'contact' && anonymous(answers) && t('check.anonymous')}
                {step.id === 'items' &&
                  t('widget.check.items', { count: items.filter((item) => item.url.trim()).length, files: items.reduce((sum, item) => sum + item.uploads.length, 0) })}{' '}
                <button type="button" class="link" part="link" onClick={() => goTo(step.id)} aria-label={`${say(t('check.change'))}: ${say(step.title)}`}>
                  {t('check.change')}
                </button>
              </dd>
            </div>
          ))}
        </dl>
      </>
    ),
  },
};

export const STEPS: readonly Step[] = FORM_STEPS.map((step) => ({ ...step, ...VIEWS[step.id] }));
