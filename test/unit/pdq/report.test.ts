/**
 * The extension's copy for an organisation when pictures go only as fingerprints (lib/pdq/report.ts): every captured
 * file is left out of the copy and each picture is replaced by its PDQ hash, so nothing of the picture is uploaded.
 */
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../lib/hash';
import { pdqHash } from '../../../lib/pdq/pdq';
import { withFingerprintsOnly, withoutFingerprints } from '../../../lib/pdq/report';
import { evidenceHashes, Report } from '../../../lib/schema';
import { decode, photo, toPng } from '../../fixtures/pdq';
import { sampleReport } from '../../fixtures/report';

const png = new Uint8Array(toPng(photo('chelsea.png')));
/** Node has no canvas: the test decodes the PNG itself, as the browser does in `fingerprintOf`. */
const fingerprint = async (picture: Blob) => {
  const pixels = decode(Buffer.from(await picture.arrayBuffer()));
  return { algorithm: 'pdq' as const, ...pdqHash(pixels.data, pixels.width, pixels.height) };
};

describe('a copy with fingerprints only', () => {
  it('leaves out every captured file and carries each picture as its hash', async () => {
    const sha256 = await sha256Hex(png);
    const base = sampleReport({}, sha256);
    const report: Report = {
      ...base,
      incident: { ...base.incident, harmTypes: ['intimate_image_abuse'] },
      items: [{ ...base.items[0]!, evidence: [...base.items[0]!.evidence, { sha256: 'b'.repeat(64), mediaType: 'text/html', bytes: 10, kind: 'html_snapshot' }] }],
    };
    const read = async (hash: string) => (hash === sha256 ? png.slice() : undefined);
    const blind = await withFingerprintsOnly(report, { read, fingerprint });
    expect(Report.safeParse(blind).success).toBe(true);
    expect(evidenceHashes(blind)).toEqual([]);
    expect(blind.items[0]?.perceptualHashes).toEqual([await fingerprint(new Blob([png]))]);
    expect(blind.items[0]?.perceptualHashes?.[0]?.quality).toBeGreaterThanOrEqual(50);
    // The person's report is untouched: their own copy keeps the pictures.
    expect(evidenceHashes(report)).toContain(sha256);
    expect(withoutFingerprints(blind).items[0]).not.toHaveProperty('perceptualHashes');
    expect(evidenceHashes(withoutFingerprints(blind))).toEqual([]);
  });
});
