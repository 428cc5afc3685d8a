/**
 * The triage console, mounted under /console on the hub's app: the one place its features are composed. Each feature
 * (sign-in, first-run and reset links, account, wellbeing settings, report, admin, open data, referrals, queue, clusters, delivery log, sealed contact details, moderators' access to them) is a Hono sub-app in its own folder that
 * imports no other feature; what they share is in shared/ (page shell, labels, links) and auth/ (sessions, the guards).
 * This file sets what all of them share: the console's security headers (a CSP with no script at all), a small body
 * limit, the stylesheet, and the console's own "not found" page.
 *
 * `mountConsole` must be called before the hub's API middleware (secure headers, CORS, rate limiting): a console
 * route answers before those run, so the API's CSP does not overwrite the console's and no CORS header is ever sent.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { ct } from '../../lib/i18n/console';
import { redactedError } from '../http';
import { createMailer } from '../mail';
import { withTokens } from '../stylesheet';
import { accountRoutes } from './account/routes';
import { adminRoutes } from './admin/routes';
import { requireModerator, sessionOf, type ConsoleDeps, type ConsoleEnv } from './auth/guard';
import { authRoutes } from './auth/routes';

/** For `startHub`: the key TOTP secrets are sealed with, and the sealing of any stored in clear. */
export { loadTotpKey, sealStoredSecrets } from './auth/totp-key';
/** For `startHub`: the first-run link made while the hub has no account. */
export { issueSetupLink, SETUP_LINK_HOURS } from './auth/links';
export { setupHref } from './shared/links';
import { clustersRoutes } from './clusters/routes';
import { deliveriesRoutes } from './deliveries/routes';
import { openDataRoutes } from './open-data/routes';
import { queueRoutes } from './queue/routes';
import { referralsRoutes } from './referrals/routes';
import { setupRoutes } from './setup/routes';
import { reportRoutes } from './report/routes';
import { sealedRoutes } from './sealed/routes';
import { keyAccessRoutes } from './key-access/routes';
import { clusterOf } from './clusters/query';
import { queueNeighbours } from './queue/neighbours';
import { queueClock } from './queue/query';
import { wellbeingRoutes } from './wellbeing/routes';
import { CONSOLE_CSP } from './shared/csp';
import { MessagePage, render } from './shared/layout';
import { CONSOLE_BASE, href } from './shared/links';

export type { ConsoleDeps, ConsoleEnv } from './auth/guard';
/** The operator's command that creates the first account (`hub/cli.ts`). */
export { createModeratorCommand } from './auth/cli';

/** Forms carry a few fields and notes of at most 10,000 characters. */
const MAX_FORM_BYTES = 64 * 1024;

/** console.css after OHR's shared design tokens (hub/stylesheet.ts). */
const STYLESHEET = withTokens(new URL('./console.css', import.meta.url));

export function mountConsole(app: Hono, given: ConsoleDeps): void {
  const deps: ConsoleDeps = { ...given, mailer: 'mailer' in given ? given.mailer : createMailer(given.config.smtp) };
  const console = new Hono<ConsoleEnv>();
  console.use(
    secureHeaders({
      // No script (shared/csp.ts); a page with a script file of its own adds `script-src 'self'` for itself.
      contentSecurityPolicy: CONSOLE_CSP,
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
      crossOriginResourcePolicy: 'same-origin',
      crossOriginOpenerPolicy: 'same-origin',
      strictTransportSecurity: false,
      // A route may set a stricter policy of its own (evidence files: `sandbox`).
      overwrite: false,
    }),
  );
  console.use(
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) => c.text(ct('form.tooLarge'), 413),
    }),
  );

  console.get('/console.css', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  console.get('/', (c) => c.redirect(href.queue, 303));

  // Each feature's own routes; the catch-all below must stay last.
  // The report view takes the related reports and the queue's order from those features, which it cannot import.
  const report = (d: ConsoleDeps) =>
    reportRoutes(d, {
      related: clusterOf,
      // The queue's "past target" view by the organisation's own targets, as the queue page reads it.
      neighbours: (db, query, reference, me) => queueNeighbours(db, query, reference, me, queueClock(d.config.console, (d.now ?? (() => new Date()))())),
    });
  for (const feature of [authRoutes, setupRoutes, accountRoutes, wellbeingRoutes, report, adminRoutes, openDataRoutes, referralsRoutes, queueRoutes, clustersRoutes, deliveriesRoutes, sealedRoutes, keyAccessRoutes]) {
    console.route('/', feature(deps));
  }

  console.all('*', requireModerator(deps), (c) =>
    render(c, MessagePage({ title: ct('notFound.title'), message: ct('notFound.message'), session: sessionOf(c) }), 404),
  );

  console.onError((error, c) => {
    deps.logger.error({ err: redactedError(error) }, 'console error');
    return c.text(ct('error.internal'), 500);
  });
  app.route(CONSOLE_BASE, console);
}
