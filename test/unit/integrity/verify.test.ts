/**
 * `verify` end to end: a signed report with its evidence files passes; a flipped byte in an artefact, a changed
 * manifest field, edited item text or a missing file each fail — through the library and through the CLI's exit code.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../lib/hash';
import { buildManifest, newSigningKey, signManifest } from '../../../lib/integrity';
import { verifyReport, type EvidenceSource } from '../../../lib/integrity/verify';
import type { Report } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';

const run = promisify(execFile);

async function signedReport() {
  const screenshot = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5]);
  const snapshot = new TextEncoder().encode('<!doctype html><p>hate</p>');
  const key = await newSigningKey();
  const evidence = [
    { sha256: await sha256Hex(screenshot), mediaType: 'image/png' as const, bytes: screenshot.byteLength, kind: 'screenshot' as const },
    { sha256: await sha256Hex(snapshot), mediaType: 'text/html' as const, bytes: snapshot.byteLength, kind: 'html_snapshot' as const },
  ];
  const base = sampleReport();
  const item = { ...base.items[0]!, text: 'You are not welcome here', evidence };
  const manifest = await signManifest(
    await buildManifest({ itemIndex: 0, pageUrl: item.url, capturedAt: item.capturedAt, tool: base.client, browser: 'Chrome 132', evidence, text: item.text }),
    key.privateKey,
  );
  const report: Report = { ...base, items: [item], captureManifests: [manifest], publicKey: key.publicJwk };
  return { report, files: { 'shot.png': screenshot, 'post.html': snapshot } };
}

function source(files: Record<string, Uint8Array>): EvidenceSource {
  return {
    async *files() {
      for (const [name, bytes] of Object.entries(files)) yield { name, bytes: new Uint8Array(bytes) };
    },
  };
}

describe('verifyReport', () => {
  it('passes a signed report with all its evidence', async () => {
    const { report, files } = await signedReport();
    const verdict = await verifyReport(report, source(files));
    expect(verdict.ok).toBe(true);
    expect(verdict.items[0]!.checks.length).toBeGreaterThanOrEqual(6);
  });

  it('fails on a flipped byte in an artefact', async () => {
    const { report, files } = await signedReport();
    const flipped = new Uint8Array(files['shot.png']);
    flipped[5]! ^= 0x01;
    const verdict = await verifyReport(report, source({ ...files, 'shot.png': flipped }));
    expect(verdict.ok).toBe(false);
    expect(verdict.items[0]!.checks.filter((check) => !check.ok).map((check) => check.what)).toEqual([expect.stringContaining('no file has this hash')]);
  });

  it('fails on a changed manifest field, edited text, an unsigned extension capture, or a report without its key', async () => {
    const { report, files } = await signedReport();
    const manifest = report.captureManifests![0]!;
    const variants: Report[] = [
      { ...report, captureManifests: [{ ...manifest, capturedAt: '2026-11-25T09:58:00.000Z' }] },
      { ...report, captureManifests: [{ ...manifest, browser: 'Firefox 140' }] },
      { ...report, items: [{ ...report.items[0]!, text: 'You are welcome here' }] },
      { ...report, captureManifests: [] },
      { ...report, publicKey: undefined },
    ];
    for (const variant of variants) expect((await verifyReport(variant, source(files))).ok).toBe(false);
  });

  it('rejects JSON that is not a valid report', async () => {
    const verdict = await verifyReport({ hello: 'world' }, source({}));
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.length).toBeGreaterThan(0);
  });
});

describe('npm run verify (the CLI)', () => {
  async function cli(args: string[]): Promise<{ code: number; out: string }> {
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', ...args]);
      return { code: 0, out: stdout };
    } catch (error) {
      const failure = error as { code: number; stdout: string };
      return { code: failure.code, out: failure.stdout };
    }
  }

  it('exits 0 with a PASS verdict, and 1 once an evidence file has one byte flipped', async () => {
    const { report, files } = await signedReport();
    const dir = await mkdtemp(join(tmpdir(), 'ohr-verify-'));
    await mkdir(join(dir, 'evidence'));
    await writeFile(join(dir, 'report.json'), JSON.stringify(report));
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, 'evidence', name), bytes);

    const good = await cli([join(dir, 'report.json'), join(dir, 'evidence')]);
    expect(good.code).toBe(0);
    expect(good.out).toContain('PASS  item 0');

    const bytes = await readFile(join(dir, 'evidence', 'post.html'));
    bytes[0]! ^= 0x01;
    await writeFile(join(dir, 'evidence', 'post.html'), bytes);
    const bad = await cli([join(dir, 'report.json'), join(dir, 'evidence')]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('FAIL  item 0');
  });
});
