/**
 * Restores a backup into an empty database: PGlite (a new data folder) or PostgreSQL (a database or schema holding no
 * reports, evidence, accounts or audit entries). Nothing is written until the whole file has been read once and every
 * part matched its checksum in the manifest. Then:
 * - the target is brought to the backup's migrations (exactly those), so the rows fit the tables they came from;
 * - every row and evidence file is loaded in one transaction (foreign keys and the tables' own triggers set aside while
 *   loading and checked again before the commit, identity sequences moved past the restored ids, row counts compared
 *   with the manifest): a failure anywhere leaves no row behind;
 * - the migrations newer than the backup run, as at any hub start.
 * PGlite is restored into a new folder beside the target, renamed into place only when complete, so a crash
 * part-way never leaves a half-restored folder where a hub would open it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { EvidenceStoreConfig } from '../config';
import { openDatabase, type Database, type Queryable } from '../db';
import { CHUNK_BYTES } from '../domain/evidence';
import { migrate, migrationNames, MIGRATIONS_DIR } from '../migrate';
import { configureEvidenceStore, type EvidenceStore } from '../storage/evidence-store';
import { collect, readArchive, BackupError, type ArchiveEntry, type PartRecord } from './archive';
import { BACKUP_FORMAT, DATABASE_PART, DatabasePart, Manifest, MANIFEST_PART } from './format';
import { appliedMigrations, ident, tableShapes } from './tables';

export type RestoreTarget = { dataDir: string } | { databaseUrl: string; schema?: string };

export interface RestoreOptions {
  /**
   * PostgreSQL: where the TOTP key is written when the backup has one and OHR_TOTP_KEY is not set (the file a
   * PostgreSQL hub reads: `<data>/totp.key`). PGlite writes it into the restored folder.
   */
  totpKeyFile?: string;
  env?: Record<string, string | undefined>;
  migrationsDir?: string;
  /**
   * Where the restored hub keeps evidence bytes (its `evidenceStore` setting). The database (default) gets them in the
   * restore's transaction; an object store gets each file with `put` (write-once: an object already there and intact is
   * kept), outside the transaction, so a restore that fails later can leave objects no row names (content-addressed
   * copies of evidence, nothing else).
   */
  evidenceStore?: EvidenceStoreConfig;
}

export interface RestoreSummary {
  /** Where the data now is, in words. */
  where: string;
  createdAt: string;
  tables: Record<string, number>;
  evidenceFiles: number;
  evidenceBytes: number;
  /** Migrations applied after loading (the backup was made by an earlier version). */
  upgradedWith: string[];
  /** What happened to the TOTP key, in words. */
  totpKey: string;
  /** Tables in the backup that this hub's migrations do not make (another program's), not restored. */
  skippedTables: string[];
}

/** Parts held in memory whole: the two descriptions. Tables and evidence stream. */
const DESCRIPTION_LIMIT = 512 * 1024 * 1024;
/** Tables that hold what people gave the hub: a target with a row in any of them is not empty. */
const HOLDS_DATA = ['reports', 'evidence', 'moderators', 'audit_log', 'audit_entries'];

interface Verified {
  header: DatabasePart;
  manifest: Manifest;
}

/** Reads the whole file and checks it against its manifest and this hub's migrations; writes nothing. */
export async function verifyBackup(file: string, migrationsDir: string = MIGRATIONS_DIR): Promise<Verified> {
  let header: DatabasePart | undefined;
  let manifest: Manifest | undefined;
  const lines = new Map<string, number>();
  const parts = await readArchive(file, async (entry) => {
    if (entry.name === DATABASE_PART) header = parsePart(file, entry.name, DatabasePart, await collect(entry, DESCRIPTION_LIMIT));
    else if (entry.name === MANIFEST_PART) manifest = parsePart(file, entry.name, Manifest, await collect(entry, DESCRIPTION_LIMIT));
    else if (entry.name.startsWith('tables/')) lines.set(entry.name, await countLines(entry));
  });
  if (!manifest || parts.at(-1)?.name !== MANIFEST_PART) {
    throw new BackupError(`${file} has no manifest at its end: it is incomplete (cut short while being written or copied) or not an OHR backup. Nothing was restored.`);
  }
  if (!header) throw new BackupError(`${file} has no ${DATABASE_PART}: it is not an OHR backup. Nothing was restored.`);
  checkParts(file, manifest, parts.slice(0, -1));
  checkCounts(file, manifest, lines);
  await checkVersion(header, migrationsDir);
  return { header, manifest };
}

