/**
 * Writes a backup: every table's rows as JSON lines, every evidence file's bytes, the applied migrations, the database's
 * contact-hash key and the TOTP sealing key, from one consistent snapshot (a REPEATABLE READ, READ ONLY transaction: on
 * PostgreSQL hubs keep running meanwhile and the backup sees the database as it was at its first statement).
 * The format is the same for PGlite and PostgreSQL, so a backup of either restores into either.
 */
import type { Database, Queryable } from '../db';
import { readEvidence } from '../domain/evidence';
import { evidenceStoreOf } from '../storage/evidence-store';
import { ArchiveWriter, BackupError } from './archive';
import { BACKUP_FORMAT, DATABASE_PART, type DatabasePart, type ManifestFields } from './format';
import { appliedMigrations, ident, NOT_CARRIED, tableShapes, type TableShape } from './tables';

/** Rows fetched per statement, and roughly how many bytes of them make one part of the file. */
const FETCH_ROWS = 200;
const PART_BYTES = 4 * 1024 * 1024;
/** Evidence chunks (at most 256 KiB each) fetched per statement. */
const CHUNKS_PER_FETCH = 32;

export type BackupSummary = ManifestFields & { file: string };

/** Writes the backup of `db` into `file`. Nothing is left at `file` (or beside it) if anything fails. */
export async function writeBackup(db: Database, file: string, options: { totpKey: Uint8Array | null }): Promise<BackupSummary> {
  const writer = await ArchiveWriter.create(file);
  const inDatabase = evidenceStoreOf(db).kind === 'database';
  try {
    const { fields, hashes, evidence } = await db.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const snapshot = await writeSnapshot(tx, db, writer, options.totpKey);
      // Bytes in the database are read in the same snapshot, many files per statement.
      return { ...snapshot, evidence: inDatabase ? await writeDatabaseEvidence(tx, writer, snapshot.hashes) : undefined };
    });
    // Bytes in an object store are read after it: evidence is content-addressed and written once, so bytes read a
    // moment later are the same bytes.
    const manifest = { ...fields, ...(evidence ?? (await writeStoredEvidence(db, writer, hashes))) };
    await writer.finish(manifest);
    return { file, ...manifest };
  } catch (error) {
    await writer.abandon();
    throw writeProblem(file, error);
  }
}

type SnapshotFields = Omit<ManifestFields, 'evidenceFiles' | 'evidenceBytes' | 'damagedEvidence'>;

async function writeSnapshot(tx: Queryable, db: Database, writer: ArchiveWriter, totpKey: Uint8Array | null): Promise<{ fields: SnapshotFields; hashes: Map<string, number> }> {
  const createdAt = new Date().toISOString();
  const migrations = await appliedMigrations(tx);
  if (migrations.length === 0) throw new BackupError(`${db.description} holds no hub database (no migrations have run): nothing to back up.`);
  const shapes = (await tableShapes(tx)).filter((shape) => !NOT_CARRIED.has(shape.name) && !shape.unlogged);
  const header: DatabasePart = {
    format: BACKUP_FORMAT,
    createdAt,
    source: { engine: db.engine, description: db.description },
    migrations,
    contactKey: await contactKey(tx),
    totpKey: totpKey ? Buffer.from(totpKey).toString('base64') : null,
    tables: shapes.map(({ name, columns, identity }) => ({ name, columns, identity })),
  };
  await writer.add(DATABASE_PART, Buffer.from(`${JSON.stringify(header, null, 1)}\n`));
  const tables: Record<string, number> = {};
  // The evidence rows' hashes and lengths, collected as the rows are written: the files to carry.
  const hashes = new Map<string, number>();
  for (const shape of shapes) {
    const onRow = shape.name === 'evidence' ? (line: string) => void remember(hashes, line) : undefined;
    tables[shape.name] = await writeTable(tx, writer, shape, onRow);
  }
  return { fields: { format: BACKUP_FORMAT, createdAt, migrations: migrations.length, tables }, hashes };
}

function remember(hashes: Map<string, number>, line: string): void {
  const row = JSON.parse(line) as { sha256: string; bytes: number };
  hashes.set(row.sha256, row.bytes);
}

