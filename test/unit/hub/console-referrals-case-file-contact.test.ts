/**
 * Adding sealed contact details to the police case file (issue 23), through the whole hub app: the referral page
 * offers the choice only for reports whose reporter sealed details and agreed to share them, carrying the sealed
 * blocks for the browser; the case file made "to add" them says so and holds no sealed block; the browser's re-pack
 * (case-zip.ts, as add-contact.ts runs it) checks out; and the record of the final file is refused without the CSRF
 * token, for a malformed form, for a report without consent or without sealed details, for a file the hub did not
 * make, and otherwise written once per report with both SHA-256s. Only hashes reach the hub.
 */
import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSealingKeyPair, openPersonal, publicJwkOf } from '../../../lib/crypto/seal';
import { withSealedPersonal } from '../../../lib/report/seal-personal';
import { SEAL_ALG, type EncryptionKey, type Report } from '../../../lib/schema';
import { CONTACT_FILE, GENERATED_AT_HEADER, json, packCaseFile, SUMS_FILE } from '../../../hub/console/referrals/case-zip';
import { custodyOf } from '../../../hub/console/referrals/case-file';
import { custodySentence } from '../../../hub/console/referrals/custody-words';
import { referralsHref } from '../../../hub/console/shared/links';
import { sampleReport } from '../../fixtures/report';
import { clock, consoleApp, signedIn, type Browser } from './console-helpers';
import { openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;
let browser: Browser;
let other: Browser;
let moderatorEmail: string;
let pair: CryptoKeyPair;
let key: EncryptionKey;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const sha256Hex = async (bytes: Uint8Array) => sha256(bytes);

async function file(consents: Partial<Report['reporter']['consents']>, email: string, seal = true): Promise<{ reference: string; report: Report }> {
  const { sha256, bytes } = await uploadPng(app);
  const base = sampleReport();
  const clear: Report = {
    ...base,
    items: [{ ...base.items[0]!, captureMethod: 'manual', evidence: [{ sha256, mediaType: 'image/png', bytes: bytes.byteLength, kind: 'screenshot' }] }],
    reporter: {
      ...base.reporter,
      anonymous: false,
      name: 'Ola Sealed',
      email,
      phone: '+44 7700 900777',
      contact: { channel: 'email' },
      consents: { ...base.reporter.consents, police: true, shareContact: true, ...consents },
    },
  };
  const report = seal ? await withSealedPersonal(clear, key) : clear;
  const response = await postReport(app, report, report.id);
  expect(response.status, await response.clone().text()).toBe(201);
  return { reference: ((await response.json()) as { reference: string }).reference, report };
}

async function contactRows(reference: string) {
  return testDb.db.query<{ after: { sha256: string; baseSha256: string; generatedAt: string; references: string[] }; email: string }>(
    `SELECT a.after, m.email FROM audit_log a JOIN moderators m ON m.id = a.actor_id WHERE a.reference = $1 AND a.action = 'referral.case_file_contact' ORDER BY a.id`,
    [reference],
  );
}

beforeAll(async () => {
  testDb = await openTestDatabase();
  pair = await newSealingKeyPair();
  key = { kid: 'org-test-1', alg: SEAL_ALG, jwk: await publicJwkOf(pair.publicKey) };
  app = consoleApp(testDb.db, clock(new Date('2026-12-06T10:00:00.000Z')), { encryptionKey: key });
  const session = await signedIn(app, testDb.db);
  browser = session.browser;
  moderatorEmail = session.moderator.email;
  other = (await signedIn(app, testDb.db)).browser;
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

describe('sealed contact details in the police case file', () => {
  let shared: { reference: string; report: Report };
  let refused: { reference: string; report: Report };
  let clear: { reference: string; report: Report };

  beforeAll(async () => {
    shared = await file({}, 'shared@example.org');
    refused = await file({ shareContact: false }, 'refused@example.org');
    clear = await file({}, 'clear@example.org', false);
  }, SETUP_TIMEOUT_MS);

  it('offers the choice, with the sealed blocks for the browser, only where a reporter agreed to share sealed details', async () => {
    const page = await browser.get(referralsHref([shared.reference, refused.reference]));
    expect(page.headers.get('Content-Security-Policy')).toMatch(/script-src 'self'.*connect-src 'self'|connect-src 'self'.*script-src 'self'/);
    const html = await page.text();
    expect(html).toContain('Add the reporters’ sealed contact details (opened in your browser)');
    expect(html).toContain('src="/console/referrals/add-contact.js"');
    expect(html).toContain('needs JavaScript');
    const attribute = /data-sealed="([^"]+)"/.exec(html)?.[1]?.replaceAll('&quot;', '"');
    const sealed = JSON.parse(attribute ?? '[]') as Array<{ reference: string; reportId: string }>;
    expect(sealed.map((entry) => [entry.reference, entry.reportId])).toEqual([[shared.reference, shared.report.id]]);
    expect(html).not.toContain('shared@example.org');

    const without = await (await browser.get(referralsHref([refused.reference, clear.reference]))).text();
    expect(without).not.toContain('sealed contact details (opened in your browser)');
    expect(without).not.toContain('add-contact.js');

    const script = await browser.get('/console/referrals/add-contact.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
  }, 60_000);

  it('makes the file "to add" them, records it, and the browser re-packs it to a file that checks out', async () => {
    await browser.get(referralsHref([shared.reference, refused.reference]));
    const response = await browser.post('/console/referrals/case-file', { refs: `${shared.reference},${refused.reference}`, sealed: 'add' });
    expect(response.status).toBe(200);
    const generatedAt = response.headers.get(GENERATED_AT_HEADER)!;
    expect(generatedAt).toBe('2026-12-06T10:00:00.000Z');
    const base = new Uint8Array(await response.arrayBuffer());
    const files = new Map<string, Uint8Array>(Object.entries(unzipSync(base)));
    const filed = (reference: string) => JSON.parse(strFromU8(files.get(`reports/${reference}/report.json`)!)) as Record<string, unknown> & { withheld: string[] };
    expect(filed(shared.reference)).toMatchObject({ withheld: [], contactDetails: CONTACT_FILE });
    expect(filed(refused.reference).withheld).toContain('reporter.sealed');
    expect(filed(refused.reference)).not.toHaveProperty('contactDetails');
    for (const reference of [shared.reference, refused.reference]) expect(JSON.stringify(filed(reference))).not.toContain('"sealed"');
    const [row] = await testDb.db.query<{ after: { sha256: string; sealedAdded: string[] } }>(
      `SELECT after FROM audit_log WHERE reference = $1 AND action = 'referral.case_file'`,
      [shared.reference],
    );
    expect(row?.after).toMatchObject({ sha256: sha256(base), sealedAdded: [shared.reference] });

    // Packed again unchanged, the browser's ZIP is the hub's, byte for byte: same order, same time, same compression.
    expect(sha256((await packCaseFile(files, generatedAt, sha256Hex)).bytes)).toBe(sha256(base));
    // With contact.json added, as add-contact.ts adds it.
    const details = await openPersonal({ privateKey: pair.privateKey, publicJwk: key.jwk }, shared.report.reporter.sealed!, shared.report.id);
    files.set(`reports/${shared.reference}/${CONTACT_FILE}`, json({ reference: shared.reference, note: 'opened in a browser', contact: details }));
    const final = await packCaseFile(files, generatedAt, sha256Hex);
    const unzipped = unzipSync(final.bytes);
    const sums = strFromU8(unzipped[SUMS_FILE]!).trimEnd().split('\n');
    expect(sums).toHaveLength(Object.keys(unzipped).length - 1);
    for (const line of sums) {
      const [hash, name] = line.split('  ');
      expect(sha256(unzipped[name!]!), name).toBe(hash);
    }
    expect(sums.some((line) => line.endsWith(`  reports/${shared.reference}/${CONTACT_FILE}`))).toBe(true);
    expect(JSON.parse(strFromU8(unzipped[`reports/${shared.reference}/${CONTACT_FILE}`]!))).toMatchObject({ contact: { email: 'shared@example.org' } });

    // The record of the final file: refused without CSRF, malformed, for others' reports, for another moderator.
    const finalSha = sha256(final.bytes);
    const record = { refs: shared.reference, sha256: finalSha, baseSha256: sha256(base) };
    const path = '/console/referrals/case-file/contact';
    expect((await browser.post(path, { ...record, csrf: 'wrong' })).status).toBe(403);
    expect((await browser.post(path, record, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await browser.post(path, { ...record, sha256: 'not a hash' })).status).toBe(400);
    expect((await browser.post(path, { ...record, email: 'shared@example.org' })).status).toBe(400);
    expect((await browser.post(path, { ...record, refs: `${shared.reference},${refused.reference}` })).status).toBe(409);
    expect((await browser.post(path, { ...record, refs: clear.reference })).status).toBe(409);
    expect((await browser.post(path, { ...record, baseSha256: 'a'.repeat(64) })).status).toBe(409);
    expect((await browser.post(path, { ...record, sha256: record.baseSha256 })).status).toBe(409);
    await other.get(referralsHref([shared.reference]));
    expect((await other.post(path, record)).status).toBe(409);
    expect(await contactRows(shared.reference)).toEqual([]);

    const recorded = await browser.post(path, record);
    expect(recorded.status).toBe(204);
    const rows = await contactRows(shared.reference);
    expect(rows).toEqual([{ email: moderatorEmail, after: { sha256: finalSha, baseSha256: sha256(base), generatedAt, references: [shared.reference] } }]);
    expect(JSON.stringify(rows)).not.toMatch(/shared@example|Ola|7700/);
    expect(await contactRows(refused.reference)).toEqual([]);
    // The referral page's history and the report's trail name it.
    expect(await (await browser.get(referralsHref([shared.reference]))).text()).toContain(finalSha);
    expect(await (await browser.get(`/console/reports/${shared.reference}`)).text()).toContain('added the reporter’s sealed contact details, opened in their browser, to a police case file');
  }, 60_000);
});

describe('the chain of custody of a case file with contact details added', () => {
  it('keeps the saved file’s SHA-256 and nothing else of the row, and says it in words', () => {
    const sha = 'b'.repeat(64);
    const entry = custodyOf({
      id: 1,
      at: '2026-12-06T10:00:00.000Z',
      actor: 'mod@hub.example',
      action: 'referral.case_file_contact',
      reference: 'OHR-AAAA-AAAA',
      before: null,
      after: { sha256: sha, baseSha256: 'c'.repeat(64), generatedAt: '2026-12-06T10:00:00.000Z', email: 'leak@example.org' },
    });
    expect(entry).toEqual({ at: '2026-12-06T10:00:00.000Z', reference: 'OHR-AAAA-AAAA', actor: 'mod@hub.example', action: 'referral.case_file_contact', sha256: sha });
    expect(custodySentence(entry)).toBe(
      `mod@hub.example added the reporter’s sealed contact details, opened in their own browser, to a police case file (SHA-256 of the file: ${sha}).`,
    );
  });
});
