/**
 * Only the organisation can read who reported (issue 23, section 1). A hub publishes an encryption key (made on a
 * moderator's computer; the hub never has the private half); the extension's own background sends identified
 * reports to it. Then every row of every table of the hub's database is searched for the reporter's name, email,
 * phone and access needs — none is there in clear — and the organisation's private key opens what was sealed.
 * Runs on PGlite and on PostgreSQL (the second pass).
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createBackground } from '../../../extension/background/handlers';
import { DraftStore } from '../../../extension/drafts';
import { openOhrDatabase } from '../../../extension/db';
import { LookupResponse, CaptureResponse } from '../../../extension/messages';
import type { Settings } from '../../../extension/settings';
import { newSealingKeyPair, openPersonal, publicJwkOf } from '../../../lib/crypto/seal';
import type { Fetch } from '../../../lib/protocol/client';
import type { ReportDetails } from '../../../lib/report/details';
import { Report, SEAL_ALG, type EncryptionKey } from '../../../lib/schema';
import { pngDataUrl } from '../../fixtures/png';
import { createTestApp, openTestDatabase, SETUP_TIMEOUT_MS, UNLIMITED, type TestDatabase } from './helpers';

const HUB = 'http://org.test';
const PERSON = { name: 'Samira Okafor-Whitlock', email: 'samira.whitlock@example.org', phone: '07700 900461', accessNeeds: 'Deaf: text or email only' };

let database: TestDatabase;
let app: Hono;
let organisation: CryptoKeyPair;
let key: EncryptionKey;

beforeAll(async () => {
  organisation = await newSealingKeyPair();
  key = { kid: 'org-2026-12', alg: SEAL_ALG, jwk: await publicJwkOf(organisation.publicKey) };
  database = await openTestDatabase();
  app = createTestApp({ db: database.db, config: { ...UNLIMITED, encryptionKey: key } });
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await database?.dispose();
});

/** Every row of every table the hub has, as text (the schema of this test's database only). */
async function everyRow(): Promise<string> {
  const tables = await database.db.query<{ name: string }>(
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const rows = await Promise.all(tables.map(({ name }) => database.db.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`)));
  return rows.flat().map(({ row }) => row).join('\n');
}

/** The bytes a hub stored as evidence, as text too: a picture or snapshot could carry the details. */
async function evidenceText(): Promise<string> {
  const rows = await database.db.query<{ content: Uint8Array | null }>('SELECT content FROM evidence_content');
  return rows.map(({ content }) => (content ? Buffer.from(content).toString('latin1') : '')).join('\n');
}

describe('an identified report to a hub that publishes an encryption key', () => {
  let references: string[] = [];

  beforeAll(async () => {
    const store = await openOhrDatabase(`ohr-sealed-${crypto.randomUUID()}`);
    const drafts = new DraftStore(store);
    let settings: Settings = { endpoints: [] };
    const background = createBackground({
      getTab: async () => ({ windowId: 1, active: true, url: 'https://x.com/abuser/status/1', title: 'A post' }),
      captureVisibleTab: async () => pngDataUrl(640, 400),
      database: async () => store,
      fetch: ((input: RequestInfo | URL, init?: RequestInit) => app.request(String(input), init)) as Fetch,
      client: { app: 'ohr-extension', version: '0.1.0' },
      browser: 'Chromium 140',
      now: () => new Date(),
      newId: () => crypto.randomUUID(),
      scheduleWake: () => undefined,
      loadSettings: async () => settings,
    });
    const found = LookupResponse.parse(await background.handle({ type: 'lookup-endpoint', url: HUB }));
    if (!found.ok) throw new Error(found.problem.key);
    expect(found.discovery.encryptionKey).toEqual(key);
    settings = { endpoints: [{ url: found.url, discovery: found.discovery, addedAt: new Date().toISOString(), selected: true }] };

    const send = async (details: ReportDetails) => {
      const captured = CaptureResponse.parse(await background.handle({ type: 'capture-tab', tabId: 1, newReport: true }));
      if (!captured.ok) throw new Error(captured.problem.key);
      await drafts.saveAnswers(captured.draftId, details);
      expect(await background.handle({ type: 'send-draft', draftId: captured.draftId, summary: 'Threats after I spoke at the council', endpoints: [found.url] })).toEqual({ ok: true });
      await background.kick();
    };
    const reporter = { role: 'victim' as const, anonymous: false, ...PERSON, contact: { channel: 'phone' as const }, consents: { police: true, shareContact: true } };
    await send({ reporter });
    await send({ reporter: { ...reporter, consents: { ...reporter.consents, emailUpdates: true } } });
    references = (await database.db.query<{ reference: string }>('SELECT reference FROM reports ORDER BY received_at')).map((row) => row.reference);
    expect(references).toHaveLength(2);
  }, SETUP_TIMEOUT_MS);

  it('leaves no name, phone or access needs in clear anywhere in the database', async () => {
    const everything = `${await everyRow()}\n${await evidenceText()}`.toLowerCase();
    for (const value of [PERSON.name, PERSON.phone, PERSON.accessNeeds, 'Okafor', '900461']) expect(everything).not.toContain(value.toLowerCase());
  });

  it('keeps the email in clear only for the reporter who asked to be emailed updates', async () => {
    const bodies = await database.db.query<{ body: Report }>('SELECT body FROM reports ORDER BY received_at');
    expect(bodies[0]!.body.reporter.email).toBeUndefined();
    expect(bodies[1]!.body.reporter.email).toBe(PERSON.email);
    const first = await database.db.query<{ row: string }>('SELECT r::text AS row FROM reports r WHERE reference = $1', [references[0]]);
    expect(first[0]!.row.toLowerCase()).not.toContain('whitlock');
  });

  it('opens with the organisation’s private key, on the moderator’s side, for the report it was sealed in', async () => {
    const bodies = await database.db.query<{ body: Report }>('SELECT body FROM reports ORDER BY received_at');
    const opening = { privateKey: organisation.privateKey, publicJwk: key.jwk };
    for (const { body } of bodies) {
      const sealed = body.reporter.sealed!;
      expect(sealed).toMatchObject({ alg: SEAL_ALG, kid: key.kid });
      expect(await openPersonal(opening, sealed, body.id)).toEqual(PERSON);
    }
    // Moved into another report, a sealed block does not open: it is bound to the report it came in.
    await expect(openPersonal(opening, bodies[0]!.body.reporter.sealed!, bodies[1]!.body.id)).rejects.toThrow();
  });
});
