/**
 * The console's key-access pages (hub/console/key-access) through the whole hub app: a moderator's own key posted as
 * their page's script posts it (only with the page's CSRF token, refused in words' stead with 422 when malformed,
 * weak or carrying a private key); only admins see who has access, give it and remove it; a grant posted as the give
 * page's script posts it reaches the colleague's sealed-contact page, where their passphrase alone opens the details;
 * removal takes it away; each change audited. The browser half runs in test/e2e/console-key-access.spec.ts.
 * Runs on PGlite and on PostgreSQL.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSealingKeyPair, openKey, openPersonal, publicJwkOf, sealKeyTo, unwrapWithPassphrase, wrapWithPassphrase } from '../../../lib/crypto/seal';
import { withSealedPersonal } from '../../../lib/report/seal-personal';
import { SEAL_ALG, type EncryptionKey, type PublicKeyJwk, type Report } from '../../../lib/schema';
import { OwnAccessData } from '../../../hub/console/shared/org-key-unlock';
import { sampleReport } from '../../fixtures/report';
import { consoleApp, signedIn, type Browser } from './console-helpers';
import { describing, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

const PASSPHRASE = 'my own passphrase for sealed details';
const PERSON = { name: 'Bea Mensah', email: 'bea.m@example.org' };

let database: TestDatabase;
let app: Hono;
let orgPair: CryptoKeyPair;
let orgKey: EncryptionKey;
let admin: { browser: Browser; moderator: { id: string } };
let colleague: { browser: Browser; moderator: { id: string; email: string } };

const attribute = (html: string, name: string): string => {
  const raw = new RegExp(`${name}="([^"]*)"`).exec(html)?.[1] ?? '';
  return raw.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
};

const actions = async (action: string) => database.db.query<{ actor_id: string; after: unknown }>('SELECT actor_id::text AS actor_id, after FROM audit_log WHERE action = $1', [action]);

/** What the own-key page's script posts. */
async function ownKeyForm(passphrase = PASSPHRASE, rounds?: number) {
  const pair = await newSealingKeyPair();
  return { key: JSON.stringify({ publicJwk: await publicJwkOf(pair.publicKey), wrapped: await wrapWithPassphrase(pair.privateKey, passphrase, rounds) }) };
}

/** What the give page's script posts for `holder`, sealed to `recipient`. */
async function grantForm(holder: string, recipient: PublicKeyJwk) {
  return { grant: JSON.stringify({ orgKey, sealed: await sealKeyTo(recipient, orgPair.privateKey, holder), recipient }) };
}

beforeAll(async () => {
  orgPair = await newSealingKeyPair();
  orgKey = { kid: 'org-2026-12-06-routes', alg: SEAL_ALG, jwk: await publicJwkOf(orgPair.publicKey) };
  database = await openTestDatabase();
  app = consoleApp(database.db, undefined, { encryptionKey: orgKey });
  admin = await signedIn(app, database.db, 'admin');
  colleague = await signedIn(app, database.db);
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await database?.dispose();
});