function parsePart<T>(file: string, name: string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, bytes: Buffer): T {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BackupError(`${file}: its ${name} is not readable JSON, so the file is damaged. Nothing was restored.`);
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (typeof format === 'string' && format !== BACKUP_FORMAT) {
    throw new BackupError(`${file} is in the backup format "${format}", which this hub does not read (it reads "${BACKUP_FORMAT}"). Restore it with the hub version that made it.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new BackupError(`${file}: its ${name} does not describe an OHR backup, so the file is damaged or not a backup. Nothing was restored.`);
  return parsed.data;
}

/** Every part the manifest lists is there, in order, with its length and SHA-256, and nothing else is. */
function checkParts(file: string, manifest: Manifest, found: readonly PartRecord[]): void {
  const damaged = `${file} is damaged`;
  if (found.length !== manifest.parts.length) {
    throw new BackupError(`${damaged}: its manifest lists ${manifest.parts.length} parts and the file holds ${found.length}. Nothing was restored.`);
  }
  manifest.parts.forEach((expected, index) => {
    const part = found[index];
    if (!part || part.name !== expected.name) throw new BackupError(`${damaged}: part ${index + 1} should be ${expected.name}. Nothing was restored.`);
    if (part.bytes !== expected.bytes || part.sha256 !== expected.sha256) {
      throw new BackupError(`${damaged}: the part ${expected.name} does not match its checksum in the manifest (SHA-256 ${part.sha256}, expected ${expected.sha256}). Nothing was restored. Use another copy of the backup.`);
    }
    const evidence = /^evidence\/([0-9a-f]{64})$/.exec(part.name)?.[1];
    if (evidence && evidence !== part.sha256 && !manifest.damagedEvidence.includes(evidence)) {
      throw new BackupError(`${damaged}: the evidence file ${evidence} does not match its own hash. Nothing was restored.`);
    }
  });
}

function checkCounts(file: string, manifest: Manifest, lines: ReadonlyMap<string, number>): void {
  for (const [table, rows] of Object.entries(manifest.tables)) {
    let found = 0;
    for (const [name, count] of lines) if (name.startsWith(`tables/${table}/`)) found += count;
    if (found !== rows) throw new BackupError(`${file} is damaged: the table ${table} should have ${rows} rows and the file holds ${found}. Nothing was restored.`);
  }
  const evidence = manifest.parts.filter((part) => part.name.startsWith('evidence/'));
  if (evidence.length !== manifest.evidenceFiles) throw new BackupError(`${file} is damaged: ${manifest.evidenceFiles} evidence files expected, ${evidence.length} found. Nothing was restored.`);
}

/** A backup from a newer hub (a migration this one does not have) is refused: its tables may not fit. */
async function checkVersion(header: DatabasePart, migrationsDir: string): Promise<void> {
  const known = new Set(await migrationNames(migrationsDir));
  const unknown = header.migrations.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new BackupError(
      `This backup was made by a newer version of the hub: it has the database changes ${unknown.join(', ')}, which this ` +
        'version does not know. Upgrade this hub to the version that made the backup (or a later one) and restore again. Nothing was restored.',
    );
  }
}

async function countLines(entry: ArchiveEntry): Promise<number> {
  let count = 0;
  for await (const chunk of entry.chunks) for (const byte of chunk) if (byte === 0x0a) count += 1;
  return count;
}

/** Verifies `file`, then restores it into `target`. */
export async function restoreBackup(file: string, target: RestoreTarget, options: RestoreOptions = {}): Promise<RestoreSummary> {
  const migrationsDir = options.migrationsDir ?? MIGRATIONS_DIR;
  const verified = await verifyBackup(file, migrationsDir);
  const key = totpPlan(verified.header, target, options);
  await key.check();
  if ('dataDir' in target) return restoreIntoFolder(file, verified, target.dataDir, key, migrationsDir, options.evidenceStore);
  const db = await openDatabase({ databaseUrl: target.databaseUrl, ...(target.schema ? { schema: target.schema } : {}), migrate: false });
  try {
    const summary = await restoreInto(db, file, verified, migrationsDir, options.evidenceStore).catch((error: unknown) => {
      throw restoreProblem(error);
    });
    return { ...summary, totpKey: await key.write() };
  } finally {
    await db.close();
  }
}

async function restoreIntoFolder(file: string, verified: Verified, dataDir: string, key: TotpPlan, migrationsDir: string, evidenceStore: EvidenceStoreConfig | undefined): Promise<RestoreSummary> {
  const folder = resolve(dataDir);
  const existing = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') throw new BackupError(`${folder} is a file: give restore --data a folder that does not exist yet.`);
    throw error;
  });
  if (existing.length > 0) {
    throw new BackupError(
      `${folder} is not empty: restore never writes over a data folder. Stop any hub using it, move it aside ` +
        `(for example \`mv ${folder} ${folder}.old\`), and run restore again; or restore into a new folder with --data. Nothing was restored.`,
    );
  }
  const parent = dirname(folder);
  if (!(await stat(parent).catch(() => undefined))?.isDirectory()) throw new BackupError(`The folder ${parent} does not exist: create it first. Nothing was restored.`);
  const staging = join(parent, `.${basename(folder)}.restoring-${randomBytes(6).toString('hex')}`);
  try {
    const db = await openDatabase({ dataDir: staging, migrate: false, purpose: 'ohr restore', stuckAfterMs: 3_600_000 });
    let summary: Omit<RestoreSummary, 'totpKey'>;
    try {
      summary = await restoreInto(db, file, verified, migrationsDir, evidenceStore);
    } finally {
      await db.close();
    }
    const totp = await key.write(staging, join(folder, 'totp.key'));
    // Only an empty folder (checked above) can be there; rename(2) needs it gone.
    await rmdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    try {
      await rename(staging, folder);
    } catch (error) {
      throw new BackupError(`The restored data could not be moved to ${folder} (${(error as Error).message}): something created it meanwhile. Nothing was restored there.`);
    }
    return { ...summary, where: `PGlite in ${folder}`, totpKey: totp };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw restoreProblem(error);
  }
}

/** The restore proper, on an open database without a hub running on it. */
async function restoreInto(db: Database, file: string, verified: Verified, migrationsDir: string, storeConfig: EvidenceStoreConfig | undefined): Promise<Omit<RestoreSummary, 'totpKey'>> {
  const { header, manifest } = verified;
  const store = storeConfig?.kind === 's3' ? configureEvidenceStore(db, storeConfig) : undefined;
  await checkEmpty(db, header);
  const wanted = new Set(header.migrations);
  await migrate(db, migrationsDir, (name) => wanted.has(name));
  const present = new Set((await tableShapes(db)).map((shape) => shape.name));
  const tables = header.tables.filter((table) => present.has(table.name));
  const skippedTables = header.tables.filter((table) => !present.has(table.name)).map((table) => table.name);
  await db.transaction(async (tx) => {
    if (header.contactKey) await tx.exec(`CREATE OR REPLACE FUNCTION ohr_contact_key() RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$SELECT '${header.contactKey}'::text$$`);
    const foreignKeys = await dropForeignKeys(tx);
    const cleared = [...present].filter((name) => name !== 'schema_migrations');
    for (const name of cleared) await tx.exec(`ALTER TABLE ${ident(name)} DISABLE TRIGGER USER`);
    // A target a hub has started on may hold rows its start made (no reports, evidence, accounts or audit: checked).
    for (const name of cleared) await tx.exec(`DELETE FROM ${ident(name)}`);
    const parts = await loadParts(tx, file, tables, store);
    checkParts(file, manifest, parts.slice(0, -1));
    for (const name of cleared) await tx.exec(`ALTER TABLE ${ident(name)} ENABLE TRIGGER USER`);
    for (const key of foreignKeys) await tx.exec(`ALTER TABLE ${key.table} ADD CONSTRAINT ${ident(key.name)} ${key.definition}`);
    for (const table of tables) {
      for (const column of table.identity) {
        await tx.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${ident(column)}) FROM ${ident(table.name)}), 0) + 1, false)`, [ident(table.name), column]);
      }
      const [counted] = await tx.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${ident(table.name)}`);
      if (counted?.n !== manifest.tables[table.name]) throw new Error(`The table ${table.name} holds ${counted?.n} rows after loading, not ${manifest.tables[table.name]}`);
    }
  });
  const upgradedWith = await migrate(db, migrationsDir);
  return { where: db.description, createdAt: header.createdAt, tables: manifest.tables, evidenceFiles: manifest.evidenceFiles, evidenceBytes: manifest.evidenceBytes, upgradedWith, skippedTables };
}

