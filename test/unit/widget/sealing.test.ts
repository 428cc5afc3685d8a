/**
 * The widget's sealing step (issue 23): for a hub that publishes an encryption key, an identified report's name,
 * email, phone and access needs are sealed (`seal-entry.ts`, the module the hub serves as `/widget/seal.js`) before the
 * report is kept in the outbox or sent. The outbox, IndexedDB included, then holds them only as ciphertext; the hub
 * files the sealed report, and the organisation's private key opens it for that report only. The module is asked for
 * only when there is something to seal and a key to seal it to; a load that fails leaves the report unsent.
 * IndexedDB is fake-indexeddb; the hub is the real one, in process, on a real database.
 */
import 'fake-indexeddb/auto';
import type { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newSealingKeyPair, openPersonal, publicJwkOf } from '../../../lib/crypto/seal';
import { Report, SEAL_ALG, type Discovery, type EncryptionKey } from '../../../lib/schema';
import { write, type Answers } from '../../../widget/answers';
import { drain, entries, keep, save, type Entry } from '../../../widget/outbox';
import { sealEntry } from '../../../widget/seal-entry';
import { sealed } from '../../../widget/sealing';
import { createTestApp, openTestDatabase, SETUP_TIMEOUT_MS, UNLIMITED, type TestDatabase } from '../hub/helpers';

const PERSON = { name: 'Samira Okafor-Whitlock', email: 'samira.whitlock@example.org', phone: '07700 900461', accessNeeds: 'Deaf: text or email only' };

let database: TestDatabase;
let app: Hono;
let organisation: CryptoKeyPair;
let key: EncryptionKey;
let discovery: Discovery;

beforeAll(async () => {
  organisation = await newSealingKeyPair();
  key = { kid: 'org-2026-12', alg: SEAL_ALG, jwk: await publicJwkOf(organisation.publicKey) };
  database = await openTestDatabase();
  app = createTestApp({ db: database.db, config: { ...UNLIMITED, encryptionKey: key } });
  discovery = (await (await app.request('http://hub.test/.well-known/ohr')).json()) as Discovery;
}, SETUP_TIMEOUT_MS);
afterAll(() => database.dispose());
afterEach(() => vi.unstubAllGlobals());

function identified(emailUpdates = false): Answers {
  let answers = write({}, 'incident.summary', 'Threats about my faith');
  answers = write(answers, 'reporter.anonymous', false);
  for (const [field, value] of Object.entries(PERSON)) answers = write(answers, `reporter.${field}`, value);
  return write(answers, 'reporter.consents.emailUpdates', emailUpdates);
}

const entryOf = (answers: Answers): Entry => ({
  id: crypto.randomUUID(), routes: discovery, createdAt: new Date().toISOString(), answers, items: [{ url: 'https://x.com/someone/status/1', uploads: [] }],
  attempt: 0, notBefore: 0, leaseUntil: 0,
});
const opening = () => ({ privateKey: organisation.privateKey, publicJwk: key.jwk });

/** What the widget's database holds, read past the widget, as text. */
async function databaseText(): Promise<string> {
  const request = indexedDB.open('ohr-widget');
  await new Promise((resolve) => (request.onsuccess = resolve));
  const read = request.result.transaction('outbox').objectStore('outbox').getAll();
  await new Promise((resolve) => (read.onsuccess = resolve));
  request.result.close();
  return JSON.stringify(read.result);
}

describe('the widget seals personal data to an organisation that publishes a key', () => {
  it('asks for the sealing module only for an identified report to a hub with a key; a module that cannot be loaded is a failure, never the details in clear', async () => {
    const entry = entryOf(identified());
    const noKey = { ...discovery, encryptionKey: undefined };
    expect(await sealed(noKey, entry)).toBe(entry);
    const anonymous = entryOf(write(identified(), 'reporter.anonymous', true));
    expect(await sealed(discovery, anonymous)).toBe(anonymous);
    // With a key and an identified reporter, the module is loaded from the hub; where it cannot be (here: no such
    // host) it rejects. (With nothing personal given, the module leaves the entry as it was: see below.)
    await expect(sealed({ ...discovery, submitUrl: 'http://unreachable.invalid/v1/reports' }, entry)).rejects.toThrow();
  });

  it('seals name, email, phone and access needs into the report under its id, and keeps none of them in the answers', async () => {
    const entry = entryOf(identified());
    const sealedEntry = await sealEntry(entry, key);
    const report = Report.parse(sealedEntry.report);
    expect(report.id).toBe(entry.id);
    expect(report.reporter).toMatchObject({ anonymous: false, sealed: { alg: SEAL_ALG, kid: key.kid } });
    const text = JSON.stringify(sealedEntry).toLowerCase();
    for (const value of Object.values(PERSON)) expect(text).not.toContain(value.toLowerCase());
    expect(await openPersonal(opening(), report.reporter.sealed!, entry.id)).toEqual(PERSON);
    // Bound to this report: under another id it does not open.
    await expect(openPersonal(opening(), report.reporter.sealed!, crypto.randomUUID())).rejects.toThrow();
    // What is not personal stays, so a refused report reopens with it.
    expect(sealedEntry.answers.incident?.summary).toBe('Threats about my faith');
    expect(sealedEntry.answers.reporter).toMatchObject({ anonymous: false });
  });

  it('keeps in clear only the email the person asked to be updated at, which the hub writes to', async () => {
    const entry = entryOf(identified(true));
    const { report, answers } = await sealEntry(entry, key);
    expect(report!.reporter.email).toBe(PERSON.email);
    expect(answers.reporter?.email).toBe(PERSON.email);
    const text = JSON.stringify({ report, answers });
    for (const value of [PERSON.name, PERSON.phone, PERSON.accessNeeds]) expect(text).not.toContain(value);
  });

  it('an anonymous report, or one with nothing personal, is left as it was', async () => {
    const anonymous = entryOf(write(identified(), 'reporter.anonymous', true));
    expect(await sealEntry(anonymous, key)).toBe(anonymous);
    const nothingGiven = entryOf(write(write({}, 'incident.summary', 'x'), 'reporter.anonymous', false));
    expect(await sealEntry(nothingGiven, key)).toBe(nothingGiven);
  });

  it('kept in IndexedDB, the waiting report holds the details only as ciphertext; sent, the hub files the sealed report', async () => {
    const fresh = entryOf(identified());
    const ready = await sealEntry(fresh, key);
    // The hub cannot be reached: the report waits, and the person keeps it in this browser.
    vi.stubGlobal('fetch', async () => Promise.reject(new TypeError('offline')));
    await save(ready);
    await drain(discovery.submitUrl);
    const waiting = (await entries(discovery.submitUrl)).find((candidate) => candidate.id === fresh.id)!;
    expect(waiting.attempt).toBe(1);
    expect(await keep(waiting)).toBe(true);
    const stored = (await databaseText()).toLowerCase();
    expect(stored).toContain(fresh.id);
    for (const value of Object.values(PERSON)) expect(stored).not.toContain(value.toLowerCase());
    // Back online: the stored report, sealed, is what the hub files.
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => app.request(url, init));
    await save({ ...waiting, keep: true, notBefore: 0 });
    await drain(discovery.submitUrl);
    const [row] = await database.db.query<{ body: Report }>('SELECT body FROM reports WHERE id = $1', [fresh.id]);
    expect(row!.body.reporter.name).toBeUndefined();
    expect(await openPersonal(opening(), row!.body.reporter.sealed!, fresh.id)).toEqual(PERSON);
  });
});
