/**
 * Only the organisation can read who reported (issue 23, section 1). A hub publishes an encryption key (made on a
 * moderator's computer; the hub never has the private half). Identified reports reach it over HTTP, as its clients
 * send them: two from the extension's own background, one from the widget's outbox sealed by the module the hub
 * serves it (`widget/seal-entry.ts`). Then nothing the hub keeps holds the reporters' names, emails, phones or access
 * needs in clear: not a row of any table, and — once the hub has stopped — not a byte of any file it wrote (its PGlite
 * data folder, a backup of it, its log). The organisation's private key opens what was sealed.
 *
 * A search that cannot fail proves nothing, so one more report reaches the same hub unsealed, as the widget sends it
 * to an organisation that publishes no key, and both searches must find that reporter's details.
 *
 * Runs on PGlite and on PostgreSQL (the second pass, scripts/test-postgres.ts). On PostgreSQL the rows, the backup and
 * the log are searched; the database's own files belong to the server, not to the hub, so the search of the data
 * folder runs on PGlite only.
 */
import 'fake-indexeddb/auto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackground } from '../../../extension/background/handlers';
import { DraftStore } from '../../../extension/drafts';
import { openOhrDatabase } from '../../../extension/db';
import { LookupResponse, CaptureResponse } from '../../../extension/messages';
import type { Settings } from '../../../extension/settings';
import { writeBackup } from '../../../hub/backup/backup';
import { openDatabase, type Database } from '../../../hub/db';
import { startHub, type RunningHub } from '../../../hub/server';
import { newSealingKeyPair, openPersonal, publicJwkOf } from '../../../lib/crypto/seal';
import type { Fetch } from '../../../lib/protocol/client';
import type { ReportDetails } from '../../../lib/report/details';
import { Report, SEAL_ALG, type Discovery, type EncryptionKey, type PersonalData } from '../../../lib/schema';
import { write, type Answers } from '../../../widget/answers';
import { drain, entries, save, type Entry } from '../../../widget/outbox';
import { sealEntry } from '../../../widget/seal-entry';
import { sealed as widgetSealed } from '../../../widget/sealing';
import { pngDataUrl } from '../../fixtures/png';
import { openTestDatabase, SETUP_TIMEOUT_MS, UNLIMITED, type TestDatabase } from './helpers';

/** Each reporter has details of their own, so a find says which client's sealing failed. */
const EXTENSION_PERSON = { name: 'Samira Okafor-Whitlock', email: 'samira.whitlock@example.org', phone: '07700 900461', accessNeeds: 'Deaf: text or email only' };
/** Asked to be emailed updates: this email stays readable (the hub writes to it); the rest is sealed. */
const EMAILED_PERSON = { name: 'Bartholomew Nkemelu-Drax', email: 'b.drax@example.org', phone: '07700 900517', accessNeeds: 'Mornings only, please' };
const WIDGET_PERSON = { name: 'Idris Pemberton-Vale', email: 'idris.pemberton-vale@example.org', phone: '07700 900533', accessNeeds: 'Large print letters' };
/** Sent unsealed: the searches must find this one. */
const CLEAR_PERSON = { name: 'Tobias Quennell-Arkwright', email: 'tobias.arkwright@example.net', phone: '07700 900872', accessNeeds: 'Screen reader user' };

const postgres = Boolean(process.env.DATABASE_URL);
let organisation: CryptoKeyPair;
let key: EncryptionKey;
/** Everything the hub writes lives under here: data/ (PGlite), backups/, logs/. */
let root: string;
let hub: RunningHub;
/** PostgreSQL: the test's own schema, kept open after the hub stops so the backup can be made and the schema dropped. */
let database: TestDatabase | undefined;
let hubStopped = false;

