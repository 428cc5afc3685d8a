/**
 * Evidence: content-addressed bytes. The hash is the name, so storing the same bytes twice is one row, and a report
 * can refer to evidence that any earlier upload (its own retry, or another reporter) already brought.
 */
import { EvidenceMediaType, type Evidence, type FieldError } from '../lib/schema';
import { imageSize } from 'image-size';
import { IMAGE_SIGNATURES } from '../lib/schema/media';
import type { Queryable } from './db';

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

/** Stores the bytes under their hash; true if they were new. */
export async function storeEvidence(db: Queryable, sha256: string, mediaType: EvidenceMediaType, content: Uint8Array): Promise<boolean> {
  const inserted = await db.query<{ sha256: string }>(
    `INSERT INTO evidence (sha256, media_type, bytes, content) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sha256) DO NOTHING RETURNING sha256`,
    [sha256, mediaType, content.byteLength, content],
  );
  return inserted.length > 0;
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
