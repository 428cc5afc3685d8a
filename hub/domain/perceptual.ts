/**
 * Matching pictures by their fingerprints (issue 23): a report of intimate-image abuse carries PDQ hashes instead of
 * the pictures (Item.perceptualHashes); migration 016 keeps each in image_hashes, cut into 16 bands of 16 bits in
 * image_hash_bands. Two reports show the same picture when a hash of one is within the configured Hamming distance of
 * a hash of the other (PDQ's own default, 31 of 256 bits, is ours).
 *
 * Why bands and not a scan: comparing a new hash with every stored one is a sequential scan that grows with the hub.
 * With 16 bands, two hashes within d agree to within ⌊d/16⌋ bits on at least one band, so probing each band with the
 * values that close to its own (17 values a band at d = 31) finds every match through the btree, and only those
 * candidates are compared bit by bit in SQL. The cost: d is capped at 47 (⌊d/16⌋ ≤ 2, 137 probes a band); beyond
 * that the probes grow faster than a scan would save, and PDQ's authors find more than about 45 matches unrelated
 * pictures anyway.
 */
import type { Queryable } from '../db';

export const DEFAULT_IMAGE_MATCH_DISTANCE = 31;
export const MAX_IMAGE_MATCH_DISTANCE = 47;
/**
 * Hashes below this quality are kept but neither match nor are matched: PDQ's guidance is that a flat or nearly flat
 * picture (a black frame, a blank screen) hashes to bits that say little about it, and would match other such pictures.
 */
export const MIN_MATCH_QUALITY = 50;

/** Another report with a picture whose fingerprint is within the distance of one in the report looked at. */
export interface ImageMatch {
  reference: string;
  receivedAt: Date;
  /** The smallest distance between a fingerprint of each (0 = the same bits). */
  distance: number;
  /** It arrived before the report looked at. */
  earlier: boolean;
}

/** The 16-bit masks with at most `radius` bits set: the values to probe a band with are its own XOR each. */
export function bandMasks(radius: number): number[] {
  const masks: number[] = [];
  for (let mask = 0; mask < 1 << 16; mask++) {
    let bits = 0;
    for (let m = mask; m && bits <= radius; m &= m - 1) bits++;
    if (bits <= radius) masks.push(mask);
  }
  return masks;
}

const masksByRadius = new Map<number, number[]>();
function masksFor(distance: number): number[] {
  const radius = Math.floor(distance / 16);
  let masks = masksByRadius.get(radius);
  if (!masks) masksByRadius.set(radius, (masks = bandMasks(radius)));
  return masks;
}

/**
 * The other reports whose pictures match one of `reference`'s fingerprints within `distance`, earliest first, at
 * most `limit`. Empty for a report with no fingerprints of enough quality.
 */
export async function imageMatches(db: Queryable, reference: string, distance: number, limit = 200): Promise<ImageMatch[]> {
  if (!Number.isInteger(distance) || distance < 0 || distance > MAX_IMAGE_MATCH_DISTANCE) {
    throw new RangeError(`The image match distance must be a whole number from 0 to ${MAX_IMAGE_MATCH_DISTANCE}; got ${distance}`);
  }
  return db.query<ImageMatch>(
    `WITH mine AS (
       SELECT h.id, h.hash, r.received_at FROM image_hashes h JOIN reports r ON r.reference = h.reference
        WHERE h.reference = $1 AND h.quality >= $4
     ), candidates AS (
       SELECT DISTINCT m.id AS mine, other.hash_id AS theirs
         FROM mine m
         JOIN image_hash_bands b ON b.hash_id = m.id
         CROSS JOIN unnest($3::integer[]) AS flip (mask)
         JOIN image_hash_bands other ON other.band = b.band AND other.value = (b.value # flip.mask) AND other.hash_id <> m.id
     )
     SELECT o.reference, r.received_at AS "receivedAt", min(bit_count(m.hash # o.hash))::integer AS distance,
            bool_or((r.received_at, r.reference) < (m.received_at, $1::text)) AS earlier
       FROM candidates c
       JOIN mine m ON m.id = c.mine
       JOIN image_hashes o ON o.id = c.theirs AND o.reference <> $1 AND o.quality >= $4
       JOIN reports r ON r.reference = o.reference
      WHERE bit_count(m.hash # o.hash) <= $2
      GROUP BY o.reference, r.received_at
      ORDER BY r.received_at, o.reference
      LIMIT $5`,
    [reference, distance, masksFor(distance), MIN_MATCH_QUALITY, limit],
  );
}