/** Refuses a target holding anything people gave a hub, or set up by a newer set of migrations than the backup's. */
async function checkEmpty(db: Database, header: DatabasePart): Promise<void> {
  const applied = await appliedMigrations(db);
  const extra = applied.filter((name) => !header.migrations.includes(name));
  if (extra.length > 0) {
    throw new BackupError(
      `${db.description} was set up by a newer hub than the one that made the backup (it has ${extra.join(', ')}). ` +
        'Restore into a new, empty database or schema (no hub started on it); the restore brings it up to date. Nothing was restored.',
    );
  }
  const present = new Set((await tableShapes(db)).map((shape) => shape.name));
  for (const table of HOLDS_DATA.filter((name) => present.has(name))) {
    const [row] = await db.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${ident(table)}) AS found`);
    if (row?.found) {
      throw new BackupError(
        `${db.description} is not empty (its ${table} table has rows): restore never writes over a hub's data. Restore into a new, ` +
          'empty database or schema, for example `createdb ohr_restored` and DATABASE_URL=postgres://…/ohr_restored. Nothing was restored.',
      );
    }
  }
}

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

/** Drops the schema's foreign keys for the load, returning them to be added back (and checked) before the commit. */
async function dropForeignKeys(tx: Queryable): Promise<ForeignKey[]> {
  const keys = await tx.query<ForeignKey>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema()
      ORDER BY c.conrelid::regclass::text, c.conname`,
  );
  for (const key of keys) await tx.exec(`ALTER TABLE ${key.table} DROP CONSTRAINT ${ident(key.name)}`);
  return keys;
}

/** Reads the file a second time, loading rows and evidence; returns the parts as read, for a second checksum check. */
async function loadParts(tx: Queryable, file: string, tables: DatabasePart['tables'], store: EvidenceStore | undefined): Promise<PartRecord[]> {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const chunks = new ChunkBatch(tx);
  const parts = await readArchive(file, async (entry) => {
    const table = /^tables\/(.+)\/\d+\.jsonl$/.exec(entry.name)?.[1];
    if (table !== undefined) {
      const shape = byName.get(table);
      if (shape) await insertRows(tx, shape, await collect(entry, DESCRIPTION_LIMIT));
      return;
    }
    const sha256 = /^evidence\/([0-9a-f]{64})$/.exec(entry.name)?.[1];
    if (!sha256) return;
    // An object store takes a file whole (one evidence file: at most the hub's evidence size limit).
    if (store) await store.put(sha256, await collect(entry, Math.max(entry.size, 0)));
    else await storeEvidenceBytes(chunks, sha256, entry);
  });
  await chunks.flush();
  return parts;
}

async function insertRows(tx: Queryable, table: DatabasePart['tables'][number], jsonLines: Buffer): Promise<void> {
  const rows = jsonLines.toString('utf8').trimEnd().split('\n').join(',');
  const columns = table.columns.map(ident).join(', ');
  const overriding = table.identity.length > 0 ? 'OVERRIDING SYSTEM VALUE' : '';
  await tx.query(`INSERT INTO ${ident(table.name)} (${columns}) ${overriding} SELECT ${columns} FROM json_populate_recordset(NULL::${ident(table.name)}, $1::json)`, [`[${rows}]`]);
}

/**
 * Chunks for the database's evidence store, up to 16 per statement (restoring many small screenshots one statement
 * each was most of a restore's time; a hex-text array per statement was slower still). The bytes stay binary
 * parameters, and at most 16 distinct statements are prepared.
 */
class ChunkBatch {
  private rows: Array<[string, number, Buffer]> = [];
  private bytes = 0;
  constructor(private readonly tx: Queryable) {}

  async add(sha256: string, seq: number, content: Buffer): Promise<void> {
    this.rows.push([sha256, seq, content]);
    this.bytes += content.byteLength;
    if (this.rows.length >= BATCH_ROWS || this.bytes >= BATCH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const values = this.rows.map((_, index) => `($${index * 3 + 1}, $${index * 3 + 2}, $${index * 3 + 3})`).join(', ');
    await this.tx.query(`INSERT INTO evidence_chunks (sha256, seq, content) VALUES ${values}`, this.rows.flat());
    this.rows = [];
    this.bytes = 0;
  }
}

/** At most this many chunks per insert (so at most this many distinct statements), and about this many bytes. */
const BATCH_ROWS = 16;
/** About this many bytes of evidence per insert. */
const BATCH_BYTES = 4 * 1024 * 1024;

/** One evidence file's bytes, cut in the store's chunk size as they stream in. */
async function storeEvidenceBytes(batch: ChunkBatch, sha256: string, entry: ArchiveEntry): Promise<void> {
  let seq = 0;
  let pending = Buffer.alloc(0);
  for await (const chunk of entry.chunks) {
    pending = pending.byteLength === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
    while (pending.byteLength >= CHUNK_BYTES) {
      await batch.add(sha256, seq++, pending.subarray(0, CHUNK_BYTES));
      pending = pending.subarray(CHUNK_BYTES);
    }
  }
  if (pending.byteLength > 0) await batch.add(sha256, seq, pending);
}

interface TotpPlan {
  /** Refuses, before anything is written, a key that would leave two-step secrets unreadable. */
  check(): Promise<void>;
  /** Puts the key where the restored hub reads it (`folder`: a PGlite folder before its move to `shownAs`); says what was done. */
  write(folder?: string, shownAs?: string): Promise<string>;
}

/**
 * Where the backup's TOTP key goes. A hub reads OHR_TOTP_KEY if set, else `totp.key` in its data folder; a key other
 * than the backup's would leave every two-step secret unreadable, so a conflicting one is refused before writing.
 */
function totpPlan(header: DatabasePart, target: RestoreTarget, options: RestoreOptions): TotpPlan {
  const backupKey = header.totpKey ? Buffer.from(header.totpKey, 'base64') : undefined;
  const fromEnv = options.env?.OHR_TOTP_KEY?.trim();
  const check = async () => {
    if (!backupKey || !fromEnv) return;
    if (!Buffer.from(fromEnv, 'base64').equals(backupKey)) {
      throw new BackupError(
        'OHR_TOTP_KEY is set to a different key from the backup\'s: after this restore no two-step sign-in would work. Run restore ' +
          'without OHR_TOTP_KEY (the backup\'s key is then written to totp.key in the data folder; move it into your secret store ' +
          'from there with `base64 < totp.key`), or set OHR_TOTP_KEY to the old key. Nothing was restored.',
      );
    }
  };
  const file = 'dataDir' in target ? undefined : options.totpKeyFile;
  return {
    check: async () => {
      await check();
      if (!backupKey || fromEnv || !file) return;
      const existing = await readFile(file).catch(() => undefined);
      if (existing && !existing.equals(backupKey)) {
        throw new BackupError(`${file} holds a different TOTP key from the backup's: move it aside and run restore again, so the restored two-step secrets open. Nothing was restored.`);
      }
    },
    write: async (folder, shownAs) => {
      if (!backupKey) return 'the backup has no TOTP key (no account had two-step sign-in set up when it was made, or the hub had no key)';
      if (fromEnv) return 'the backup\'s TOTP key is the one in OHR_TOTP_KEY';
      const path = folder ? join(folder, 'totp.key') : file;
      if (!path) return 'the backup\'s TOTP key was not written anywhere: set OHR_TOTP_KEY to it';
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, backupKey, { mode: 0o600 });
      return `the backup's TOTP key was written to ${shownAs ?? path}`;
    },
  };
}

function restoreProblem(error: unknown): unknown {
  if (error instanceof BackupError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOSPC' || code === '53100') return new BackupError('The disk filled up during the restore: nothing was restored. Free space and run restore again.');
  return new BackupError(`The restore failed and nothing was restored: ${error instanceof Error ? error.message : String(error)}`);
}

