/**
 * Backup and restore (hub/backup/): a hub with reports, evidence (one file larger than a storage chunk, one shared by
 * two reports), a withdrawn report, accounts (one with two-step sign-in) and audit entries is backed up and restored
 * into an empty target (a new PGlite folder, or a new schema on PostgreSQL in the PostgreSQL pass); a hub on the
 * restored database answers every status token, holds every evidence byte, has every table's rows identical (the audit
 * trail with its ids and chain included) and signs the TOTP account in. Damaged, cut-short, newer and misdirected
 * restores are refused in words with nothing written.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleReport } from '../../fixtures/report';
import { Receipt, StatusResponse } from '../../../lib/schema';
import { createApp } from '../../../hub/app';
import { BackupError } from '../../../hub/backup/archive';
import { writeBackup, type BackupSummary } from '../../../hub/backup/backup';
import { backupCommand, restoreCommand } from '../../../hub/backup/cli';
import { restoreBackup, verifyBackup, type RestoreTarget } from '../../../hub/backup/restore';
import { NOT_CARRIED, tableShapes } from '../../../hub/backup/tables';
import { loadTotpKey } from '../../../hub/console';
import { EvidenceStoreConfig } from '../../../hub/config';
import { openDatabase, type Database } from '../../../hub/db';
import { verifyAuditChain } from '../../../hub/domain/audit';
import { readEvidence } from '../../../hub/domain/evidence';
import { MIGRATIONS_DIR, migrationNames } from '../../../hub/migrate';
import { configureEvidenceStore } from '../../../hub/storage/evidence-store';
import { lockDataFolder } from '../../../hub/storage/folder-lock';
import { startS3 } from './s3-server';
import { clock, makeModerator, PASSWORD, signedIn } from './console-helpers';
import { bearer, describing, openTestDatabase, pngBytes, postReport, putEvidence, SETUP_TIMEOUT_MS, UNLIMITED, type TestDatabase } from './helpers';
import { sha256Hex } from '../../../lib/hash';

const databaseUrl = process.env.DATABASE_URL;
const time = clock();
const totpKey = randomBytes(32);
const codeAt = (secret: string, at: Date) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });

let source: TestDatabase;
let app: Hono;
let work: string;
let backupFile: string;
let summary: BackupSummary;
const receipts: Array<Receipt & { withdrawn: boolean }> = [];
const evidence = new Map<string, Uint8Array>();
let totpAccount: { email: string; secret: string };
const schemas: string[] = [];

function hubOn(db: Database, key: Uint8Array): Hono {
  return createApp({ db, config: UNLIMITED, consoleNow: () => time.now, totpKey: key });
}

/** pngBytes' header on random bytes of any length (getRandomValues stops at 64 KiB). */
function largePng(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(randomBytes(size));
  bytes.set(pngBytes(33).subarray(0, 24));
  return bytes;
}

async function upload(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const sha256 = await sha256Hex(bytes);
  expect((await putEvidence(app, bytes, sha256)).status).toBe(201);
  evidence.set(sha256, bytes);
  return sha256;
}

async function file(sha256: string, withdrawn = false): Promise<void> {
  const report = describing(sampleReport(), sha256, evidence.get(sha256)!);
  const response = await postReport(app, report, report.id);
  expect(response.status).toBe(201);
  const receipt = Receipt.parse(await response.json());
  if (withdrawn) expect((await app.request(`/api/v1/reports/${receipt.reference}`, { method: 'DELETE', headers: bearer(receipt.statusToken) })).status).toBe(200);
  receipts.push({ ...receipt, withdrawn });
}

