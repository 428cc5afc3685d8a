/**
 * Evidence: content-addressed bytes. The hash is the name, so storing the same bytes twice is one row, and a report
 * can refer to evidence that any earlier upload (its own retry, or another reporter) already brought.
 */
import { EvidenceMediaType, evidenceHashes, type Evidence, type FieldError, type Item } from '../../lib/schema';
import { imageSize } from 'image-size';
import { IMAGE_SIGNATURES } from '../../lib/schema/media';
import type { Database, Queryable } from '../db';
import { CHUNK_BYTES, evidenceStoreOf } from '../storage/evidence-store';
import { sha256Hex } from '../hash';

/**
 * Whether the bytes are what the Content-Type says. Images by their magic bytes; HTML has none, so it only has to not
 * be an image or binary (no NUL bytes), which stops a screenshot being filed as a text snapshot or the reverse.
 */
export function matchesMediaType(bytes: Uint8Array, mediaType: EvidenceMediaType): boolean {
  if (mediaType !== 'text/html') return IMAGE_SIGNATURES[mediaType](bytes);
  return !Object.values(IMAGE_SIGNATURES).some((matches) => matches(bytes)) && !bytes.includes(0);
}

/** The media type from a Content-Type header (parameters such as charset ignored), if it is one evidence may have. */
export function evidenceMediaType(contentType: string | undefined): EvidenceMediaType | undefined {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  return EvidenceMediaType.safeParse(essence).data;
}

export { CHUNK_BYTES } from '../storage/evidence-store';

/**
 * Stores the bytes under their hash in the hub's evidence store (storage/evidence-store.ts), then the `evidence` row
 * that marks the file complete; true if they were new. Until that row exists the bytes are no evidence at all (a
 * report naming them gets 409 missing_evidence), and bytes left without one are purged later. The caller has checked
 * the bytes' hash.
 */
export async function storeEvidence(db: Database, sha256: string, mediaType: EvidenceMediaType, content: Uint8Array): Promise<boolean> {
  if ((await findEvidence(db, [sha256])).has(sha256)) return false;
  const store = evidenceStoreOf(db);
  if (store.kind === 'database') {
    await store.put(sha256, content);
    // Complete only if every chunk is still there and they add up to the file (a purge may have run meanwhile).
    const inserted = await db.query<{ sha256: string }>(
      `INSERT INTO evidence (sha256, media_type, bytes)
       SELECT $1, $2, $3::integer
        WHERE (SELECT count(*) = $4::integer AND sum(octet_length(content)) = $3::integer FROM evidence_chunks WHERE sha256 = $1)
       ON CONFLICT (sha256) DO NOTHING RETURNING sha256`,
      [sha256, mediaType, content.byteLength, Math.ceil(content.byteLength / CHUNK_BYTES)],
    );
    if (inserted.length === 0 && !(await findEvidence(db, [sha256])).has(sha256)) {
      throw new Error('The evidence chunks did not add up to the file');
    }
    return inserted.length > 0;
  }
  // An object store is outside the database's transactions: the object and its row are written under the file's lock,
  // which a purge or erasure of the same file also takes, so none can delete the object between its put and its row.
  return withEvidenceLock(db, sha256, async (tx) => {
    if ((await findEvidence(tx, [sha256])).has(sha256)) return false;
    await store.put(sha256, content);
    const inserted = await tx.query('INSERT INTO evidence (sha256, media_type, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING RETURNING sha256', [
      sha256,
      mediaType,
      content.byteLength,
    ]);
    return inserted.length > 0;
  });
}

/**
 * A stored file's metadata and its bytes as they are read from the store (a piece at a time, never whole), or
 * undefined if the hub does not hold it. For readers that pass the bytes on (backups, downloads); the bytes are not
 * checked against the hash here (`readEvidence` does that).
 */
export async function streamEvidence(
  db: Queryable,
  sha256: string,
): Promise<{ mediaType: EvidenceMediaType; bytes: number; chunks: AsyncIterable<Uint8Array> } | undefined> {
  const [row] = await db.query<StoredEvidence>('SELECT sha256, media_type, bytes FROM evidence WHERE sha256 = $1', [sha256]);
  if (!row) return undefined;
  const chunks = (await evidenceStoreOf(db).get(sha256)) ?? (async function* () {})();
  return { mediaType: row.media_type, bytes: row.bytes, chunks };
}

/**
 * A stored file's bytes, read from whichever store the hub uses and checked against its hash, or undefined if the hub
 * does not hold it. Bytes that no longer match their hash (damaged storage, tampering) or are missing are returned as
 * they are, with `intact: false`: the integrity check that reads them must be able to say so.
 */
