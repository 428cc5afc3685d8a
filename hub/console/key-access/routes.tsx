/**
 * Moderators' own access to sealed contact details (issue 23; the rules in hub/domain/key-access.ts):
 * - /console/account/sealed-access: a moderator sets up or replaces their own key. Their browser makes the key pair
 *   and wraps the private half under a passphrase it never sends; the hub receives the public half and the wrapped one.
 * - /console/admin/sealed-access (admins): who has a key and access to which organisation key; "Give access" opens a
 *   page where the admin's browser opens the organisation key and seals it to the colleague's key, and sends only
 *   that; "Remove access" deletes a grant.
 * - The two pages' scripts, bundled for the browser.
 * The scripts' posts carry the page's CSRF token; they are answered 204, or with the name of what went wrong.
 */
import { Hono, type Context } from 'hono';
import { etag } from 'hono/etag';
import { z } from 'zod';
import { ct } from '../../../lib/i18n/console';
import { KeyId } from '../../../lib/schema';
import { accessOverview, accountWithKey, grantAccess, GrantInput, OwnKeyInput, ownAccessOf, removeAccess, setOwnKey } from '../../domain/key-access';
import { personLabel } from '../../domain/people';
import { formBody, requireAdmin, requireCsrf, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { browserBundle } from '../shared/browser-bundle';
import { ownScripts } from '../shared/csp';
import { MessagePage, render } from '../shared/layout';
import { CONSOLE_BASE, href } from '../shared/links';
import { AccessListPage, GIVE_SCRIPT, GivePage, OwnKeyPage, SETUP_SCRIPT, type Flash } from './pages';

/** A JSON field of a posted form, read and checked by `schema`. */
const jsonField = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .max(16_384)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'Expected JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

const SetupForm = z.object({ key: jsonField(OwnKeyInput) });
const GrantForm = z.object({ grant: jsonField(GrantInput) });
const RemoveForm = z.object({ kid: KeyId });

const OWN_FLASH: Record<string, Flash> = {
  set: { kind: 'done', key: 'keyAccess.setDone' },
  replaced: { kind: 'done', key: 'keyAccess.replacedDone' },
};

export function keyAccessRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const { db } = deps;
  const signedIn = requireModerator(deps);
  const admin = [signedIn, requireAdmin()] as const;
  const csrf = requireCsrf(deps);
  const current = () => deps.config.encryptionKey;

  routes.get('/account/sealed-access', signedIn, ownScripts({ fetchesOwnOrigin: true }), async (c) => {
    const access = await ownAccessOf(db, c.get('moderator').id);
    return render(c, <OwnKeyPage session={sessionOf(c)} access={access} current={current()} flash={OWN_FLASH[c.req.query('done') ?? '']} />);
  });

  routes.post('/account/sealed-access', signedIn, csrf, async (c) => {
    const form = SetupForm.safeParse(await formBody(c));
    if (!form.success) return c.text('invalid', 422);
    await setOwnKey(db, c.get('moderator').id, form.data.key);
    return c.body(null, 204);
  });

  routes.get('/admin/sealed-access', ...admin, async (c) => {
    const { accounts, kids } = await accessOverview(db);
    return render(c, <AccessListPage session={sessionOf(c)} accounts={accounts} current={current()} kids={kids} flash={await listFlash(c)} />);
  });

  routes.get('/admin/sealed-access/:id', ...admin, ownScripts({ fetchesOwnOrigin: true }), async (c) => {
    const id = z.uuid().safeParse(c.req.param('id'));
    const kid = KeyId.safeParse(c.req.query('kid') ?? current()?.kid);
    const colleague = id.success ? await colleagueOf(id.data) : undefined;
    if (!colleague || !kid.success) {
      return render(c, MessagePage({ title: ct('keyAccess.adminTitle'), message: ct('keyAccess.cannotGive'), session: sessionOf(c) }), 404);
    }
    const own = (await ownAccessOf(db, c.get('moderator').id)) ?? null;
    return render(c, <GivePage session={sessionOf(c)} colleague={colleague} kid={kid.data} own={own} />);
  });

  routes.post('/admin/sealed-access/:id/grant', ...admin, csrf, async (c) => {
    const id = z.uuid().safeParse(c.req.param('id'));
    const form = GrantForm.safeParse(await formBody(c));
    if (!id.success || !form.success) return c.text('invalid', 422);
    const outcome = await grantAccess(db, id.data, form.data.grant, c.get('moderator').id, current());
    return outcome === 'done' ? c.body(null, 204) : c.text(outcome, 409);
  });

  routes.post('/admin/sealed-access/:id/remove', ...admin, csrf, async (c) => {
    const id = z.uuid().safeParse(c.req.param('id'));
    const form = RemoveForm.safeParse(await formBody(c));
    const outcome = id.success && form.success ? await removeAccess(db, id.data, form.data.kid, c.get('moderator').id) : 'not_found';
    const query = outcome === 'done' && id.success && form.success ? `done=removed&who=${id.data}&kid=${encodeURIComponent(form.data.kid)}` : 'problem=not_found';
    return c.redirect(`${href.adminKeyAccess}?${query}`, 303);
  });

  // About 37 KB gzipped each (zod and the HPKE suite): revalidated by their ETag, sent again only when changed.
  for (const [script, file] of [
    [SETUP_SCRIPT, './setup.ts'],
    [GIVE_SCRIPT, './give.ts'],
  ] as const) {
    routes.get(script.slice(CONSOLE_BASE.length), etag(), async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.body(await browserBundle(new URL(file, import.meta.url)), 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
    });
  }

  /** An enabled account with a key set up: who may be given access. */
  async function colleagueOf(id: string) {
    const account = await accountWithKey(db, id, true);
    if (!account?.publicJwk) return undefined;
    return { id, label: personLabel({ email: account.email, displayName: account.name }), publicJwk: account.publicJwk };
  }

  /** The list page's message after a grant or a removal (the removed account named by its id in the address). */
  async function listFlash(c: Context<ConsoleEnv>): Promise<Flash | undefined> {
    if (c.req.query('problem') === 'not_found') return { kind: 'problem', key: 'keyAccess.removeNotFound' };
    if (c.req.query('done') === 'granted') return { kind: 'done', key: 'keyAccess.grantedDone' };
    if (c.req.query('done') !== 'removed') return undefined;
    const id = z.uuid().safeParse(c.req.query('who'));
    const kid = KeyId.safeParse(c.req.query('kid'));
    const account = id.success ? await accountWithKey(db, id.data, false) : undefined;
    if (!account || !kid.success) return undefined;
    return { kind: 'done', key: 'keyAccess.removedDone', values: { who: personLabel({ email: account.email, displayName: account.name }), kid: kid.data } };
  }

  return routes;
}
