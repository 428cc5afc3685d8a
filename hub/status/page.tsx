/**
 * The status page's markup, rendered on the server. A calm public page, not the console: the organisation's name, a
 * quick exit, a language switcher, one `<main>`. Every form POSTs back to /status; the reference and code travel only
 * in form bodies (never the address), so they stay out of logs and history.
 */
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { LIMITS, type QuestionView, type StatusResponse } from '../../lib/schema';
import { STATUS_LANGUAGES, statusWords, type StatusLanguage, type StatusWordKey } from '../../lib/i18n/status';
import { NEUTRAL_PAGE } from '../../lib/quick-exit';

export const STATUS_PATH = '/status';
export const STATUS_CSS = '/status/status.css';
export const STATUS_EXIT_SCRIPT = '/status/exit.js';

export type Translate = ReturnType<typeof statusWords>;

export interface PageContext {
  lang: StatusLanguage;
  t: Translate;
  /** The organisation's name (discovery's `name`). */
  service: string;
}

/** The hidden fields that let a form on a result page act on the report: the reference, the code, the language. */
export function CodeFields({ reference, code, lang }: { reference: string; code: string; lang: StatusLanguage }): VNode {
  return (
    <>
      <input type="hidden" name="reference" value={reference} />
      <input type="hidden" name="code" value={code} />
      <input type="hidden" name="lang" value={lang} />
    </>
  );
}

/**
 * A public page of the hub: quick exit, the organisation's name, the language switch (links to `path` in each
 * language), one `<main>` under the page's `<h1>`. The status page's, and the organisation's own page's (hub/home).
 */