export async function readEvidence(db: Queryable, sha256: string): Promise<{ mediaType: EvidenceMediaType; bytes: Uint8Array<ArrayBuffer>; intact: boolean } | undefined> {
  const file = await streamEvidence(db, sha256);
  if (!file) return undefined;
  const bytes = new Uint8Array(file.bytes);
  let filled = 0;
  for await (const piece of file.chunks) {
    bytes.set(piece.subarray(0, Math.max(0, file.bytes - filled)), filled);
    filled += piece.byteLength;
  }
  const whole = filled === file.bytes ? bytes : bytes.subarray(0, Math.min(filled, file.bytes));
  return { mediaType: file.mediaType, bytes: whole, intact: filled === file.bytes && (await sha256Hex(whole)) === sha256 };
}

/**
 * Deletes evidence that no report refers to, once older than `hours` (an upload whose report never came), with its
 * bytes; and bytes of uploads that never completed. Returns how many files went. A report filed at the same moment
 * as its evidence expires fails its foreign key and is answered 409 missing_evidence, so its client uploads again.
 */
export async function purgeUnreferencedEvidence(db: Database, hours: number): Promise<number> {
  await deleteQueuedEvidence(db);
  const store = evidenceStoreOf(db);
  if (store.kind !== 'database') {
    const candidates = await db.query<{ sha256: string }>(
      `SELECT sha256 FROM evidence e WHERE e.received_at < now() - make_interval(hours => $1)
          AND NOT EXISTS (SELECT 1 FROM report_evidence r WHERE r.sha256 = e.sha256)`,
      [hours],
    );
    let gone = 0;
    for (const { sha256 } of candidates) {
      const deleted = await deleteEvidence(
        db,
        sha256,
        `received_at < now() - make_interval(hours => ${Number(hours)}) AND NOT EXISTS (SELECT 1 FROM report_evidence r WHERE r.sha256 = evidence.sha256)`,
      );
      if (deleted) gone++;
    }
    return gone;
  }
  const gone = await db.query<{ sha256: string }>(
    `WITH gone AS (
       DELETE FROM evidence e WHERE e.received_at < now() - make_interval(hours => $1)
          AND NOT EXISTS (SELECT 1 FROM report_evidence r WHERE r.sha256 = e.sha256)
       RETURNING e.sha256
     ), chunks AS (
       DELETE FROM evidence_chunks c USING gone WHERE c.sha256 = gone.sha256
     )
     SELECT sha256 FROM gone`,
    [hours],
  );
  await db.query(
    `DELETE FROM evidence_chunks c WHERE c.written_at < now() - make_interval(hours => $1)
        AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.sha256 = c.sha256)`,
    [hours],
  );
  return gone.length;
}

/**
 * Deletes one file: its `evidence` row and its bytes, in whichever store they are, under the file's lock (so no
 * upload of the same file can slip between the two); true if it was there. `condition`, SQL over the `evidence` row,
 * must also hold (the hub's own fixed text, never input). The row goes first and the bytes in the same transaction,
 * so a failure to delete the bytes leaves the file as it was, to be tried again. A report still referring to the file
 * makes this fail (foreign key): erase the report's links first.
 */
export async function deleteEvidence(db: Database, sha256: string, condition = 'true'): Promise<boolean> {
  const store = evidenceStoreOf(db);
  return withEvidenceLock(db, sha256, async (tx) => {
    const [row] = await tx.query(`DELETE FROM evidence WHERE sha256 = $1 AND (${condition}) RETURNING sha256`, [sha256]);
    if (store.kind === 'database') await tx.query('DELETE FROM evidence_chunks WHERE sha256 = $1', [sha256]);
    else if (row) await store.delete(sha256);
    return row !== undefined;
  });
}

/**
 * Erases, inside the caller's transaction, the evidence among `hashes` that no report refers to any more (the caller
 * has just removed its own report's links); returns the hashes erased. Bytes kept in the database go in the same
 * transaction. Bytes in an object store cannot be part of it: their hashes are queued in `evidence_deletions`, in the
 * same transaction, and the objects are deleted by `deleteQueuedEvidence` once it has committed (call it right after;
 * the hourly purge does it too), so a rolled-back erasure never loses a file.
 */
export async function eraseEvidence(tx: Queryable, hashes: readonly string[]): Promise<string[]> {
  if (hashes.length === 0) return [];
  const erased = await tx.query<{ sha256: string }>(
    `WITH gone AS (
       DELETE FROM evidence e WHERE e.sha256 = ANY($1::text[])
          AND NOT EXISTS (SELECT 1 FROM report_evidence r WHERE r.sha256 = e.sha256)
       RETURNING e.sha256
     ), chunks AS (
       DELETE FROM evidence_chunks c USING gone WHERE c.sha256 = gone.sha256
     ), queued AS (
       INSERT INTO evidence_deletions (sha256) SELECT sha256 FROM gone ON CONFLICT (sha256) DO NOTHING
     )
     SELECT sha256 FROM gone`,
    [hashes],
  );
  return erased.map((row) => row.sha256);
}

/**
 * Deletes the objects `eraseEvidence` queued, each under its file's lock and only if no `evidence` row has come back
 * for it meanwhile (the same file uploaded again: its object is then live); returns how many objects went.
 */
