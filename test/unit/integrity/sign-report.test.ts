/** Signing at the point a report is frozen: one manifest per extension-captured item, and the report verifies. */
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../lib/hash';
import { newSigningKey } from '../../../lib/integrity';
import { verifyReport, type EvidenceSource } from '../../../lib/integrity/verify';
import { signedCopy, signReport } from '../../../lib/report/sign';
import { Report, type Item } from '../../../lib/schema';
import { makePng } from '../../fixtures/png';
import { sampleReport } from '../../fixtures/report';

async function itemWith(bytes: Uint8Array<ArrayBuffer>, overrides: Partial<Item> = {}): Promise<Item> {
  return {
    url: 'https://t.me/s/chan', platform: 'telegram', kind: 'message', text: 'Go back where you came from',
    capturedAt: '2026-01-02T04:00:00.000Z', captureMethod: 'extension',
    evidence: [{ sha256: await sha256Hex(bytes), mediaType: 'image/png', bytes: bytes.byteLength, kind: 'screenshot', width: 4, height: 3 }],
    ...overrides,
  };
}

const source = (files: Uint8Array<ArrayBuffer>[]): EvidenceSource => ({
  async *files() {
    for (const [index, bytes] of files.entries()) yield { name: `file${index}`, bytes };
  },
});

describe('signReport', () => {
  it('signs each captured item, leaves manual items unsigned, and the result verifies', async () => {
    const png = makePng(4, 3);
    const key = await newSigningKey();
    const report = sampleReport({ items: [await itemWith(png), await itemWith(png, { captureMethod: 'manual', text: undefined })] });
    const signed = await signReport(report, key, 'Chromium test');
    expect(Report.safeParse(signed).success).toBe(true);
    expect(signed.publicKey).toEqual(key.publicJwk);
    expect(signed.captureManifests?.map((manifest) => manifest.itemIndex)).toEqual([0]);
    expect(signed.captureManifests?.[0]).toMatchObject({ pageUrl: 'https://t.me/s/chan', browser: 'Chromium test', tool: report.client });
    expect((await verifyReport(signed, source([png]))).ok).toBe(true);

    const edited = { ...signed, items: [{ ...signed.items[0]!, text: 'Something else' }, signed.items[1]!] };
    expect((await verifyReport(edited, source([png]))).ok).toBe(false);
  });

  it('adds nothing to a report with no captured item', async () => {
    const key = await newSigningKey();
    const report = sampleReport({ items: [await itemWith(makePng(1, 1), { captureMethod: 'manual' })] });
    expect(await signReport(report, key, 'x')).toEqual(report);
  });
});

describe('signedCopy', () => {
  it('gives each copy its own id and key, each verifies, and a copy swapped onto another copy’s key fails', async () => {
    const png = makePng(4, 3);
    const report = sampleReport({ items: [await itemWith(png)] });
    const [a, b] = [await signedCopy(report, crypto.randomUUID(), 'Chrome 131'), await signedCopy(report, crypto.randomUUID(), 'Chrome 131')];
    expect(a.id).not.toBe(b.id);
    expect(a.publicKey).not.toEqual(b.publicKey);
    expect(a.captureManifests![0]!.signature).not.toBe(b.captureManifests![0]!.signature);
    for (const copy of [a, b]) {
      expect(Report.safeParse(copy).success).toBe(true);
      expect((await verifyReport(copy, source([png]))).ok).toBe(true);
    }
    expect((await verifyReport({ ...a, publicKey: b.publicKey }, source([png]))).ok).toBe(false);
    // A copy of a copy is signed afresh: nothing of the first copy's key or signatures is carried over.
    const again = await signedCopy(a, crypto.randomUUID(), 'Chrome 131');
    expect(again.publicKey).not.toEqual(a.publicKey);
    expect(again.captureManifests).toHaveLength(1);
  });

  it('only changes the id of a report with nothing captured', async () => {
    const report = sampleReport({ items: [await itemWith(makePng(1, 1), { captureMethod: 'manual' })] });
    const id = crypto.randomUUID();
    expect(await signedCopy(report, id, 'x')).toEqual({ ...report, id });
  });
});