beforeAll(async () => {
  source = await openTestDatabase();
  app = hubOn(source.db, totpKey);
  work = await mkdtemp(join(tmpdir(), 'ohr-backup-'));
  // Three storage chunks and a bit (the store cuts at 256 KiB), a small one shared by two reports, one withdrawn.
  const large = await upload(largePng(3 * 256 * 1024 + 1234));
  const small = await upload(pngBytes(500));
  await file(large);
  await file(small);
  await file(small);
  await file(await upload(pngBytes(700)), true);
  // An admin, and a moderator who turns on two-step sign-in (audit entries: logins, totp.enable).
  await makeModerator(source.db, 'admin');
  const { browser, moderator } = await signedIn(app, source.db);
  const page = await (await browser.get('/console/account')).text();
  const secret = /data-testid="totp-secret">([A-Z2-7]{32})</.exec(page)![1]!;
  expect((await browser.post('/console/account/totp', { secret, code: codeAt(secret, time.now), password: PASSWORD })).headers.get('Location')).toBe('/console/account?done=on');
  totpAccount = { email: moderator.email, secret };
  backupFile = join(work, 'hub.ohr-backup.tar.gz');
  summary = await writeBackup(source.db, backupFile, { totpKey });
  // A withdrawn report's evidence may already be erased (retention): only what the hub holds is expected back.
  const held = new Set((await source.db.query<{ sha256: string }>('SELECT sha256 FROM evidence')).map((row) => row.sha256));
  for (const sha256 of evidence.keys()) if (!held.has(sha256)) evidence.delete(sha256);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await source?.dispose();
  if (databaseUrl && schemas.length > 0) {
    const admin = await openDatabase({ databaseUrl, migrate: false });
    for (const schema of schemas) await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  }
  if (work) await rm(work, { recursive: true, force: true });
});

