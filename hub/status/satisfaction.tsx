/**
 * The satisfaction question on the status page (issue 20 item 5): once a report is closed (not withdrawn) and not yet
 * answered, five points as radio buttons (the GOV.UK radios pattern: a fieldset whose legend is the question) and an
 * optional comment; after answering, a thank-you. The answer goes through hub/domain/satisfaction.ts, keyed by the
 * code, never by the reference. A refused answer keeps what the person chose and wrote.
 */
import type { VNode } from 'preact';
import type { StatusLanguage, StatusWordKey } from '../../lib/i18n/status';
import { SATISFACTION_COMMENT_MAX, SATISFACTION_SCORES, SatisfactionAnswer, type StatusResponse } from '../../lib/schema';
import type { Database } from '../db';
import { answerSatisfaction } from '../domain/satisfaction';
import { CodeFields, STATUS_PATH } from './page';

type T = (key: StatusWordKey, values?: Record<string, string | number>) => string;

export interface SatisfactionDraft {
  score?: string;
  comment: string;
}

/** Handles the form's POST: a notice or a problem in words, and the draft to show again when refused. */
export async function satisfactionAction(
  db: Database,
  { reference, code, score, comment, t }: { reference: string; code: string; score: string; comment: string; t: T },
): Promise<{ notice?: string; problem?: string; draft?: SatisfactionDraft }> {
  const parsed = SatisfactionAnswer.safeParse({ score: Number(score || NaN), ...(comment.trim() ? { comment } : {}) });
  if (!parsed.success) {
    const problem = comment.length > SATISFACTION_COMMENT_MAX ? t('satisfaction.tooLong', { max: SATISFACTION_COMMENT_MAX }) : t('satisfaction.choose');
    return { problem, draft: { score, comment: comment.slice(0, SATISFACTION_COMMENT_MAX) } };
  }
  const outcome = await answerSatisfaction(db, { reference, statusToken: code, answer: parsed.data });
  if (outcome.kind === 'answered' || outcome.kind === 'replayed' || outcome.kind === 'already_answered') return { notice: t('satisfaction.thanks') };
  // not_found: the page itself then says no such report; not_closed: the section is not shown.
  return {};
}

/** The section, or null when the question is not asked of this report. */
export function SatisfactionSection({
  reference,
  code,
  lang,
  status,
  t,
  draft,
}: {
  reference: string;
  code: string;
  lang: StatusLanguage;
  status: StatusResponse;
  t: T;
  draft?: SatisfactionDraft;
}): VNode | null {
  if (!status.satisfaction) return null;
  if (status.satisfaction === 'answered') {
    return (
      <section aria-labelledby="satisfaction">
        <h2 id="satisfaction">{t('satisfaction.heading')}</h2>
        <p>{t('satisfaction.answered')}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="satisfaction" class="satisfaction">
      <form method="post" action={STATUS_PATH}>
        <CodeFields reference={reference} code={code} lang={lang} />
        <input type="hidden" name="action" value="satisfaction" />
        <fieldset aria-describedby="satisfaction-intro">
          <legend>
            <h2 id="satisfaction">{t('satisfaction.heading')}</h2>
          </legend>
          <p class="hint" id="satisfaction-intro">
            {t('satisfaction.intro')}
          </p>
          {[...SATISFACTION_SCORES].reverse().map((score) => (
            <p class="check" key={score}>
              <input type="radio" id={`score-${score}`} name="score" value={String(score)} checked={draft?.score === String(score)} />
              <label for={`score-${score}`}>{t(`satisfaction.${score}` as StatusWordKey)}</label>
            </p>
          ))}
        </fieldset>
        <label for="satisfaction-comment">{t('satisfaction.commentLabel')}</label>
        <p class="hint" id="satisfaction-comment-hint">
          {t('satisfaction.commentHint')}
        </p>
        <textarea id="satisfaction-comment" name="comment" dir="auto" rows={4} maxLength={SATISFACTION_COMMENT_MAX} aria-describedby="satisfaction-comment-hint">
          {draft?.comment ?? ''}
        </textarea>
        <button type="submit">{t('satisfaction.send')}</button>
      </form>
    </section>
  );
}
