/**
 * The reporter-facing satisfaction question (a closed report, on the reports page) and the optional equality monitoring
 * questions (after sending, on the done page). Both in the GOV.UK radios pattern: a fieldset whose legend is the
 * question, one choice per row. Monitoring says why it is asked and that answers are used only in aggregate; every
 * question is optional with "prefer not to say", and the whole set can be skipped.
 */
import { useState } from 'preact/hooks';
import { t, type MessageKey } from '@/lib/i18n';
import { broadKey, monitoringValueKey } from '@/lib/i18n/satisfaction';
import {
  ETHNIC_GROUP_BROAD,
  ETHNIC_GROUPS,
  MONITORING_QUESTIONS,
  MONITORING_VALUES,
  PREFER_NOT_TO_SAY,
  SATISFACTION_COMMENT_MAX,
  SATISFACTION_SCORES,
  type MonitoringAnswers,
  type MonitoringQuestion,
  type SatisfactionAnswer,
} from '@/lib/schema';

/** The satisfaction question for one organisation's closed report, or the thanks once answered. */
export function SatisfactionQuestion({ id, state, send }: { id: string; state: 'open' | 'answered'; send: (answer: SatisfactionAnswer) => Promise<void> }) {
  const [score, setScore] = useState<number>();
  const [comment, setComment] = useState('');
  const [unchosen, setUnchosen] = useState(false);
  if (state === 'answered') {
    return (
      <section class="question" data-testid="satisfaction" aria-labelledby={`${id}-heading`}>
        <h3 id={`${id}-heading`}>{t('satisfaction.heading')}</h3>
        <p role="status">{t('satisfaction.answered')}</p>
      </section>
    );
  }
  return (
    <section class="question" data-testid="satisfaction">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (score === undefined) return setUnchosen(true);
          setUnchosen(false);
          void send({ score, ...(comment.trim() ? { comment } : {}) });
        }}
      >
        <fieldset aria-describedby={unchosen ? `${id}-intro ${id}-error` : `${id}-intro`}>
          <legend>
            <h3>{t('satisfaction.heading')}</h3>
          </legend>
          <p class="hint" id={`${id}-intro`}>
            {t('satisfaction.intro')}
          </p>
          {unchosen && (
            <p class="error" id={`${id}-error`}>
              {t('satisfaction.choose')}
            </p>
          )}
          {[...SATISFACTION_SCORES].reverse().map((value) => (
            <label class="choice" key={value} for={`${id}-${value}`}>
              <input type="radio" id={`${id}-${value}`} name={`${id}-score`} checked={score === value} onChange={() => setScore(value)} />
              {t(`satisfaction.${value}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <label for={`${id}-comment`}>{t('satisfaction.commentLabel')}</label>
        <p class="hint" id={`${id}-comment-hint`}>
          {t('satisfaction.commentHint')}
        </p>
        <textarea
          id={`${id}-comment`}
          rows={3}
          maxLength={SATISFACTION_COMMENT_MAX}
          value={comment}
          aria-describedby={`${id}-comment-hint`}
          onInput={(event) => setComment(event.currentTarget.value)}
        />
        <button type="submit">{t('satisfaction.send')}</button>
      </form>
    </section>
  );
}

/** The options of one monitoring question, in the census's order (ethnic group grouped under its five headings). */
function Options({ question, value, choose }: { question: MonitoringQuestion; value: string | undefined; choose: (value: string) => void }) {
  const radio = (option: string) => (
    <label class="choice" key={option} for={`monitoring-${question}-${option}`}>
      <input type="radio" id={`monitoring-${question}-${option}`} name={`monitoring-${question}`} checked={value === option} onChange={() => choose(option)} />
      {t(monitoringValueKey(question, option) as MessageKey)}
    </label>
  );
  if (question !== 'ethnicGroup') return <>{MONITORING_VALUES[question].map(radio)}</>;
  return (
    <>
      {ETHNIC_GROUP_BROAD.map((broad) => (
        <div key={broad} role="group" aria-labelledby={`monitoring-broad-${broad}`}>
          <p id={`monitoring-broad-${broad}`}>
            <strong>{t(broadKey(broad) as MessageKey)}</strong>
          </p>
          {ETHNIC_GROUPS[broad].map(radio)}
        </div>
      ))}
      {radio(PREFER_NOT_TO_SAY)}
    </>
  );
}

/** The optional monitoring questions after sending: sent once, or skipped. */
export function MonitoringQuestions({ send }: { send: (answers: MonitoringAnswers) => Promise<boolean> }) {
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [done, setDone] = useState<'sent' | 'skipped'>();
  if (done) {
    return (
      <p role="status" data-testid="monitoring-done">
        {t(done === 'sent' ? 'monitoring.sent' : 'monitoring.skipped')}
      </p>
    );
  }
  return (
    <section class="card monitoring" data-testid="monitoring" aria-labelledby="monitoring-heading">
      <h3 id="monitoring-heading">{t('monitoring.heading')}</h3>
      <p>{t('monitoring.why')}</p>
      <p>{t('monitoring.aggregate')}</p>
      <form
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          // Nothing chosen is a skip: nothing is sent, so no empty row is counted.
          if (Object.keys(answers).length === 0) return setDone('skipped');
          if (await send(answers as MonitoringAnswers)) setDone('sent');
        }}
      >
        {MONITORING_QUESTIONS.map((question) => (
          <fieldset key={question} aria-describedby={question === 'ethnicGroup' ? 'monitoring-ethnic-hint' : undefined}>
            <legend>{t(`monitoring.${question}` as MessageKey)}</legend>
            {question === 'ethnicGroup' && (
              <p class="hint" id="monitoring-ethnic-hint">
                {t('monitoring.ethnicGroup.hint')}
              </p>
            )}
            <Options question={question} value={answers[question]} choose={(value) => setAnswers({ ...answers, [question]: value })} />
          </fieldset>
        ))}
        <div class="actions">
          <button type="submit">{t('monitoring.send')}</button>
          <button type="button" class="secondary" onClick={() => setDone('skipped')}>
            {t('monitoring.skip')}
          </button>
        </div>
      </form>
    </section>
  );
}
