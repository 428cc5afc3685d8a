/**
 * Evidence: content-addressed bytes. The hash is the name, so storing the same bytes twice is one row, and a report
 * can refer to evidence that any earlier upload (its own retry, or another reporter) already brought.
 */
import { EvidenceMediaType, type Evidence, type FieldError } from '../../lib/schema';
import { imageSize } from 'image-size';
import { IMAGE_SIGNATURES } from '../../lib/schema/media';
import type { Queryable } from '../db';
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

/** One statement's worth of evidence bytes: short enough that other requests run between an upload's statements. */
export const CHUNK_BYTES = 256 * 1024;
/** Chunks read per statement when a file is read back. */
const CHUNKS_PER_READ = 8;

/**
 * Stores the bytes under their hash, one chunk per statement (and per commit), then the `evidence` row that marks the
 * file complete; true if they were new. A crash part-way leaves chunks without a row, which is no evidence at all
 * (a report naming it gets 409 missing_evidence) and is purged later. The caller has checked the bytes' hash.
 */
export async function storeEvidence(db: Queryable, sha256: string, mediaType: EvidenceMediaType, content: Uint8Array): Promise<boolean> {
  if ((await findEvidence(db, [sha256])).has(sha256)) return false;
  // Chunks an interrupted upload left long ago may have been cut at another size: start clean. A concurrent upload of
  // the same file writes identical chunks, so `DO NOTHING` on a chunk it already wrote is right.
  await db.query(
    `DELETE FROM evidence_chunks WHERE sha256 = $1 AND written_at < now() - interval '1 hour'
       AND NOT EXISTS (SELECT 1 FROM evidence WHERE sha256 = $1)`,
    [sha256],
  );
  const chunks = Math.ceil(content.byteLength / CHUNK_BYTES);
  for (let seq = 0; seq < chunks; seq++) {
    await db.query('INSERT INTO evidence_chunks (sha256, seq, content) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      sha256,
      seq,
      content.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES),
    ]);
  }
  // Complete only if every chunk is there and they add up to the file.
  const inserted = await db.query<{ sha256: string }>(
    `INSERT INTO evidence (sha256, media_type, bytes)
     SELECT $1, $2, $3::integer
      WHERE (SELECT count(*) = $4::integer AND sum(octet_length(content)) = $3::integer FROM evidence_chunks WHERE sha256 = $1)
     ON CONFLICT (sha256) DO NOTHING RETURNING sha256`,
    [sha256, mediaType, content.byteLength, chunks],
  );
  if (inserted.length === 0 && !(await findEvidence(db, [sha256])).has(sha256)) {
    throw new Error('The evidence chunks did not add up to the file');
  }
  return inserted.length > 0;
}

/**
 * A stored file's bytes, read a few chunks per statement and checked against its hash, or undefined if the hub does
 * not hold it. Bytes that no longer match their hash (damaged storage, tampering) are returned as they are, with
 * `intact: false`: the integrity check that reads them must be able to say so.
 */
export async function readEvidence(db: Queryable, sha256: string): Promise<{ mediaType: EvidenceMediaType; bytes: Uint8Array<ArrayBuffer>; intact: boolean } | undefined> {
  const [row] = await db.query<StoredEvidence>('SELECT sha256, media_type, bytes FROM evidence WHERE sha256 = $1', [sha256]);
  if (!row) return undefined;
  const bytes = new Uint8Array(row.bytes);
  let filled = 0;
  for (let from = 0; filled < row.bytes; from += CHUNKS_PER_READ) {
    const chunks = await db.query<{ content: Uint8Array }>(
      'SELECT content FROM evidence_chunks WHERE sha256 = $1 AND seq >= $2 AND seq < $3 ORDER BY seq',
      [sha256, from, from + CHUNKS_PER_READ],
    );
    if (chunks.length === 0) break;
    for (const chunk of chunks) {
      const part = new Uint8Array(chunk.content);
      bytes.set(part.subarray(0, Math.max(0, row.bytes - filled)), filled);
      filled += part.byteLength;
    }
  }
  const whole = filled === row.bytes ? bytes : bytes.subarray(0, Math.min(filled, row.bytes));
  return { mediaType: row.media_type, bytes: whole, intact: filled === row.bytes && (await sha256Hex(whole)) === sha256 };
}

/**
 * Deletes evidence that no report refers to, once older than `hours` (an upload whose report never came), with its
 * chunks; and chunks of uploads that never completed. Returns how many files went. A report filed at the same moment
 * as its evidence expires fails its foreign key and is answered 409 missing_evidence, so its client uploads again.
 */
export async function purgeUnreferencedEvidence(db: Queryable, hours: number): Promise<number> {
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
 * Erases, inside the caller's transaction, the evidence among `hashes` that no report refers to any more (the caller
 * has just removed its own report's links); returns the hashes erased. Evidence is stored once by hash, so two
 * reports of the same post share a file: it goes with the last of them.
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
     )
     SELECT sha256 FROM gone`,
    [hashes],
  );
  return erased.map((row) => row.sha256);
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