export async function deleteQueuedEvidence(db: Database): Promise<number> {
  const store = evidenceStoreOf(db);
  const queued = await db.query<{ sha256: string }>('SELECT sha256 FROM evidence_deletions ORDER BY queued_at LIMIT 1000');
  let deleted = 0;
  for (const { sha256 } of queued) {
    await withEvidenceLock(db, sha256, async (tx) => {
      const [live] = await tx.query('SELECT 1 FROM evidence WHERE sha256 = $1', [sha256]);
      if (!live && store.kind !== 'database') {
        await store.delete(sha256);
        deleted++;
      }
      await tx.query('DELETE FROM evidence_deletions WHERE sha256 = $1', [sha256]);
    });
  }
  return deleted;
}

/** Files being written or deleted in this process, for PGlite (one process; its one session cannot wait in a lock). */
const localLocks = new WeakMap<Database, Map<string, Promise<unknown>>>();

/**
 * Runs `fn` holding the lock of one file: on PostgreSQL a transaction-scoped advisory lock on the hash (every hub
 * process on the database takes the same), `fn`'s statements in that transaction; on PGlite, one process, a lock in
 * memory, and `fn`'s statements on their own.
 */
async function withEvidenceLock<T>(db: Database, sha256: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  if (db.engine === 'postgres') {
    return db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('ohr-evidence:' || $1, 0))", [sha256]);
      return fn(tx);
    });
  }
  let held = localLocks.get(db);
  if (!held) localLocks.set(db, (held = new Map()));
  const before = held.get(sha256) ?? Promise.resolve();
  const run = before.then(() => fn(db), () => fn(db));
  const settled = run.catch(() => undefined);
  held.set(sha256, settled);
  try {
    return await run;
  } finally {
    if (held.get(sha256) === settled) held.delete(sha256);
  }
}

export interface StoredEvidence {
  sha256: string;
  media_type: EvidenceMediaType;
  bytes: number;
}

/** The stored evidence among `hashes` (without content). */
export async function findEvidence(db: Queryable, hashes: readonly string[]): Promise<Map<string, StoredEvidence>> {
  if (hashes.length === 0) return new Map();
  const rows = await db.query<StoredEvidence>('SELECT sha256, media_type, bytes FROM evidence WHERE sha256 = ANY($1::text[])', [
    hashes,
  ]);
  return new Map(rows.map((row) => [row.sha256, row]));
}

/** Where a report's description of evidence disagrees with the bytes received, as field paths. */
export function evidenceDisagreements(
  items: ReadonlyArray<{ evidence: readonly Evidence[] }>,
  stored: ReadonlyMap<string, StoredEvidence>,
): FieldError[] {
  return items.flatMap((item, itemIndex) =>
    item.evidence.flatMap((evidence, evidenceIndex) => {
      const row = stored.get(evidence.sha256);
      const path = `items.${itemIndex}.evidence.${evidenceIndex}`;
      if (!row) return [];
      const fields: FieldError[] = [];
      if (row.media_type !== evidence.mediaType) {
        fields.push({ path: `${path}.mediaType`, message: `The uploaded file is ${row.media_type}, not ${evidence.mediaType}` });
      }
      if (row.bytes !== evidence.bytes) {
        fields.push({ path: `${path}.bytes`, message: `The uploaded file has ${row.bytes} bytes, not ${evidence.bytes}` });
      }
      return fields;
    }),
  );
}

export interface Dimensions {
  width: number;
  height: number;
}

/**
 * Width and height from an image's header (PNG IHDR, JPEG SOF, WebP VP8/VP8L/VP8X) without decoding its pixels, so a
 * small file claiming a vast canvas (a decompression bomb for whoever opens it later) is refused cheaply. Undefined if
 * the header cannot be read, which for a file that passed the magic-byte check means it is damaged or truncated.
 */
export function imageDimensions(bytes: Uint8Array): Dimensions | undefined {
  try {
    const { width, height } = imageSize(bytes);
    return width > 0 && height > 0 ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}

export type EvidenceRefusal = { kind: 'missing_evidence'; missing: string[] } | { kind: 'evidence_mismatch'; fields: FieldError[] };

/**
 * Why items cannot be filed yet: evidence they name is not uploaded, or is stored with another media type or size.
 * Undefined when every file is there as described. Intake (a report's items) and answers (added items) both ask here.
 */
export async function evidenceRefusal(db: Queryable, items: readonly Item[]): Promise<EvidenceRefusal | undefined> {
  const hashes = evidenceHashes({ items: [...items] });
  const stored = await findEvidence(db, hashes);
  const missing = hashes.filter((hash) => !stored.has(hash));
  if (missing.length > 0) return { kind: 'missing_evidence', missing };
  const fields = evidenceDisagreements(items, stored);
  if (fields.length > 0) return { kind: 'evidence_mismatch', fields };
  return undefined;
}
