/**
 * Who may use the console, and proof that a form was posted by the console itself.
 *
 * - `requireModerator()` finds the session behind the `__Host-ohr_session` cookie and sets `moderator` and
 *   `csrfToken`; without one, a page request is sent to the sign-in page.
 * - `requireAdmin()` answers 403 to anyone but an admin.
 * - `requireCsrf()` guards every state change: the browser must say the request came from this origin
 *   (`Sec-Fetch-Site: same-origin`, or, from browsers that do not send it, a matching `Origin`), and the form's hidden
 *   `csrf` field must equal the session's token.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { Logger } from 'pino';
import { ct } from '../../../lib/i18n/console';
import type { HubConfig } from '../../config';
import type { Database } from '../../db';
import type { Mailer } from '../../mail';
import type { Moderator } from './accounts';
import { wellbeingFor } from '../../domain/wellbeing';
import type { PageWellbeing } from '../shared/layout';
import { readSession, sameToken, sessionTimeouts } from './sessions';
import { MessagePage, render } from '../shared/layout';
import { href } from '../shared/links';

export interface ConsoleDeps {
  db: Database;
  config: HubConfig;
  logger: Logger;
  /** The clock sessions and lockouts are measured by; tests move it. */
  now?: () => Date;
  /** The key TOTP secrets are sealed with (totp-key.ts). */
  totpKey: Uint8Array;
  /**
   * The hub's own origin for links it hands out (reset links): `publicBaseUrl`, else the listening address. Never the
   * request's Host header, which whoever sends the request chooses.
   */
  origin?: () => string | undefined;
  /** Sends email when the hub has `smtp` set (mounted from the config when not given). */
  mailer?: Mailer | undefined;
}

export interface ConsoleEnv {
  Variables: { moderator: Moderator; csrfToken: string; wellbeing?: PageWellbeing };
}

export type ConsoleApp = Hono<ConsoleEnv>;

/** `__Host-` (set by Hono's `prefix: 'host'`): Secure, Path=/ and no Domain, so no other site or subdomain can set it. */
export const COOKIE = 'ohr_session';
export const COOKIE_OPTIONS = { prefix: 'host', httpOnly: true, secure: true, sameSite: 'Strict', path: '/' } as const;

/** Pages that count as work towards the break reminder: the queue, a report and a cluster. */
const WORK_PAGE = /^\/console\/(queue|reports|clusters)(\/|$)/;
/** GETs that are not pages (evidence files, downloads): no settings to look up. */
const NO_PAGE = /^\/console\/(evidence\/|console\.(css|js)$|report-keys\.js$)|\.(json|csv|txt)$/;

export function requireModerator(deps: ConsoleDeps): MiddlewareHandler<ConsoleEnv> {
  const now = deps.now ?? (() => new Date());
  const timeouts = sessionTimeouts(deps.config.console);
  return async (c, next) => {
    const token = getCookie(c, COOKIE, 'host');
    const session = token ? await readSession(deps.db, token, now(), timeouts) : undefined;
    if (!session) {
      if (token) deleteCookie(c, COOKIE, COOKIE_OPTIONS);
      if (c.req.method !== 'GET') return render(c, MessagePage({ title: ct('signIn.expiredTitle'), message: ct('signIn.expired') }), 401);
      const back = c.req.path + (new URL(c.req.url).search || '');
      return c.redirect(`${href.login}?next=${encodeURIComponent(back)}`, 303);
    }
    c.set('moderator', session.moderator);
    c.set('csrfToken', session.csrfToken);
    if (c.req.method === 'GET' && !NO_PAGE.test(c.req.path)) {
      // The moderator's wellbeing settings for the page; the queue and report pages also count towards a stretch of work.
      const wellbeing = await wellbeingFor(deps.db, session.moderator.id, now(), WORK_PAGE.test(c.req.path));
      c.set('wellbeing', { ...wellbeing, here: c.req.path + (new URL(c.req.url).search || '') });
    }
    return next();
  };
}

export function requireAdmin(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (c.get('moderator').role !== 'admin') {
      return render(c, MessagePage({ title: ct('forbidden.title'), message: ct('forbidden.admin'), session: sessionOf(c) }), 403);
    }
    return next();
  };
}

/** The signed-in moderator and token, as the page shell wants them. */
export function sessionOf(c: Context<ConsoleEnv>) {
  return { moderator: c.get('moderator'), csrfToken: c.get('csrfToken'), wellbeing: c.get('wellbeing') };
}

/**
 * Whether the browser says this request came from a page of this origin. Fetch metadata first (every current
 * browser sends it); without it, the `Origin` header must name this hub (its public URL, or the request's own origin).
 */
export function sameOrigin(c: Context, config: HubConfig): boolean {
  const site = c.req.header('Sec-Fetch-Site');
  if (site !== undefined) return site === 'same-origin';
  const origin = c.req.header('Origin');
  return origin !== undefined && (origin === new URL(c.req.url).origin || origin === config.publicBaseUrl);
}

/**
 * The posted form's fields. A body that cannot be read as a form (broken multipart, JSON) reads as no fields, so the
 * checks that follow refuse it in words instead of failing with a 500. Hono keeps the parsed body, so each call after
 * the first is free.
 */
export async function formBody(c: Context): Promise<Record<string, unknown>> {
  try {
    return await c.req.parseBody();
  } catch {
    return {};
  }
}

export function requireCsrf(deps: ConsoleDeps): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const body = await formBody(c);
    const token = typeof body.csrf === 'string' ? body.csrf : '';
    if (!sameOrigin(c, deps.config) || !sameToken(token, c.get('csrfToken'))) {
      return render(c, MessagePage({ title: ct('csrf.title'), message: ct('csrf.refused'), session: sessionOf(c) }), 403);
    }
    return next();
  };
}
