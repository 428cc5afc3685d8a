/**
 * Signing in and out: GET/POST /console/login and POST /console/logout, as a sub-app of the console.
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { ct } from '../../../lib/i18n/console';
import { clientAddress } from '../../http';
import { clientLimiter } from '../../ratelimit-shared';
import { href } from '../shared/links';
import { render } from '../shared/layout';
import { authenticate, Email } from './accounts';
import { COOKIE, COOKIE_OPTIONS, formBody, requireCsrf, requireModerator, sameOrigin, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from './guard';
import { LoginPage } from './login';
import { signInThrottle } from './throttle';
import { createSession, deleteSession, purgeSessions, sessionTimeouts } from './sessions';

/** Sign-in attempts per client address: a few at once, then one every 30 seconds (wrong passwords are slowed per email, throttle.ts). */
const LOGIN_LIMIT = { burst: 10, perSecond: 1 / 30, saltRotationSeconds: 3_600, maxClients: 10_000 } as const;

const LoginForm = z.object({ email: Email, password: z.string().min(1).max(1_024), code: z.string().max(16).default(''), next: z.string().optional() });

/**
 * Where to go after signing in: only a path of this console, never another site (an open redirect), `//host`, a
 * backslash, a dot segment, or anything outside visible ASCII (CR/LF would split the Location header: a 500 after the
 * session was made). Links the console makes are percent-encoded, so a real `next` always passes.
 */
const CONSOLE_PATH = /^\/console\/(?!.*\/\.{1,2}(?:[/?#]|$))[\x21-\x7e]*$/;
function safeNext(next: string | undefined): string {
  return next && CONSOLE_PATH.test(next) && !next.startsWith('//') && !next.includes('\\') ? next : href.queue;
}

export function authRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const now = deps.now ?? (() => new Date());
  const { ipv6PrefixLength, store } = deps.config.rateLimit;
  const clock = () => now().getTime();
  const limiter = clientLimiter(deps.db, store, 'sign-in-requests', { ...LOGIN_LIMIT, ipv6PrefixLength }, { now: clock, logger: deps.logger });
  const lockout = deps.config.console;
  const throttle = signInThrottle(deps.db, store, { ...lockout, ipv6PrefixLength }, clock, deps.logger);
  const timeouts = sessionTimeouts(deps.config.console);
  const wrong = ct('signIn.wrong', { tries: lockout.lockoutAttempts, minutes: lockout.lockoutMinutes });
  const page = (c: Context, next: string | undefined, problem?: string, status: 200 | 401 | 403 | 429 = 200) =>
    render(c, LoginPage({ next, problem }), status);

  routes.get('/login', (c) => page(c, c.req.query('next')));

  routes.post('/login', async (c) => {
    const body = await formBody(c);
    const next = typeof body.next === 'string' ? safeNext(body.next) : undefined;
    if (!sameOrigin(c, deps.config)) return page(c, next, ct('csrf.refused'), 403);
    const address = clientAddress(c, deps.config.rateLimit.clientIpHeader) ?? 'unknown';
    const decision = await limiter.take(address);
    if (!decision.allowed) {
      c.header('Retry-After', String(decision.retryAfterSeconds));
      return page(c, next, ct('signIn.tooMany', { seconds: decision.retryAfterSeconds }), 429);
    }
    const form = LoginForm.safeParse(body);
    if (!form.success) return page(c, next, wrong, 401);
    // Checked before anything is written, so no input can fail the redirect after a session exists.
    const target = safeNext(form.data.next);
    const wait = await throttle.wait(form.data.email, address);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return page(c, next, ct('signIn.slowDown', { seconds: wait }), 429);
    }
    const outcome = await authenticate(deps.db, form.data.email, form.data.password, form.data.code, now(), lockout, deps.totpKey);
    if (outcome.kind !== 'ok') {
      await throttle.failed(form.data.email, address);
      return page(c, next, wrong, 401);
    }
    await throttle.succeeded(form.data.email, address);
    // A sign-in over a live session replaces it rather than leaving it behind.
    const previous = getCookie(c, COOKIE, 'host');
    if (previous) await deleteSession(deps.db, previous);
    await purgeSessions(deps.db, now(), timeouts);
    const session = await createSession(deps.db, outcome.moderator.id, now(), timeouts);
    setCookie(c, COOKIE, session.token, { ...COOKIE_OPTIONS, maxAge: timeouts.absoluteMs / 1000 });
    return c.redirect(target, 303);
  });

  routes.post('/logout', requireModerator(deps), requireCsrf(deps), async (c) => {
    const token = getCookie(c, COOKIE, 'host');
    if (token) await deleteSession(deps.db, token);
    deleteCookie(c, COOKIE, COOKIE_OPTIONS);
    return c.redirect(href.login, 303);
  });
  return routes;
}
