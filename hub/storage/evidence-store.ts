/**
 * Where evidence bytes live (docs/design.md: "a storage interface for an object store"). Content addressed: the key is
 * the file's SHA-256, so a file is written once, whoever brings it and however often. The `evidence` row in the
 * database stays the one marker that a file is complete (hub/domain/evidence.ts writes it after `put` returns); the
 * store only holds bytes.
 *
 * Two backends: the database itself (the default, chunked bytea rows, migration 005) and an S3-compatible object store
 * (s3-evidence.ts), chosen by `evidenceStore` in the configuration.
 */
import type { EvidenceStoreConfig } from '../config';
import type { Database, Queryable } from '../db';
import { S3EvidenceStore, type S3Settings } from './s3-evidence';

export interface EvidenceStore {
  readonly kind: 'database' | 's3';
  /**
   * Keeps `bytes` under `sha256` (the caller has checked that they hash to it). Write-once: what is already stored
   * under the key is left as it is if it is intact. Resolves only once the bytes are stored whole.
   */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  /** The stored bytes in order, a piece at a time (never the whole file at once), or undefined if there are none. */
  get(sha256: string): Promise<AsyncIterable<Uint8Array> | undefined>;
  has(sha256: string): Promise<boolean>;
  /** Removes the bytes; nothing happens if there were none. */
  delete(sha256: string): Promise<void>;
}

/** One statement's worth of evidence bytes: short enough that other requests run between an upload's statements. */
export const CHUNK_BYTES = 256 * 1024;
/** Chunks read per statement when a file is read back. */
const CHUNKS_PER_READ = 8;

/**
 * The bytes in `evidence_chunks`, one chunk per statement (and per commit), so on PGlite (one session) other requests
 * run between an upload's statements. A crash part-way leaves chunks without an `evidence` row, which is no evidence at
 * all and is purged later (purgeUnreferencedEvidence).
 */
export class DatabaseEvidenceStore implements EvidenceStore {
  readonly kind = 'database';
  constructor(private readonly db: Queryable) {}

  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    // Chunks an interrupted upload left long ago may have been cut at another size: start clean. A concurrent upload of
    // the same file writes identical chunks, so `DO NOTHING` on a chunk it already wrote is right.
    await this.db.query(
      `DELETE FROM evidence_chunks WHERE sha256 = $1 AND written_at < now() - interval '1 hour'
         AND NOT EXISTS (SELECT 1 FROM evidence WHERE sha256 = $1)`,
      [sha256],
    );
    const chunks = Math.ceil(bytes.byteLength / CHUNK_BYTES);
    for (let seq = 0; seq < chunks; seq++) {
      await this.db.query('INSERT INTO evidence_chunks (sha256, seq, content) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        sha256,
        seq,
        bytes.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES),
      ]);
    }
    const [whole] = await this.db.query<{ whole: boolean }>(
      'SELECT count(*) = $2::integer AND coalesce(sum(octet_length(content)), 0) = $3::bigint AS whole FROM evidence_chunks WHERE sha256 = $1',
      [sha256, chunks, bytes.byteLength],
    );
    if (!whole?.whole) throw new Error('The evidence chunks did not add up to the file');
  }

  async get(sha256: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    const [first] = await this.db.query('SELECT 1 FROM evidence_chunks WHERE sha256 = $1 AND seq = 0', [sha256]);
    if (!first) return undefined;
    const db = this.db;
    return (async function* () {
      for (let from = 0; ; from += CHUNKS_PER_READ) {
        const rows = await db.query<{ content: Uint8Array }>(
          'SELECT content FROM evidence_chunks WHERE sha256 = $1 AND seq >= $2 AND seq < $3 ORDER BY seq',
          [sha256, from, from + CHUNKS_PER_READ],
        );
        for (const row of rows) yield new Uint8Array(row.content);
        if (rows.length < CHUNKS_PER_READ) return;
      }
    })();
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM evidence_chunks WHERE sha256 = $1 AND seq = 0', [sha256])).length > 0;
  }

  async delete(sha256: string): Promise<void> {
    await this.db.query('DELETE FROM evidence_chunks WHERE sha256 = $1', [sha256]);
  }
}

/**
 * The store each database's evidence goes to. Set once where the hub is put together (createApp, from the
 * configuration), so every reader of evidence (the console, backups, erasure, the expiry purge) reaches the same
 * bytes by the database alone; a database with none set keeps evidence in itself.
 */
const stores = new WeakMap<Database | Queryable, EvidenceStore>();

export function useEvidenceStore(db: Database, store: EvidenceStore): void {
  stores.set(db, store);
}

/** Sends `db`'s evidence to the store the configuration names (the database itself unless it names an object store). */
export function configureEvidenceStore(db: Database, config: EvidenceStoreConfig): EvidenceStore {
  // The configuration schema has already required every S3 setting when kind is s3.
  const store = config.kind === 's3' ? new S3EvidenceStore(config as S3Settings) : new DatabaseEvidenceStore(db);
  useEvidenceStore(db, store);
  return store;
}

export function evidenceStoreOf(db: Queryable): EvidenceStore {
  let store = stores.get(db);
  if (!store) {
    store = new DatabaseEvidenceStore(db);
    stores.set(db, store);
  }
  return store;
}
