/**
 * `/status`: the page where someone who reported without the extension (the widget, the report page) checks their report
 * with its reference and status code, answers the team's questions and may withdraw it. Server-rendered; works without
 * script. The one script it loads (exit.js, from the hub itself) only adds the quick exit's Esc double-press and a
 * history-replacing exit; without it the quick exit is a plain link.
 *
 * The reference and code are the credential. They are only ever POSTed (never in the address, so they stay out of logs,
 * history and Referer); every POST must come from this origin; every POST spends one try of a per-client allowance
 * shared by all hub processes (PostgreSQL); a wrong reference and a wrong code get the same words. See docs/security.md 20a.
 *
 * Mounted before the API's middleware (like the console and the widget's pages), with its own security headers.
 * Other features add a section to a report's page through `sections` (satisfaction once closed, support links).
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import type { VNode } from 'preact';
import { pickStatusLanguage, statusWords, type StatusLanguage } from '../../lib/i18n/status';
import { DOUBLE_PRESS_MS, NEUTRAL_PAGE } from '../../lib/quick-exit';
import { Answer, LIMITS, type StatusResponse } from '../../lib/schema';
import { normaliseStatusCode } from '../../lib/status-code';
import type { HubConfig } from '../config';
import type { Database } from '../db';
import { readStatus, withdrawReport } from '../domain/intake';
import { answerQuestion } from '../domain/questions';
import { eraseRespondent } from '../domain/satisfaction';
import { eraseReport } from '../domain/retention';
import { clientAddress, redactedError } from '../http';
import { clientLimiter } from '../ratelimit-shared';
import { REFERENCE_ALPHABET } from '../ids';
import { withTokens } from '../stylesheet';
import { SatisfactionSection, satisfactionAction, type SatisfactionDraft } from './satisfaction';
import { supportSection } from './support';
import { LookupPage, renderPage, ReportPage, STATUS_CSS, STATUS_EXIT_SCRIPT, STATUS_PATH, type PageContext } from './page';

export { CodeFields, STATUS_PATH } from './page';

/**
 * Tries per client address: 10 at once, then one every 30 seconds (120 an hour). Someone checking, answering and
 * withdrawing uses a handful; see docs/security.md 20a for what this leaves an attacker against an 80-bit code.
 */
export const STATUS_LIMIT = { burst: 10, perSecond: 1 / 30, saltRotationSeconds: 3_600, maxClients: 100_000 } as const;

/** A section another feature adds to a report's page, given the report as its reporter sees it. */
export type StatusSection = (report: { reference: string; code: string; status: StatusResponse; lang: StatusLanguage }) => Promise<VNode | null>;

export interface StatusDeps {
  db: Database;
  config: HubConfig;
  logger: Logger;
  sections?: StatusSection[];
}

/** status.css after OHR's shared design tokens (hub/stylesheet.ts). */
const STYLESHEET = withTokens(new URL('./status.css', import.meta.url));

/** Esc twice within DOUBLE_PRESS_MS, or the quick-exit link, replaces this page and its history entry (lib/quick-exit.ts). */
const EXIT_SCRIPT = `(()=>{const to=${JSON.stringify(NEUTRAL_PAGE)};let last=0;const leave=()=>location.replace(to);
document.addEventListener('keydown',(e)=>{if(e.key!=='Escape')return;const now=Date.now();if(now-last<${DOUBLE_PRESS_MS})leave();last=now;});
document.addEventListener('click',(e)=>{const a=e.target instanceof Element&&e.target.closest('#quick-exit');if(a){e.preventDefault();leave();}});})();`;

/** `ohr 7k2m 9qxa`, `OHR-7K2M-9QXA`, `7K2M9QXA` all name the same report; I, L and O read as 1, 1 and 0 as in the code. */
export function normaliseReference(typed: string): string {
  const symbols = typed
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/^OHR/, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  return symbols.length === 8 && [...symbols].every((symbol) => REFERENCE_ALPHABET.includes(symbol))
    ? `OHR-${symbols.slice(0, 4)}-${symbols.slice(4)}`
    : typed.trim().slice(0, 40);
}

