/**
 * Writes a backup: every table's rows as JSON lines, every evidence file's bytes, the applied migrations, the database's
 * contact-hash key and the TOTP sealing key, from one consistent snapshot (a REPEATABLE READ, READ ONLY transaction: on
 * PostgreSQL hubs keep running meanwhile and the backup sees the database as it was at its first statement).
 * The format is the same for PGlite and PostgreSQL, so a backup of either restores into either.
 */
import type { Database, Queryable } from '../db';
import { readEvidence } from '../domain/evidence';
import { ArchiveWriter, BackupError } from './archive';
import { BACKUP_FORMAT, DATABASE_PART, type DatabasePart, type ManifestFields } from './format';
import { appliedMigrations, ident, NOT_CARRIED, tableShapes, type TableShape } from './tables';

/** Rows fetched per statement, and roughly how many bytes of them make one part of the file. */
const FETCH_ROWS = 200;
const PART_BYTES = 4 * 1024 * 1024;

export type BackupSummary = ManifestFields & { file: string };

/** Writes the backup of `db` into `file`. Nothing is left at `file` (or beside it) if anything fails. */
export async function writeBackup(db: Database, file: string, options: { totpKey: Uint8Array | null }): Promise<BackupSummary> {
  const writer = await ArchiveWriter.create(file);
  try {
    // The rows from one snapshot; then the bytes of the evidence that snapshot holds. Evidence is content-addressed and
    // written once, so bytes read a moment later are the same bytes (and PGlite, the hub stopped, has no other writer).
    const { fields, hashes } = await db.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return writeSnapshot(tx, db, writer, options.totpKey);
    });
    const manifest = { ...fields, ...(await writeEvidence(db, writer, hashes)) };
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
  const shapes = (await tableShapes(tx)).filter((shape) => !NOT_CARRIED.has(shape.name));
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

/**
 * Every evidence file's bytes, one part each, read through the hub's evidence store (whichever holds them), one file in
 * memory at a time. A file whose bytes no longer match its hash is carried as it is and named in the manifest; one
 * whose bytes are gone (erased since the snapshot, or lost from the store) stops the backup, in words.
 */
async function writeEvidence(db: Database, writer: ArchiveWriter, hashes: ReadonlyMap<string, number>) {
  let evidenceFiles = 0;
  let evidenceBytes = 0;
  const damagedEvidence: string[] = [];
  for (const sha256 of [...hashes.keys()].sort()) {
    const found = await readEvidence(db, sha256);
    if (!found || found.bytes.byteLength !== hashes.get(sha256)) {
      throw new BackupError(
        `The bytes of evidence ${sha256} could not be read whole (${found ? `${found.bytes.byteLength} of ${hashes.get(sha256)} bytes` : 'it was erased'} ` +
          'since the backup began, or its store lost them). Run the backup again; if it fails the same way, the evidence store needs checking.',
      );
    }
    if (!found.intact) damagedEvidence.push(sha256);
    await writer.add(`evidence/${sha256}`, Buffer.from(found.bytes.buffer, found.bytes.byteOffset, found.bytes.byteLength));
    evidenceFiles += 1;
    evidenceBytes += found.bytes.byteLength;
  }
  return { evidenceFiles, evidenceBytes, damagedEvidence };
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
