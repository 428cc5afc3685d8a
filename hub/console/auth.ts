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
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ct } from '../../lib/i18n/console';
import { clientAddress } from '../app';
import type { HubConfig } from '../config';
import type { Database } from '../db';
import { RateLimiter } from '../ratelimit';
import { authenticate, Email, type Moderator } from './auth/accounts';
import { createSession, deleteSession, purgeSessions, readSession, sameToken, sessionTimeouts } from './auth/sessions';
import { LoginPage } from './auth/login';
import { href, MessagePage, render } from './layout';

export interface ConsoleDeps {
  db: Database;
  config: HubConfig;
  logger: Logger;
  /** The clock sessions and lockouts are measured by; tests move it. */
  now?: () => Date;
}

export interface ConsoleEnv {
  Variables: { moderator: Moderator; csrfToken: string };
}

export type ConsoleApp = Hono<ConsoleEnv>;

/** `__Host-` (set by Hono's `prefix: 'host'`): Secure, Path=/ and no Domain, so no other site or subdomain can set it. */
const COOKIE = 'ohr_session';
const COOKIE_OPTIONS = { prefix: 'host', httpOnly: true, secure: true, sameSite: 'Strict', path: '/' } as const;

/** Sign-in attempts per client address: a few at once, then one every 30 seconds (the lockout is per account). */
const LOGIN_LIMIT = { burst: 10, perSecond: 1 / 30, saltRotationSeconds: 3_600, maxClients: 10_000 } as const;

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
  return { moderator: c.get('moderator'), csrfToken: c.get('csrfToken') };
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

const LoginForm = z.object({ email: Email, password: z.string().min(1).max(1_024), code: z.string().max(16).default(''), next: z.string().optional() });

/** Where to go after signing in: only a console address, never another site (an open redirect) nor `//host`. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith(`${href.home}/`) && !next.startsWith('//') && !next.includes('\\') ? next : href.queue;
}

/** GET/POST /console/login and POST /console/logout. */
export function registerAuth(console: ConsoleApp, deps: ConsoleDeps): void {
  const now = deps.now ?? (() => new Date());
  const limiter = new RateLimiter(LOGIN_LIMIT, () => now().getTime());
  const lockout = deps.config.console;
  const timeouts = sessionTimeouts(deps.config.console);
  const wrong = ct('signIn.wrong', { tries: lockout.lockoutAttempts, minutes: lockout.lockoutMinutes });
  const page = (c: Context, next: string | undefined, problem?: string, status: 200 | 401 | 403 | 429 = 200) =>
    render(c, LoginPage({ next, problem }), status);

  console.get('/login', (c) => page(c, c.req.query('next')));

  console.post('/login', async (c) => {
    const body = await formBody(c);
    const next = typeof body.next === 'string' ? body.next : undefined;
    if (!sameOrigin(c, deps.config)) return page(c, next, ct('csrf.refused'), 403);
    const decision = limiter.take(clientAddress(c, deps.config.rateLimit.clientIpHeader) ?? 'unknown');
    if (!decision.allowed) {
      c.header('Retry-After', String(decision.retryAfterSeconds));
      return page(c, next, ct('signIn.tooMany', { seconds: decision.retryAfterSeconds }), 429);
    }
    const form = LoginForm.safeParse(body);
    if (!form.success) return page(c, next, wrong, 401);
    const outcome = await authenticate(deps.db, form.data.email, form.data.password, form.data.code, now(), lockout);
    if (outcome.kind !== 'ok') return page(c, next, wrong, 401);
    // A sign-in over a live session replaces it rather than leaving it behind.
    const previous = getCookie(c, COOKIE, 'host');
    if (previous) await deleteSession(deps.db, previous);
    await purgeSessions(deps.db, now(), timeouts);
    const session = await createSession(deps.db, outcome.moderator.id, now(), timeouts);
    setCookie(c, COOKIE, session.token, { ...COOKIE_OPTIONS, maxAge: timeouts.absoluteMs / 1000 });
    return c.redirect(safeNext(form.data.next), 303);
  });

  console.post('/logout', requireModerator(deps), requireCsrf(deps), async (c) => {
    const token = getCookie(c, COOKIE, 'host');
    if (token) await deleteSession(deps.db, token);
    deleteCookie(c, COOKIE, COOKIE_OPTIONS);
    return c.redirect(href.login, 303);
  });
}