const field = (body: Record<string, unknown>, name: string, max = 200): string => {
  const value = body[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
};

export function mountStatus(app: Hono, deps: StatusDeps): void {
  const { db, config, logger } = deps;
  const limiter = clientLimiter(db, config.rateLimit.store, 'status-page', { ...STATUS_LIMIT, ipv6PrefixLength: config.rateLimit.ipv6PrefixLength }, { logger });
  const status = new Hono();
  status.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
      crossOriginResourcePolicy: 'same-origin',
      crossOriginOpenerPolicy: 'same-origin',
      strictTransportSecurity: false,
    }),
  );
  // Words in the page's language: the form's own `lang` field is in the body that was refused, so the query and
  // Accept-Language choose.
  status.use(
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => c.text(statusWords(pickStatusLanguage(c.req.query('lang'), c.req.header('Accept-Language')))('status.page.tooLarge'), 413),
    }),
  );

  status.get(STATUS_CSS.slice(STATUS_PATH.length), (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  status.get(STATUS_EXIT_SCRIPT.slice(STATUS_PATH.length), (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(EXIT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  const context = (c: Context, chosen: string | undefined): PageContext => {
    const lang = pickStatusLanguage(chosen, c.req.header('Accept-Language'));
    return { lang, t: statusWords(lang), service: config.name };
  };
  const html = (c: Context, markup: string, code: 200 | 403 | 404 | 422 | 429 = 200) => {
    c.header('Cache-Control', 'no-store');
    return c.html(markup, code);
  };

  status.get('/', (c) => {
    c.header('Vary', 'Accept-Language');
    // A link in an email may name the reference (never the code) for the form to start with.
    const reference = normaliseReference(c.req.query('reference')?.slice(0, 60) ?? '');
    return html(c, renderPage(LookupPage({ page: context(c, c.req.query('lang')), reference })));
  });

  status.post('/', async (c) => {
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const page = context(c, field(body, 'lang'));
    const { t } = page;
    const reference = normaliseReference(field(body, 'reference', 60));
    if (!sameOrigin(c, config)) return html(c, renderPage(LookupPage({ page, problem: t('status.page.refused') })), 403);
    const decision = await limiter.take(clientAddress(c, config.rateLimit.clientIpHeader) ?? 'unknown');
    if (!decision.allowed) {
      c.header('Retry-After', String(decision.retryAfterSeconds));
      const minutes = Math.max(1, Math.ceil(decision.retryAfterSeconds / 60));
      return html(c, renderPage(LookupPage({ page, reference, problem: t('status.page.tooMany', { minutes }) })), 429);
    }
    const typedCode = field(body, 'code', 200);
    if (!reference || !typedCode.trim()) return html(c, renderPage(LookupPage({ page, reference, problem: t('status.page.missing') })), 422);
    const code = normaliseStatusCode(typedCode);

    const action = field(body, 'action');
    let notice: string | undefined;
    let problem: string | undefined;
    let draft: { questionId: string; text: string } | undefined;
    let satisfactionDraft: SatisfactionDraft | undefined;
    if (action === 'satisfaction') {
      ({ notice, problem, draft: satisfactionDraft } = await satisfactionAction(db, {
        reference,
        code,
        score: field(body, 'score', 2),
        comment: field(body, 'comment', 2_001),
        t,
      }));
    } else if (action === 'answer') {
      const questionId = field(body, 'questionId', 64);
      const text = field(body, 'text', LIMITS.summary + 1);
      const answer = Answer.safeParse({ id: field(body, 'answerId', 64), text });
      if (!answer.success) {
        problem = text.length > LIMITS.summary ? t('status.questions.tooLong', { max: LIMITS.summary }) : t('status.questions.empty');
        draft = { questionId, text: text.slice(0, LIMITS.summary) };
      } else {
        const outcome = await answerQuestion(db, { reference, statusToken: code, questionId, answer: answer.data });
        if (outcome.kind === 'answered' || outcome.kind === 'replayed') notice = t('status.questions.sent');
        else if (outcome.kind === 'report_closed') problem = t('status.questions.closed');
        else if (outcome.kind === 'already_answered') problem = t('status.questions.already');
        else if (outcome.kind !== 'not_found') throw new Error(`Unexpected answer outcome ${outcome.kind}`);
      }
    } else if (action === 'withdraw') {
      if (body.confirm !== 'yes') problem = t('status.withdraw.unconfirmed');
      else {
        const withdrawn = await withdrawReport(db, reference, code);
        if (withdrawn?.outcome === 'withdrawn') {
          notice = t('status.withdraw.done');
          // The reporter's monitoring answers cannot be found from the report later: they go with the withdrawal now.
          await eraseRespondent(db, code);
          // As the API's withdrawal: personal data goes at once unless the organisation keeps withdrawn reports a while.
          if (config.erasureWithdrawnDays === 0) {
            await eraseReport(db, { reference, actorId: null, reason: 'withdrawn' }).catch((error: unknown) =>
              logger.warn({ err: redactedError(error) }, 'could not erase a withdrawn report; the retention purge will'),
            );
          }
        }
      }
    }

    const report = await readStatus(db, reference, code, { questions: true, satisfaction: true });
    if (!report) return html(c, renderPage(LookupPage({ page, reference, problem: t('status.page.notFound') })), 404);
    const sections = (
      await Promise.all((deps.sections ?? []).map((section) => section({ reference, code, status: report, lang: page.lang })))
    ).filter((section): section is VNode => section !== null);
    const satisfaction = SatisfactionSection({ reference, code, lang: page.lang, status: report, t, draft: satisfactionDraft });
    if (satisfaction) sections.unshift(satisfaction);
    const support = await supportSection(db, config.supportLinks, reference, t);
    if (support) sections.push(support);
    const failed = problem !== undefined && (action === 'answer' || action === 'satisfaction') ? 422 : 200;
    return html(c, renderPage(ReportPage({ page, reference, code, status: report, notice, problem, draft, sections })), failed);
  });

  app.route(STATUS_PATH, status);
}

/**
 * Whether the form was posted from a page of this hub (fetch metadata, else Origin). The code in the form is the
 * real secret; this only keeps another site from making someone's browser post a code it somehow knows.
 */
function sameOrigin(c: Context, config: HubConfig): boolean {
  const site = c.req.header('Sec-Fetch-Site');
  if (site !== undefined) return site === 'same-origin';
  const origin = c.req.header('Origin');
  return origin !== undefined && (origin === new URL(c.req.url).origin || origin === config.publicBaseUrl);
}