async function contactKey(tx: Queryable): Promise<string | null> {
  const [found] = await tx.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = current_schema() AND p.proname = 'ohr_contact_key') AS found`,
  );
  if (!found?.found) return null;
  const [row] = await tx.query<{ key: string }>('SELECT ohr_contact_key() AS key');
  return row?.key ?? null;
}

/** One table's rows, as JSON lines, in parts of about PART_BYTES; returns the row count. */
async function writeTable(tx: Queryable, writer: ArchiveWriter, shape: TableShape, onRow?: (line: string) => void): Promise<number> {
  const columns = shape.columns.map(ident).join(', ');
  const where = shape.expires ? 'WHERE expires_at > now()' : '';
  await tx.exec(`DECLARE ohr_backup_rows NO SCROLL CURSOR FOR
                 SELECT row_to_json(t)::text AS line FROM (SELECT ${columns} FROM ${ident(shape.name)} ${where}) t`);
  let rows = 0;
  let part = 0;
  let lines: string[] = [];
  let size = 0;
  const flush = async () => {
    if (lines.length === 0) return;
    part += 1;
    await writer.add(`tables/${shape.name}/${String(part).padStart(6, '0')}.jsonl`, Buffer.from(`${lines.join('\n')}\n`));
    lines = [];
    size = 0;
  };
  for (;;) {
    const batch = await tx.query<{ line: string }>(`FETCH ${FETCH_ROWS} FROM ohr_backup_rows`);
    for (const { line } of batch) {
      onRow?.(line);
      lines.push(line);
      size += line.length;
    }
    rows += batch.length;
    if (size >= PART_BYTES || (batch.length < FETCH_ROWS && lines.length > 0)) await flush();
    if (batch.length < FETCH_ROWS) break;
  }
  await flush();
  await tx.exec('CLOSE ohr_backup_rows');
  return rows;
}

interface EvidenceFields {
  evidenceFiles: number;
  evidenceBytes: number;
  damagedEvidence: string[];
}

/** One file's bytes as a part; a file whose bytes no longer match its hash is carried as it is, and named. */
async function addEvidence(writer: ArchiveWriter, fields: EvidenceFields, sha256: string, bytes: Buffer): Promise<void> {
  const part = await writer.add(`evidence/${sha256}`, bytes);
  if (part.sha256 !== sha256) fields.damagedEvidence.push(sha256);
  fields.evidenceFiles += 1;
  fields.evidenceBytes += bytes.byteLength;
}

function notWhole(sha256: string, found: number | undefined, expected: number | undefined): BackupError {
  return new BackupError(
    `The bytes of evidence ${sha256} could not be read whole (${found === undefined ? 'none were found' : `${found} of ${expected} bytes`}: ` +
      'erased since the backup began, or lost from its store). Run the backup again; if it fails the same way, the evidence store needs checking.',
  );
}

/** The database store's chunks in hash and chunk order through one cursor, one file in memory at a time. */
async function writeDatabaseEvidence(tx: Queryable, writer: ArchiveWriter, hashes: ReadonlyMap<string, number>): Promise<EvidenceFields> {
  const fields: EvidenceFields = { evidenceFiles: 0, evidenceBytes: 0, damagedEvidence: [] };
  await tx.exec(`DECLARE ohr_backup_chunks NO SCROLL CURSOR FOR
                 SELECT c.sha256, c.content FROM evidence e JOIN evidence_chunks c ON c.sha256 = e.sha256 ORDER BY c.sha256, c.seq`);
  let current: { sha256: string; pieces: Buffer[]; size: number } | undefined;
  const finish = async () => {
    if (!current) return;
    if (current.size !== hashes.get(current.sha256)) throw notWhole(current.sha256, current.size, hashes.get(current.sha256));
    await addEvidence(writer, fields, current.sha256, Buffer.concat(current.pieces));
    current = undefined;
  };
  for (;;) {
    const batch = await tx.query<{ sha256: string; content: Uint8Array }>(`FETCH ${CHUNKS_PER_FETCH} FROM ohr_backup_chunks`);
    for (const row of batch) {
      if (current?.sha256 !== row.sha256) {
        await finish();
        current = { sha256: row.sha256, pieces: [], size: 0 };
      }
      const piece = Buffer.from(row.content.buffer, row.content.byteOffset, row.content.byteLength);
      current.pieces.push(piece);
      current.size += piece.byteLength;
    }
    if (batch.length < CHUNKS_PER_FETCH) break;
  }
  await finish();
  await tx.exec('CLOSE ohr_backup_chunks');
  if (fields.evidenceFiles !== hashes.size) {
    // An evidence row without a single chunk: name it (a rare failure, so the second pass over the hashes is fine).
    const [found] = await tx.query<{ sha256: string }>(
      'SELECT e.sha256 FROM evidence e WHERE NOT EXISTS (SELECT 1 FROM evidence_chunks c WHERE c.sha256 = e.sha256) ORDER BY e.sha256 LIMIT 1',
    );
    throw notWhole(found?.sha256 ?? '(unknown)', undefined, undefined);
  }
  return fields;
}

/** Every file's bytes from an object store, read through the hub's evidence store one file at a time. */
async function writeStoredEvidence(db: Database, writer: ArchiveWriter, hashes: ReadonlyMap<string, number>): Promise<EvidenceFields> {
  const fields: EvidenceFields = { evidenceFiles: 0, evidenceBytes: 0, damagedEvidence: [] };
  for (const sha256 of [...hashes.keys()].sort()) {
    const found = await readEvidence(db, sha256);
    if (!found || found.bytes.byteLength !== hashes.get(sha256)) throw notWhole(sha256, found?.bytes.byteLength, hashes.get(sha256));
    await addEvidence(writer, fields, sha256, Buffer.from(found.bytes.buffer, found.bytes.byteOffset, found.bytes.byteLength));
  }
  return fields;
}

/** A failed write in words: a full disk or a folder that refuses writing are the operator's to fix. */
function writeProblem(file: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOSPC') return new BackupError(`The disk holding ${file} is full: the backup stopped and its partial file was removed. Free space or write the backup elsewhere.`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new BackupError(`${file} cannot be written here (${String(code)}): choose a folder this user may write to.`);
  }
  return error;
}