beforeAll(async () => {
  organisation = await newSealingKeyPair();
  key = { kid: 'org-2026-12', alg: SEAL_ALG, jwk: await publicJwkOf(organisation.publicKey) };
  root = await mkdtemp(join(tmpdir(), 'ohr-sealed-'));
  await mkdir(join(root, 'logs'));
  await mkdir(join(root, 'backups'));
  // The hub's log as an operator would keep it, at debug so as much as possible is written.
  const logger = pino({ level: 'debug', base: { service: 'ohr-hub' } }, pino.destination({ dest: join(root, 'logs', 'hub.log'), sync: true }));
  const config = { ...UNLIMITED, encryptionKey: key, shutdownGraceMs: 0 };
  if (postgres) {
    database = await openTestDatabase();
    // The hub closing must not close the schema's connection: the backup and the clean-up still need it.
    hub = await startHub({ port: 0, db: { ...database.db, close: async () => undefined }, config, logger });
  } else {
    hub = await startHub({ port: 0, dataDir: join(root, 'data'), config, logger });
  }
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (!hubStopped) await hub?.close();
  await database?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

const db = (): Database => hub.db;

/** Every row of every table the hub has, as text (the schema of this test's database only). */
async function everyRow(): Promise<string> {
  const tables = await db().query<{ name: string }>(
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const rows = await Promise.all(tables.map(({ name }) => db().query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`)));
  return rows.flat().map(({ row }) => row).join('\n');
}

/** The bytes a hub stored as evidence, as text too: a picture or snapshot could carry the details. */
async function evidenceText(): Promise<string> {
  const rows = await db().query<{ content: Uint8Array | null }>('SELECT content FROM evidence_content');
  return rows.map(({ content }) => (content ? Buffer.from(content).toString('latin1') : '')).join('\n');
}

/** The forms a detail could be written in: as given and with the phone's digits only; matched without case. */
const forms = (person: Partial<PersonalData>): string[] =>
  Object.values(person).flatMap((value) => (value ? [value, ...(/^[\d ]+$/.test(value) ? [value.replace(/ /g, '')] : [])] : []));

async function sendFromExtension(): Promise<void> {
  const store = await openOhrDatabase(`ohr-sealed-${crypto.randomUUID()}`);
  const drafts = new DraftStore(store);
  let settings: Settings = { endpoints: [] };
  const background = createBackground({
    getTab: async () => ({ windowId: 1, active: true, url: 'https://x.com/abuser/status/1', title: 'A post' }),
    captureVisibleTab: async () => pngDataUrl(640, 400),
    database: async () => store,
    fetch: globalThis.fetch as Fetch,
    client: { app: 'ohr-extension', version: '0.1.0' },
    browser: 'Chromium 140',
    now: () => new Date(),
    newId: () => crypto.randomUUID(),
    scheduleWake: () => undefined,
    loadSettings: async () => settings,
  });
  const found = LookupResponse.parse(await background.handle({ type: 'lookup-endpoint', url: hub.url }));
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
  const reporter = { role: 'victim' as const, anonymous: false, contact: { channel: 'phone' as const }, consents: { police: true, shareContact: true } };
  await send({ reporter: { ...reporter, ...EXTENSION_PERSON } });
  await send({ reporter: { ...reporter, ...EMAILED_PERSON, consents: { ...reporter.consents, emailUpdates: true } } });
}

/**
 * The widget's outbox sending to the hub over HTTP: one report sealed as the widget seals it for a hub with a key,
 * and the control, left as the widget leaves a report to a hub that publishes none.
 */
async function sendFromWidget(): Promise<void> {
  const discovery = (await (await fetch(`${hub.url}/.well-known/ohr`)).json()) as Discovery;
  expect(discovery.encryptionKey).toEqual(key);
  const entryOf = (person: typeof WIDGET_PERSON): Entry => {
    let answers: Answers = write({}, 'incident.summary', 'Threats about my faith');
    answers = write(answers, 'reporter.anonymous', false);
    for (const [field, value] of Object.entries(person)) answers = write(answers, `reporter.${field}`, value);
    return { id: crypto.randomUUID(), routes: discovery, createdAt: new Date().toISOString(), answers, items: [{ url: 'https://x.com/someone/status/2', uploads: [] }], attempt: 0, notBefore: 0, leaseUntil: 0 };
  };
  const sealedEntry = await sealEntry(entryOf(WIDGET_PERSON), key);
  const clearEntry = await widgetSealed({ ...discovery, encryptionKey: undefined }, entryOf(CLEAR_PERSON));
  expect(sealedEntry.report?.reporter.sealed).toBeDefined();
  expect(clearEntry.report).toBeUndefined();
  for (const entry of [sealedEntry, clearEntry]) await save(entry);
  await drain(discovery.submitUrl);
  const sent = await entries(discovery.submitUrl);
  for (const { id } of [sealedEntry, clearEntry]) expect(sent.find((entry) => entry.id === id)?.receipt).toBeDefined();
}

describe('identified reports to a hub that publishes an encryption key, from the extension and the widget', () => {
  let bodies: Report[] = [];
  const bodyOf = (detail: string) => bodies.find((body) => body.reporter.name === detail || body.reporter.email === detail);

  beforeAll(async () => {
    await sendFromExtension();
    await sendFromWidget();
    bodies = (await db().query<{ body: Report }>('SELECT body FROM reports ORDER BY received_at')).map(({ body }) => body);
    expect(bodies).toHaveLength(4);
  }, SETUP_TIMEOUT_MS);

  it('leaves no name, email, phone or access needs of theirs in clear in any row; the unsealed control is found', async () => {
    const everything = `${await everyRow()}\n${await evidenceText()}`.toLowerCase();
    const { email: _readable, ...emailedSealed } = EMAILED_PERSON;
    for (const value of forms(EXTENSION_PERSON).concat(forms(emailedSealed), forms(WIDGET_PERSON), ['Okafor', 'Nkemelu', 'Pemberton'])) {
      expect(everything, value).not.toContain(value.toLowerCase());
    }
    for (const value of [CLEAR_PERSON.name, CLEAR_PERSON.email, CLEAR_PERSON.phone]) expect(everything, value).toContain(value.toLowerCase());
  });

  it('keeps the email in clear only for the reporter who asked to be emailed updates', () => {
    expect(bodyOf(EMAILED_PERSON.email)?.reporter).toMatchObject({ email: EMAILED_PERSON.email, sealed: { kid: key.kid } });
    expect(bodyOf(EMAILED_PERSON.email)?.reporter.name).toBeUndefined();
    const sealedBodies = bodies.filter((body) => body.reporter.sealed);
    expect(sealedBodies).toHaveLength(3);
    expect(sealedBodies.filter((body) => body.reporter.email !== undefined)).toHaveLength(1);
    expect(bodyOf(CLEAR_PERSON.name)?.reporter).toMatchObject(CLEAR_PERSON);
    expect(bodyOf(CLEAR_PERSON.name)?.reporter).not.toHaveProperty('sealed');
  });

  it('opens with the organisation’s private key, on the moderator’s side, for the report it was sealed in', async () => {
    const opening = { privateKey: organisation.privateKey, publicJwk: key.jwk };
    const opened = await Promise.all(bodies.filter((body) => body.reporter.sealed).map((body) => openPersonal(opening, body.reporter.sealed!, body.id)));
    expect(opened).toEqual(expect.arrayContaining([EXTENSION_PERSON, EMAILED_PERSON, WIDGET_PERSON]));
    for (const body of bodies.filter((candidate) => candidate.reporter.sealed)) expect(body.reporter.sealed).toMatchObject({ alg: SEAL_ALG, kid: key.kid });
    // Moved into another report, a sealed block does not open: it is bound to the report it came in.
    const [first, second] = bodies.filter((body) => body.reporter.sealed);
    await expect(openPersonal(opening, first!.reporter.sealed!, second!.id)).rejects.toThrow();
  });

  describe('once the hub has stopped, every file it wrote', () => {
    let files: FileText[] = [];

    beforeAll(async () => {
      // Closing flushes PGlite's pages to its folder (a shutdown checkpoint) and releases the folder's lock.
      hubStopped = true;
      await hub.close();
      const backup = join(root, 'backups', 'ohr-nightly.tar.gz');
      if (database) {
        await writeBackup(database.db, backup, { totpKey: null });
      } else {
        // As the nightly backup does on PGlite: the hub stopped, the folder opened by the backup alone.
        const folder = await openDatabase({ dataDir: join(root, 'data'), migrate: false, purpose: 'the test backup' });
        try {
          await writeBackup(folder, backup, { totpKey: null });
        } finally {
          await folder.close();
        }
      }
      files = await filesUnder(root);
    }, SETUP_TIMEOUT_MS);

    it('holds none of their names, emails, phones or access needs, in UTF-8 or UTF-16, in any case', () => {
      const where = new Set(files.map(({ path }) => path.split('/')[0]));
      expect([...where].sort()).toEqual(postgres ? ['backups', 'logs'] : ['backups', 'data', 'logs']);
      const { email: _readable, ...emailedSealed } = EMAILED_PERSON;
      for (const value of forms(EXTENSION_PERSON).concat(forms(emailedSealed), forms(WIDGET_PERSON))) {
        expect(filesHolding(files, value), value).toEqual([]);
      }
    });

    it('holds the unsealed control’s details: the search can find what is there', () => {
      for (const value of [CLEAR_PERSON.name, CLEAR_PERSON.email, CLEAR_PERSON.phone]) {
        const holding = filesHolding(files, value);
        // The backup's rows, unpacked from gzip, on either engine. On PGlite, its folder: the write-ahead log, and the
        // table's own pages, which only the checkpoint at close writes (so the hub had flushed before the search).
        expect(holding.some((path) => path.startsWith('backups/')), `${value} in the backup: ${holding.join(', ')}`).toBe(true);
        if (!postgres) {
          expect(holding.some((path) => path.startsWith('data/pg_wal/')), `${value} in the write-ahead log: ${holding.join(', ')}`).toBe(true);
          expect(holding.some((path) => path.startsWith('data/base/')), `${value} in the table pages: ${holding.join(', ')}`).toBe(true);
        }
      }
    });
  });
});

interface FileText {
  /** Relative to the test's root folder. */
  path: string;
  /** The file's bytes with ASCII letters in lower case, so a search ignores case in UTF-8 and UTF-16 alike. */
  lowered: Buffer;
}

/** Every file under `folder`, read as bytes; a gzip file (the backup) is also searched unpacked. */
async function filesUnder(folder: string): Promise<FileText[]> {
  const found = await readdir(folder, { recursive: true, withFileTypes: true });
  const files: FileText[] = [];
  for (const entry of found.filter((candidate) => candidate.isFile())) {
    const full = join(entry.parentPath, entry.name);
    const bytes = await readFile(full);
    const path = relative(folder, full);
    files.push({ path, lowered: lowerAscii(bytes) });
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) files.push({ path: `${path} (unpacked)`, lowered: lowerAscii(gunzipSync(bytes)) });
  }
  return files;
}

function lowerAscii(bytes: Buffer): Buffer {
  const lowered = Buffer.from(bytes);
  for (let index = 0; index < lowered.length; index++) {
    const byte = lowered[index]!;
    if (byte >= 0x41 && byte <= 0x5a) lowered[index] = byte + 0x20;
  }
  return lowered;
}

/** The files holding `value` in UTF-8 or UTF-16LE, whatever the case of its letters. */
function filesHolding(files: readonly FileText[], value: string): string[] {
  const lower = value.toLowerCase();
  const needles = [Buffer.from(lower, 'utf8'), Buffer.from(lower, 'utf16le')];
  return files.filter(({ lowered }) => needles.some((needle) => lowered.includes(needle))).map(({ path }) => path);
}