/** An empty target on this pass's engine: a folder that does not exist yet, or a schema no hub has used. */
function newTarget(): { target: RestoreTarget; totpKeyFile: string; open: () => Promise<Database>; key: () => Uint8Array; isEmpty: () => Promise<boolean> } {
  const name = randomBytes(4).toString('hex');
  const folder = join(work, `restored-${name}`);
  if (!databaseUrl) {
    return {
      target: { dataDir: folder },
      totpKeyFile: join(folder, 'totp.key'),
      open: () => openDatabase({ dataDir: folder, durable: false }),
      key: () => loadTotpKey(folder, {}),
      isEmpty: async () => (await stat(folder).catch(() => undefined)) === undefined && !(await readdir(work)).some((entry) => entry.includes('.restoring-')),
    };
  }
  const schema = `ohr_test_restore_${name}`;
  schemas.push(schema);
  return {
    target: { databaseUrl, schema },
    totpKeyFile: join(folder, 'totp.key'),
    open: () => openDatabase({ databaseUrl, schema }),
    key: () => loadTotpKey(folder, {}),
    isEmpty: async () => {
      const admin = await openDatabase({ databaseUrl, migrate: false });
      try {
        const [row] = await admin.query<{ n: number }>(
          `SELECT count(*)::integer AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
          [schema],
        );
        return row?.n === 0;
      } finally {
        await admin.close();
      }
    },
  };
}

/** Every carried table's rows, in a stable order, as JSON text. */
async function contents(db: Database): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const shape of await tableShapes(db)) {
    if (NOT_CARRIED.has(shape.name) || shape.unlogged) continue;
    const columns = shape.columns.map((column) => `"${column}"`).join(', ');
    const where = shape.expires ? 'WHERE expires_at > now()' : '';
    const rows = await db.query<{ line: string }>(`SELECT row_to_json(t)::text AS line FROM (SELECT ${columns} FROM "${shape.name}" ${where}) t`);
    out[shape.name] = rows.map((row) => row.line).sort();
  }
  return out;
}

describe('backup and restore', () => {
  it('writes a manifest with the counts, and the file only its owner can read', async () => {
    expect(summary.tables.reports).toBe(4);
    expect(summary.tables.moderators).toBe(2);
    expect(evidence.size).toBeGreaterThanOrEqual(2);
    expect(summary.evidenceFiles).toBe(evidence.size);
    expect(summary.evidenceBytes).toBe([...evidence.values()].reduce((sum, bytes) => sum + bytes.byteLength, 0));
    expect(summary.damagedEvidence).toEqual([]);
    expect((await stat(backupFile)).mode & 0o777).toBe(0o600);
    expect((await readdir(work)).filter((entry) => entry.includes('.partial-'))).toEqual([]);
    const said: string[] = [];
    expect(await restoreCommand(['--check', backupFile], {}, { log: (line) => void said.push(line), error: (line) => void said.push(line) })).toBe(0);
    expect(said.join('\n')).toContain(`${backupFile} is whole`);
  });

  it('restores into an empty target where a hub finds every report, evidence byte, audit entry and two-step account', async () => {
    const target = newTarget();
    const restored = await restoreBackup(backupFile, target.target, { env: {}, totpKeyFile: target.totpKeyFile });
    expect(restored.tables).toEqual(summary.tables);
    const db = await target.open();
    try {
      expect(await contents(db)).toEqual(await contents(source.db));
      const [keys] = await db.query<{ key: string }>('SELECT ohr_contact_key() AS key');
      const [original] = await source.db.query<{ key: string }>('SELECT ohr_contact_key() AS key');
      expect(keys?.key).toBe(original?.key);

      const hub = hubOn(db, target.key());
      for (const receipt of receipts) {
        const response = await hub.request(`/api/v1/reports/${receipt.reference}/status`, { headers: bearer(receipt.statusToken) });
        expect(response.status).toBe(200);
        expect(StatusResponse.parse(await response.json()).status).toBe(receipt.withdrawn ? 'closed' : 'received');
      }
      for (const [sha256, bytes] of evidence) {
        const stored = await readEvidence(db, sha256);
        expect(stored?.intact).toBe(true);
        expect(Buffer.from(stored!.bytes).equals(Buffer.from(bytes))).toBe(true);
      }

      // The audit chain verifies and ends where the source's does.
      const chain = await verifyAuditChain(db);
      expect(chain.breaks).toEqual([]);
      expect(chain).toEqual(await verifyAuditChain(source.db));
      expect(chain.entries).toBeGreaterThanOrEqual(4);

      // Two-step sign-in opens with the restored key; the new audit entry follows the restored ones, chained to them.
      const before = await db.query<{ id: string }>('SELECT max(id)::text AS id FROM audit_log');
      time.advance(30_000);
      const signIn = await hub.request('/console/login', {
        method: 'POST',
        headers: { 'Sec-Fetch-Site': 'same-origin' },
        body: new URLSearchParams({ email: totpAccount.email, password: PASSWORD, code: codeAt(totpAccount.secret, time.now) }),
      });
      expect(signIn.status).toBe(303);
      const after = await db.query<{ id: string }>(`SELECT max(id)::text AS id FROM audit_log`);
      expect(BigInt(after[0]!.id)).toBeGreaterThan(BigInt(before[0]!.id));
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: chain.entries + 1, breaks: [] });

      // The same file again into the now-filled target is refused.
      await expect(restoreBackup(backupFile, target.target, { env: {}, totpKeyFile: target.totpKeyFile })).rejects.toThrow(/not empty/);
    } finally {
      await db.close();
    }
  }, SETUP_TIMEOUT_MS);

  it('restores evidence into an object store (S3 protocol), and backs up from there the same bytes', async () => {
    const s3 = await startS3();
    const store = EvidenceStoreConfig.parse(s3.config);
    const target = newTarget();
    try {
      await restoreBackup(backupFile, target.target, { env: {}, totpKeyFile: target.totpKeyFile, evidenceStore: store });
      const db = await target.open();
      try {
        configureEvidenceStore(db, store);
        const [chunks] = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM evidence_chunks');
        expect(chunks?.n).toBe(0);
        for (const [sha256, bytes] of evidence) {
          const stored = await readEvidence(db, sha256);
          expect(stored?.intact).toBe(true);
          expect(Buffer.from(stored!.bytes).equals(Buffer.from(bytes))).toBe(true);
        }
        const again = join(work, 'from-s3.tar.gz');
        await writeBackup(db, again, { totpKey });
        const evidenceParts = async (path: string) => (await verifyBackup(path)).manifest.parts.filter((part) => part.name.startsWith('evidence/'));
        expect(await evidenceParts(again)).toEqual(await evidenceParts(backupFile));
      } finally {
        await db.close();
      }
    } finally {
      await s3.close();
    }
  }, SETUP_TIMEOUT_MS);

  it('refuses a damaged file (one byte changed) in words and writes nothing', async () => {
    const bytes = await readFile(backupFile);
    const damaged = Buffer.from(bytes);
    const at = Math.floor(damaged.length / 2);
    damaged[at] = damaged[at]! ^ 0xff;
    const path = join(work, 'damaged.tar.gz');
    await writeFile(path, damaged);
    const target = newTarget();
    const failure = await restoreBackup(path, target.target, { env: {}, totpKeyFile: target.totpKeyFile }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackupError);
    expect((failure as Error).message).toMatch(/damaged|incomplete/);
    expect((failure as Error).message).toContain('Nothing was restored');
    expect(await target.isEmpty()).toBe(true);
    const said: string[] = [];
    expect(await restoreCommand(['--check', path], {}, { log: (line) => void said.push(line), error: (line) => void said.push(line) })).toBe(1);
    expect(said.join('\n')).toMatch(/damaged|incomplete/);
  });

  it('refuses a file whose compression is whole but one evidence byte differs from the manifest\'s checksum', async () => {
    // Unpacked, one byte of the large evidence file changed, packed again: gzip and tar read, only the SHA-256s tell.
    const tar = gunzipSync(await readFile(backupFile));
    const [sha256, bytes] = [...evidence].find(([, content]) => content.byteLength > 256 * 1024)!;
    const at = tar.indexOf(Buffer.from(bytes.subarray(0, 64))) + 100_000;
    tar[at] = tar[at]! ^ 0x01;
    const path = join(work, 'altered.tar.gz');
    await writeFile(path, gzipSync(tar));
    await expect(verifyBackup(path)).rejects.toThrow(new RegExp(`evidence/${sha256} does not match its checksum in the manifest`));
  });

  it('refuses a cut-short file, a missing file and a backup from a newer hub, in words', async () => {
    const bytes = await readFile(backupFile);
    const cut = join(work, 'cut.tar.gz');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    await expect(verifyBackup(cut)).rejects.toThrow(/incomplete/);
    await expect(verifyBackup(join(work, 'nowhere.tar.gz'))).rejects.toThrow(/There is no file/);

    // This hub without its newest migration is an older hub than the one that made the backup.
    const older = join(work, 'older-migrations');
    await mkdir(older);
    const names = await migrationNames();
    for (const name of names.slice(0, -1)) await copyFile(join(MIGRATIONS_DIR, name), join(older, name));
    await expect(verifyBackup(backupFile, older)).rejects.toThrow(new RegExp(`newer version of the hub.*${names.at(-1)!.replace('.', '\\.')}`));
  });

  it('refuses, before writing anything, a target whose OHR_TOTP_KEY is not the backup\'s key', async () => {
    const target = newTarget();
    const env = { OHR_TOTP_KEY: randomBytes(32).toString('base64') };
    await expect(restoreBackup(backupFile, target.target, { env, totpKeyFile: target.totpKeyFile })).rejects.toThrow(/OHR_TOTP_KEY is set to a different key/);
    expect(await target.isEmpty()).toBe(true);
  });

  it('refuses a PGlite backup while a hub holds the folder, naming it', async () => {
    const folder = join(work, 'running-hub');
    await mkdir(folder);
    await writeFile(join(folder, 'PG_VERSION'), '17\n');
    const lock = await lockDataFolder(folder, 'the hub on http://127.0.0.1:8787');
    const errors: string[] = [];
    try {
      const code = await backupCommand([join(work, 'x.tar.gz'), '--data', folder], {}, { log: () => undefined, error: (line) => void errors.push(line) });
      expect(code).toBe(3);
    } finally {
      await lock.release();
    }
    expect(errors.join('\n')).toContain('the hub on http://127.0.0.1:8787');
    expect(errors.join('\n')).toContain('Stop the hub');
    expect(await stat(join(work, 'x.tar.gz')).catch(() => undefined)).toBeUndefined();
  });
});
