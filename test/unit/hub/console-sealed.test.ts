/**
 * The console's sealed-contact page (issue 23) through the whole hub app: what the page hands the moderator's browser
 * (the sealed block and the report id it is bound to, and a CSP that lets its own script call the hub back), which
 * the organisation's key file then opens; the opening recorded (`contact.open_sealed`) only with a valid CSRF token,
 * once per call, with who and which report and nothing of the details; and the refusals in words (not sealed, no consent, unknown, signed
 * out). The browser half runs in test/e2e/console-sealed-contact.spec.ts. Runs on PGlite and on PostgreSQL.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSealingKeyPair, openPersonal, publicJwkOf, unwrapWithPassphrase, wrapWithPassphrase } from '../../../lib/crypto/seal';
import { withSealedPersonal } from '../../../lib/report/seal-personal';
import { OrgKeyFile, SEAL_ALG, Sealed, type EncryptionKey, type Report } from '../../../lib/schema';
import { auditTrail, revealedRecently } from '../../../hub/domain/audit';
import { sampleReport } from '../../fixtures/report';
import { consoleApp, signedIn, type Browser } from './console-helpers';
import { describing, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

const PERSON = { name: 'Tomasz Ebele-Varga', email: 'tomasz.ev@example.org', phone: '07700 900777', accessNeeds: 'Screen reader user' };
const PASSPHRASE = 'a passphrase for the organisation key';

let database: TestDatabase;
let app: Hono;
let browser: Browser;
let moderatorId: string;
let keyFile: OrgKeyFile;

/** An identified report, sealed to `key` when given, filed through the API; its reference and body. */
async function file(key: EncryptionKey | undefined, shareContact = true): Promise<{ reference: string; report: Report }> {
  const { sha256, bytes } = await uploadPng(app);
  const base = describing(sampleReport(), sha256, bytes);
  const clear: Report = {
    ...base,
    reporter: { ...base.reporter, anonymous: false, ...PERSON, contact: { channel: 'email' }, consents: { ...base.reporter.consents, shareContact } },
  };
  const report = await withSealedPersonal(clear, key);
  const response = await postReport(app, report, report.id);
  expect(response.status).toBe(201);
  return { reference: ((await response.json()) as { reference: string }).reference, report };
}

const attribute = (html: string, name: string): string => {
  const raw = new RegExp(`${name}="([^"]*)"`).exec(html)?.[1] ?? '';
  return raw.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
};

beforeAll(async () => {
  const pair = await newSealingKeyPair();
  const encryptionKey: EncryptionKey = { kid: 'org-2026-12-06-test', alg: SEAL_ALG, jwk: await publicJwkOf(pair.publicKey) };
  keyFile = OrgKeyFile.parse({ format: 'ohr-org-key/1', encryptionKey, privateKey: await wrapWithPassphrase(pair.privateKey, PASSPHRASE, 1_000) });
  database = await openTestDatabase();
  app = consoleApp(database.db, undefined, { encryptionKey });
  const session = await signedIn(app, database.db);
  browser = session.browser;
  moderatorId = session.moderator.id;
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await database?.dispose();
});

describe('sealed contact details in the console', () => {
  it('hands the browser the sealed block and the id it is bound to, which the key file opens', async () => {
    const { reference, report } = await file(keyFile.encryptionKey);
    const view = await (await browser.get(`/console/reports/${reference}`)).text();
    expect(view).toContain('sealed to your organisation');
    expect(view).toContain(`href="/console/reports/${reference}/sealed"`);
    expect(view).toContain('Sealed with the contact details, if given');

    const response = await browser.get(`/console/reports/${reference}/sealed`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    const html = await response.text();
    for (const detail of Object.values(PERSON)) expect(html).not.toContain(detail);
    expect(html).toContain('Opening the contact details needs JavaScript');
    const sealed = Sealed.parse(JSON.parse(attribute(html, 'data-sealed')));
    expect(sealed).toEqual(report.reporter.sealed);
    expect(attribute(html, 'data-report-id')).toBe(report.id);
    // What the page's script does with them, here with the same lib functions.
    const privateKey = await unwrapWithPassphrase(keyFile.privateKey, PASSPHRASE);
    expect(await openPersonal({ privateKey, publicJwk: keyFile.encryptionKey.jwk }, sealed, attribute(html, 'data-report-id'))).toEqual(PERSON);
    await expect(unwrapWithPassphrase(keyFile.privateKey, 'not the passphrase')).rejects.toThrow();
  });

  it('records the opening only with the page’s CSRF token, with who and which report and none of the details', async () => {
    const { reference } = await file(keyFile.encryptionKey);
    await browser.get(`/console/reports/${reference}/sealed`);
    const reveal = `/console/reports/${reference}/sealed/revealed`;
    expect((await browser.post(reveal, { csrf: 'forged' })).status).toBe(403);
    expect((await browser.post(reveal, {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect(await auditTrail(database.db, reference)).toHaveLength(0);

    const recorded = await browser.post(reveal);
    expect(recorded.status).toBe(204);
    expect(await recorded.text()).toBe('');
    // Its own action, not the report view's "Show contact details" (`contact.reveal`), which it does not stand in for.
    const trail = await auditTrail(database.db, reference);
    expect(trail.map((row) => row.action)).toEqual(['contact.open_sealed']);
    expect(trail[0]!.actorId).toBe(moderatorId);
    expect(JSON.stringify(trail[0])).not.toMatch(/Tomasz|tomasz|900777|Screen reader/);
    expect(await revealedRecently(database.db, reference, moderatorId, 15)).toBe(false);
    const view = await (await browser.get(`/console/reports/${reference}`)).text();
    expect(view).toContain('opened the sealed contact details with the organisation’s key.');
  });

  it('says in words why there is nothing to open, and asks the signed-out to sign in', async () => {
    const clear = await file(undefined);
    const withheld = await file(keyFile.encryptionKey, false);
    const notSealed = await browser.get(`/console/reports/${clear.reference}/sealed`);
    expect(notSealed.status).toBe(409);
    expect(await notSealed.text()).toContain('This report has no sealed contact details.');
    const noConsent = await browser.get(`/console/reports/${withheld.reference}/sealed`);
    expect(noConsent.status).toBe(409);
    expect(await noConsent.text()).toContain('did not agree to share their contact details');
    expect((await browser.post(`/console/reports/${withheld.reference}/sealed/revealed`)).status).toBe(409);
    expect(await auditTrail(database.db, withheld.reference)).toHaveLength(0);
    expect((await browser.get('/console/reports/OHR-0000-0000/sealed')).status).toBe(404);

    const signedOut = await app.request(`/console/reports/${withheld.reference}/sealed`);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('Location')).toContain('/console/login');
    expect((await app.request(`/console/reports/${withheld.reference}/sealed/revealed`, { method: 'POST' })).status).toBe(401);
  });

  it('serves the opener script, bundled for the browser', async () => {
    const response = await app.request('/console/sealed-open.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toContain('text/javascript');
    const script = await response.text();
    // It compiles as a classic script (nothing is run here) and carries the HPKE suite it opens with.
    expect(() => new Function(script)).not.toThrow();
    expect(script).toContain('PBKDF2');
    const again = await app.request('/console/sealed-open.js', { headers: { 'If-None-Match': response.headers.get('ETag') ?? '' } });
    expect(again.status).toBe(304);
  });
});