describe('a moderator’s own key', () => {
  it('is set up from the account page’s script, with the CSRF token, and refused when malformed or weak', async () => {
    const account = await (await colleague.browser.get('/console/account')).text();
    expect(account).toContain('Access to sealed contact details');
    expect(account).toContain('You have not set up your key yet.');
    expect(account).toContain('href="/console/account/sealed-access"');

    const page = await colleague.browser.get('/console/account/sealed-access');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('Setting up your key needs JavaScript');
    expect(html).toContain('At least 12 characters');
    expect(attribute(html, 'data-save')).toBe('/console/account/sealed-access');

    const good = await ownKeyForm();
    expect((await colleague.browser.post('/console/account/sealed-access', { ...good, csrf: 'forged' })).status).toBe(403);
    expect((await colleague.browser.post('/console/account/sealed-access', good, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await colleague.browser.post('/console/account/sealed-access', { key: 'not json' })).status).toBe(422);
    expect((await colleague.browser.post('/console/account/sealed-access', await ownKeyForm(PASSPHRASE, 1_000))).status).toBe(422);
    const withPrivate = JSON.parse(good.key) as { publicJwk: PublicKeyJwk };
    expect((await colleague.browser.post('/console/account/sealed-access', { key: JSON.stringify({ ...withPrivate, publicJwk: { ...withPrivate.publicJwk, d: 'x'.repeat(43) } }) })).status).toBe(422);
    expect(await actions('key.setup')).toHaveLength(0);

    expect((await colleague.browser.post('/console/account/sealed-access', good)).status).toBe(204);
    expect((await actions('key.setup')).map((row) => row.actor_id)).toEqual([colleague.moderator.id]);
    const after = await (await colleague.browser.get('/console/account/sealed-access?done=set')).text();
    expect(after).toContain('Your key is set up.');
    expect(after).toContain(`You do not have access to your organisation’s current key (${orgKey.kid}) yet.`);
    expect(after).toContain('Replacing your key removes your access');
  });
});

describe('giving and removing access', () => {
  it('is for admins only', async () => {
    expect((await colleague.browser.get('/console/admin/sealed-access')).status).toBe(403);
    expect((await colleague.browser.get(`/console/admin/sealed-access/${colleague.moderator.id}`)).status).toBe(403);
    const self = (await database.db.query<{ public_jwk: PublicKeyJwk }>('SELECT public_jwk FROM moderator_keys WHERE moderator_id = $1', [colleague.moderator.id]))[0]!;
    await colleague.browser.get('/console/account');
    expect((await colleague.browser.post(`/console/admin/sealed-access/${colleague.moderator.id}/grant`, await grantForm(colleague.moderator.id, self.public_jwk))).status).toBe(403);
    expect((await colleague.browser.post(`/console/admin/sealed-access/${colleague.moderator.id}/remove`, { kid: orgKey.kid })).status).toBe(403);
    expect(await actions('key.grant')).toHaveLength(0);
  });

  it('lets an admin give access from the give page; the colleague’s passphrase then opens sealed details; removal takes it away', async () => {
    const list = await (await admin.browser.get('/console/admin/sealed-access')).text();
    expect(list).toContain(`The hub publishes key ${orgKey.kid}`);
    expect(list).toContain(`Give ${colleague.moderator.email} access to key ${orgKey.kid}`);
    expect(list).toContain('Not set up yet');
    expect(await (await admin.browser.get('/console/admin')).text()).toContain('href="/console/admin/sealed-access"');

    // No key set up: nothing to give access to.
    expect((await admin.browser.get(`/console/admin/sealed-access/${admin.moderator.id}`)).status).toBe(404);
    const give = await admin.browser.get(`/console/admin/sealed-access/${colleague.moderator.id}?kid=${orgKey.kid}`);
    expect(give.status).toBe(200);
    expect(give.headers.get('Content-Security-Policy')).toContain("connect-src 'self'");
    const html = await give.text();
    expect(html).toContain('Your organisation’s key file');
    expect(attribute(html, 'data-kid')).toBe(orgKey.kid);
    expect(attribute(html, 'data-holder')).toBe(colleague.moderator.id);
    const recipient = JSON.parse(attribute(html, 'data-recipient')) as PublicKeyJwk;
    const grantUrl = attribute(html, 'data-grant');

    const form = await grantForm(colleague.moderator.id, recipient);
    expect((await admin.browser.post(grantUrl, { ...form, csrf: 'forged' })).status).toBe(403);
    expect((await admin.browser.post(grantUrl, { grant: '{"orgKey": 1}' })).status).toBe(422);
    const stale = await grantForm(colleague.moderator.id, await publicJwkOf((await newSealingKeyPair()).publicKey));
    const refused = await admin.browser.post(grantUrl, stale);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toBe('key_changed');
    expect(await actions('key.grant')).toHaveLength(0);
    expect((await admin.browser.post(grantUrl, form)).status).toBe(204);
    expect(await actions('key.grant')).toEqual([{ actor_id: admin.moderator.id, after: { moderatorId: colleague.moderator.id, kid: orgKey.kid } }]);

    // The colleague's sealed-contact page: their passphrase first, the key file behind a disclosure.
    const reference = await sealedReport();
    const sealedPage = await (await colleague.browser.get(`/console/reports/${reference.reference}/sealed`)).text();
    expect(sealedPage).toContain('Your passphrase');
    expect(sealedPage).toContain('Use the organisation’s key file instead');
    const data = OwnAccessData.parse(JSON.parse(attribute(sealedPage, 'data-own-access')));
    // What the page's script then does, here with the same lib functions.
    const own = await unwrapWithPassphrase(data.wrapped, PASSPHRASE);
    const organisation = await openKey({ privateKey: own, publicJwk: data.publicJwk }, data.grants[0]!.sealed, data.holder);
    const opened = await openPersonal({ privateKey: organisation, publicJwk: data.grants[0]!.orgKey.jwk }, reference.report.reporter.sealed!, reference.report.id);
    expect(opened).toMatchObject(PERSON);
    expect(await (await colleague.browser.get('/console/account')).text()).toContain(`You have access to your organisation’s current key (${orgKey.kid})`);

    await admin.browser.get('/console/admin/sealed-access');
    const removed = await admin.browser.post(`/console/admin/sealed-access/${colleague.moderator.id}/remove`, { kid: orgKey.kid });
    expect(removed.status).toBe(303);
    const flash = await (await admin.browser.get(removed.headers.get('Location')!)).text();
    expect(flash).toContain(`Removed ${colleague.moderator.email}’s access to key ${orgKey.kid}.`);
    expect(await actions('key.revoke')).toHaveLength(1);
    const again = await admin.browser.post(`/console/admin/sealed-access/${colleague.moderator.id}/remove`, { kid: orgKey.kid });
    expect(again.headers.get('Location')).toContain('problem=not_found');

    const without = await (await colleague.browser.get(`/console/reports/${reference.reference}/sealed`)).text();
    expect(without).not.toContain('data-own-access');
    expect(without).toContain(`You do not have access to key ${orgKey.kid} with your own passphrase`);
  });

  it('serves both pages’ scripts, bundled for the browser', async () => {
    for (const script of ['/console/key-setup.js', '/console/key-give.js']) {
      const response = await app.request(script);
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toContain('text/javascript');
      const text = await response.text();
      expect(() => new Function(text)).not.toThrow();
    }
  }, 60_000);
});

/** An identified report sealed to the organisation key, filed through the API. */
async function sealedReport(): Promise<{ reference: string; report: Report }> {
  const { sha256, bytes } = await uploadPng(app);
  const base = describing(sampleReport(), sha256, bytes);
  const clear: Report = {
    ...base,
    reporter: { ...base.reporter, anonymous: false, ...PERSON, contact: { channel: 'email' }, consents: { ...base.reporter.consents, shareContact: true } },
  };
  const report = await withSealedPersonal(clear, orgKey);
  const response = await postReport(app, report, report.id);
  expect(response.status).toBe(201);
  return { reference: ((await response.json()) as { reference: string }).reference, report };
}
