/**
 * Opening a report's sealed contact details (issue 23): the page (signed in), its script, and the audit entry the
 * script has the hub write before it shows anything. The hub never sees the key, the passphrase or the details: it
 * serves the sealed block it already holds and writes who opened it, when, for which report. The entry is its own
 * action (`contact.open_sealed`), not the report view's "Show contact details" (`contact.reveal`): the trail and the
 * police case file's custody say which was done, and opening the sealed details never lets the report view show the
 * clear ones without an entry of their own.
 */
import { Hono, type Context } from 'hono';
import { etag } from 'hono/etag';
import { ct } from '../../../lib/i18n/console';
import { openSealedContact } from '../../domain/audit';
import { ownAccessOf } from '../../domain/key-access';
import { requireCsrf, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { ownScripts } from '../shared/csp';
import { MessagePage, render } from '../shared/layout';
import { CONSOLE_BASE } from '../shared/links';
import { browserBundle } from '../shared/browser-bundle';
import { OPENER_SCRIPT, SealedPage } from './page';
import { sealedOf } from './query';

export function sealedRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const { db } = deps;
  const signedIn = requireModerator(deps);

  routes.get('/reports/:reference/sealed', signedIn, ownScripts({ fetchesOwnOrigin: true }), async (c) => {
    const reference = c.req.param('reference');
    const found = await find(c, reference);
    if (found instanceof Response) return found;
    // The moderator's own key and grants, so they may open with their own passphrase (hub/domain/key-access.ts).
    const access = (await ownAccessOf(db, c.get('moderator').id)) ?? null;
    return render(c, <SealedPage session={sessionOf(c)} reference={reference} reportId={found.reportId} sealed={found.sealed} access={access} />);
  });

  // The script's call before it shows the details: 204 once the audit entry is written, and nothing else comes back.
  routes.post('/reports/:reference/sealed/revealed', signedIn, requireCsrf(deps), async (c) => {
    const reference = c.req.param('reference');
    const found = await find(c, reference);
    if (found instanceof Response) return found;
    await openSealedContact(db, reference, c.get('moderator').id);
    return c.body(null, 204);
  });

  // About 37 KB gzipped (zod, which checks the key file, and the HPKE suite): revalidated by its ETag, sent again only when changed.
  routes.get(OPENER_SCRIPT.slice(CONSOLE_BASE.length), etag(), async (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(await browserBundle(new URL('./open.ts', import.meta.url)), 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  /** The report's sealed block, or the page that says why there is none to open. */
  async function find(c: Context<ConsoleEnv>, reference: string) {
    const found = reference.length <= 20 ? await sealedOf(db, reference) : undefined;
    if (found?.kind === 'sealed') return found;
    const [status, message] = !found
      ? ([404, ct('notFound.report')] as const)
      : ([409, ct(found.kind === 'no_consent' ? 'sealed.problem.noConsent' : 'sealed.problem.notSealed')] as const);
    const title = found ? ct('sealed.title', { reference }) : ct('notFound.title');
    return render(c, MessagePage({ title, message, session: sessionOf(c) }), status);
  }

  return routes;
}