export function Shell({ page, title, path = STATUS_PATH, children }: { page: PageContext; title: string; path?: string; children: ComponentChildren }): VNode {
  const { t, lang } = page;
  const dir = STATUS_LANGUAGES.find((language) => language.tag === lang)?.dir ?? 'ltr';
  return (
    <html lang={lang} dir={dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · ${page.service}`}</title>
        <link rel="stylesheet" href={STATUS_CSS} />
        <script src={STATUS_EXIT_SCRIPT} defer />
      </head>
      <body>
        <div class="exit-band">
          <a class="quick-exit" id="quick-exit" href={NEUTRAL_PAGE} rel="noreferrer">
            {t('status.page.quickExit')}
          </a>
          <span class="exit-hint">{t('status.page.quickExitHint')}</span>
        </div>
        <header class="top">
          <p class="service">{page.service}</p>
          <nav aria-label={t('status.page.language')}>
            <ul class="languages">
              {STATUS_LANGUAGES.map((language) => (
                <li key={language.tag}>
                  <a href={`${path}?lang=${language.tag}`} lang={language.tag} hrefLang={language.tag} aria-current={language.tag === lang ? 'true' : undefined}>
                    {language.name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

export function renderPage(vnode: VNode): string {
  return `<!doctype html>${renderToString(vnode)}`;
}

/** The entry form: reference and status code. `problem` says in words why the last try did not show a report. */
export function LookupPage({ page, reference = '', problem }: { page: PageContext; reference?: string; problem?: string }): VNode {
  const { t } = page;
  return (
    <Shell page={page} title={t('status.page.title')}>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <p>{t('status.page.intro')}</p>
      <form method="post" action={STATUS_PATH} class="lookup">
        <input type="hidden" name="lang" value={page.lang} />
        <input type="hidden" name="action" value="view" />
        <label for="reference">{t('status.page.reference')}</label>
        <p class="hint" id="reference-hint">
          {t('status.page.referenceHint')}
        </p>
        <input id="reference" name="reference" value={reference} dir="ltr" autocomplete="off" spellcheck={false} autocapitalize="characters" aria-describedby="reference-hint" required />
        <label for="code">{t('status.page.code')}</label>
        <p class="hint" id="code-hint">
          {t('status.page.codeHint')}
        </p>
        <input id="code" name="code" dir="ltr" autocomplete="off" spellcheck={false} autocapitalize="characters" aria-describedby="code-hint" required />
        <button type="submit">{t('status.page.show')}</button>
      </form>
      <p class="hint">{t('status.page.private')}</p>
    </Shell>
  );
}

export interface ReportPageProps {
  page: PageContext;
  reference: string;
  code: string;
  status: StatusResponse;
  /** What the last action did ("your answer has been sent"), said at the top. */
  notice?: string;
  /** Why the last action did not happen, in words. */
  problem?: string;
  /** The question whose answer was refused, with what the person wrote, so nothing they typed is lost. */
  draft?: { questionId: string; text: string };
  /**
   * Sections other features add below the status (the satisfaction question once a report is closed, matching support
   * links). Each is rendered as given; a form in one carries `<CodeFields>` and posts to /status with its own `action`.
   */
  sections?: VNode[];
}

const dateOf = (lang: StatusLanguage, iso: string) =>
  new Intl.DateTimeFormat(lang === 'cy' ? 'cy-GB' : lang === 'ar' ? 'ar-GB' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' }).format(
    new Date(iso),
  );

/** A report as its reporter sees it: status, outcome, note, questions (answerable), other features' sections, withdrawal. */
export function ReportPage({ page, reference, code, status, notice, problem, draft, sections = [] }: ReportPageProps): VNode {
  const { t, lang } = page;
  return (
    <Shell page={page} title={t('status.report.title', { reference })}>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <dl class="summary">
        <dt>{t('status.report.status')}</dt>
        <dd data-testid="status">{t(`status.${status.status}` as StatusWordKey)}</dd>
        {status.outcome && (
          <>
            <dt>{t('status.report.outcome')}</dt>
            <dd data-testid="outcome">{t(`outcome.${status.outcome}` as StatusWordKey)}</dd>
          </>
        )}
        <dt>{t('status.report.updated')}</dt>
        <dd>{dateOf(lang, status.updatedAt)}</dd>
      </dl>
      {status.publicNote && (
        <section aria-labelledby="note">
          <h2 id="note">{t('status.report.note')}</h2>
          <p class="note" dir="auto">{status.publicNote}</p>
        </section>
      )}
      <Questions page={page} reference={reference} code={code} questions={status.questions ?? []} closed={status.status === 'closed'} draft={draft} />
      {sections}
      {status.status !== 'closed' && (
        <section aria-labelledby="withdraw" class="withdraw">
          <h2 id="withdraw">{t('status.withdraw.title')}</h2>
          <p>{t('status.withdraw.intro')}</p>
          <form method="post" action={STATUS_PATH}>
            <CodeFields reference={reference} code={code} lang={lang} />
            <input type="hidden" name="action" value="withdraw" />
            <p class="check">
              <input type="checkbox" id="confirm-withdraw" name="confirm" value="yes" />
              <label for="confirm-withdraw">{t('status.withdraw.confirm')}</label>
            </p>
            <button type="submit" class="secondary">
              {t('status.withdraw.button')}
            </button>
          </form>
        </section>
      )}
      <p>
        <a href={`${STATUS_PATH}?lang=${lang}`}>{t('status.report.another')}</a>
      </p>
    </Shell>
  );
}

function Questions({
  page,
  reference,
  code,
  questions,
  closed,
  draft,
}: {
  page: PageContext;
  reference: string;
  code: string;
  questions: QuestionView[];
  closed: boolean;
  draft?: { questionId: string; text: string };
}): VNode {
  const { t, lang } = page;
  return (
    <section aria-labelledby="questions">
      <h2 id="questions">{t('status.questions.title')}</h2>
      {questions.length === 0 && <p>{t('status.questions.none')}</p>}
      {questions.map((question, index) => (
        <article class="question" key={question.id} aria-labelledby={`q-${index}`}>
          <p class="hint" id={`q-${index}`}>
            {t('status.questions.asked', { date: dateOf(lang, question.askedAt) })}
          </p>
          {/* Written by people in any language: each keeps its own direction inside an Arabic page and the other way round. */}
          <blockquote class="asked" dir="auto">{question.text}</blockquote>
          {question.answer ? (
            <>
              <p class="hint">{t('status.questions.yourAnswer', { date: dateOf(lang, question.answer.answeredAt) })}</p>
              <p class="answer" dir="auto">{question.answer.text}</p>
            </>
          ) : (
            !closed && (
              <form method="post" action={STATUS_PATH}>
                <CodeFields reference={reference} code={code} lang={lang} />
                <input type="hidden" name="action" value="answer" />
                <input type="hidden" name="questionId" value={question.id} />
                {/* Made once per rendered form: a resent form (reload, double click) is the same answer, not a second one. */}
                <input type="hidden" name="answerId" value={crypto.randomUUID()} />
                <label for={`answer-${index}`}>{t('status.questions.answerLabel')}</label>
                <p class="hint" id={`answer-hint-${index}`}>
                  {t('status.questions.answerHint')}
                </p>
                <textarea id={`answer-${index}`} name="text" dir="auto" rows={5} maxLength={LIMITS.summary} aria-describedby={`answer-hint-${index}`}>
                  {draft?.questionId === question.id ? draft.text : ''}
                </textarea>
                <button type="submit">{t('status.questions.send')}</button>
              </form>
            )
          )}
        </article>
      ))}
    </section>
  );
}
