/**
 * The copy of a report an organisation receives when its pictures go only as fingerprints (intimate-image abuse, the
 * person's choice, the default for that harm): every captured file is left out, and each picture among them is
 * replaced by its PDQ hash on the item. The person's own copy (their evidence pack) keeps the pictures.
 */
import type { Item, PerceptualHash, Report } from '../schema/report';
import { LIMITS } from '../schema/vocabulary';
import { fingerprintOf } from './fingerprint';

export interface FingerprintSource {
  /** The bytes of a captured file, by SHA-256; undefined when it is not kept. */
  read(sha256: string): Promise<Uint8Array | undefined>;
  /** Made in the browser by default (`fingerprintOf`); a test may give its own. */
  fingerprint?(picture: Blob): Promise<PerceptualHash>;
}

export async function withFingerprintsOnly(report: Report, { read, fingerprint = fingerprintOf }: FingerprintSource): Promise<Report> {
  const items: Item[] = [];
  for (const item of report.items) {
    const hashes: PerceptualHash[] = [...(item.perceptualHashes ?? [])];
    for (const evidence of item.evidence) {
      if (!evidence.mediaType.startsWith('image/')) continue;
      const bytes = await read(evidence.sha256);
      if (bytes) hashes.push(await fingerprint(new Blob([bytes.slice()], { type: evidence.mediaType })));
    }
    const { perceptualHashes: _old, ...rest } = item;
    items.push({ ...rest, evidence: [], ...(hashes.length > 0 ? { perceptualHashes: hashes.slice(0, LIMITS.evidencePerItem) } : {}) });
  }
  return { ...report, items };
}

/** The same copy for an organisation that does not take fingerprints: the pictures still do not go, nor their hashes. */
export function withoutFingerprints(report: Report): Report {
  return { ...report, items: report.items.map(({ perceptualHashes: _hashes, ...item }) => item) };
}
