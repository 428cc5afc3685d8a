/**
 * Evidence packs: a signed report and its files go into a ZIP and come back unchanged; `verify` accepts the ZIP; a
 * bad pack of each kind is refused with its reason and leaves the local store as it was.
 */
import 'fake-indexeddb/auto';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DraftStore } from '../../../extension/drafts';
import { buildEvidencePack, MissingArtefactError, type PackProgress } from '../../../lib/evidence-pack/export';
import { importEvidencePack } from '../../../extension/evidence-pack/import';
import { packForVerify, readEvidencePack } from '../../../lib/evidence-pack/read';
import { summaryHtml } from '../../../lib/evidence-pack/summary';
import { sha256Hex } from '../../../lib/hash';
import { buildManifest, newSigningKey, signManifest } from '../../../lib/integrity';
import { verifyReport } from '../../../lib/integrity/verify';
import { reportFromAnswers } from '../../../lib/report/from-answers';
import { detailsFromReport } from '../../../lib/report/from-report';
import type { Report } from '../../../lib/schema';
import { makePng } from '../../fixtures/png';
import { sampleReport } from '../../fixtures/report';

const run = promisify(execFile);
const NOW = '2026-11-25T12:00:00.000Z';

async function signedPack() {
  const png = makePng(4, 3);
  const html = new TextEncoder().encode('<!doctype html><p>hate</p>');
  const evidence = [
    { sha256: await sha256Hex(png), mediaType: 'image/png' as const, bytes: png.byteLength, kind: 'screenshot' as const },
    { sha256: await sha256Hex(html), mediaType: 'text/html' as const, bytes: html.byteLength, kind: 'html_snapshot' as const },
  ];
  const base = sampleReport({
    urgency: { immediateDanger: false, perpetratorIdentityKnown: true, relatesToFutureEvent: false },
  });
  const unsigned: Report = {
    ...base,
    incident: { ...base.incident, summary: 'They wrote <script>alert(1)</script> & worse' },
    items: [{ ...base.items[0]!, text: 'You are not welcome here', evidence }],
  };
  const key = await newSigningKey();
  const item = unsigned.items[0]!;
  const manifest = await signManifest(
    await buildManifest({ itemIndex: 0, pageUrl: item.url, capturedAt: item.capturedAt, tool: unsigned.client, browser: 'Chromium 140', evidence, text: item.text }),
    key.privateKey,
  );
  const report: Report = { ...unsigned, captureManifests: [manifest], publicKey: key.publicJwk };
  const artefacts = [
    { sha256: evidence[0]!.sha256, mediaType: 'image/png' as const, bytes: png },
    { sha256: evidence[1]!.sha256, mediaType: 'text/html' as const, bytes: html },
  ];
  return { report, artefacts };
}

const freshStore = () => DraftStore.open(`ohr-test-${crypto.randomUUID()}`);

describe('evidence pack', () => {
  it('round-trips a signed report and its files, with progress, a manifest file and a text-only summary', async () => {
    const { report, artefacts } = await signedPack();
    const progress: PackProgress[] = [];
    const zip = await buildEvidencePack(report, artefacts, { generatedAt: NOW, onProgress: (step) => progress.push(step) });
    const names = Object.keys(unzipSync(zip)).sort();
    expect(names).toEqual([
      `evidence/${artefacts[1]!.sha256}.html.txt`,
      `evidence/${artefacts[0]!.sha256}.png`,
      'manifests/item-0.json',
      'report.json',
      'summary.html',
    ].sort());
    expect(progress.at(-1)).toEqual({ done: 5, total: 5 });
    expect(progress.map((step) => step.done)).toEqual([1, 2, 3, 4, 5]);
    const reading = await readEvidencePack(zip);
    expect(reading.ok && reading.report).toEqual(report);
    expect(reading.ok && reading.artefacts.map((artefact) => artefact.sha256).sort()).toEqual(artefacts.map((a) => a.sha256).sort());
    const pack = packForVerify(zip);
    expect('json' in pack && (await verifyReport(pack.json, pack.source)).ok).toBe(true);
  });

  it('escapes captured text in summary.html and carries no script', async () => {
    const { report } = await signedPack();
    const html = summaryHtml(report, NOW);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; worse');
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('perpetratorIdentityKnown');
  });

  it('refuses to write a pack whose evidence is not on this computer', async () => {
    const { report, artefacts } = await signedPack();
    await expect(buildEvidencePack(report, artefacts.slice(1), { generatedAt: NOW })).rejects.toBeInstanceOf(MissingArtefactError);
  });

  it('refuses each kind of bad pack with its reason', async () => {
    const { report, artefacts } = await signedPack();
    const good = unzipSync(await buildEvidencePack(report, artefacts, { generatedAt: NOW }));
    const png = `evidence/${artefacts[0]!.sha256}.png`;
    const without = (name: string) => Object.fromEntries(Object.entries(good).filter(([key]) => key !== name));
    const flipped = good[png]!.slice();
    flipped[flipped.length - 1]! ^= 1;
    const cases: Array<[Uint8Array, string]> = [
      [strToU8('not a zip at all'), 'locker.notZip'],
      [zipSync(without('report.json')), 'locker.noReport'],
      [zipSync({ ...good, 'report.json': strToU8('{') }), 'locker.badReport'],
      [zipSync({ ...good, 'report.json': strToU8(JSON.stringify({ ...report, items: [] })) }), 'locker.badReport'],
      [zipSync(without(png)), 'locker.missingFile'],
      [zipSync({ ...good, [png]: flipped }), 'locker.missingFile'],
    ];
    for (const [bytes, key] of cases) {
      const reading = await readEvidencePack(bytes);
      expect(reading.ok ? 'accepted' : reading.refusal.key).toBe(key);
    }
    const bomb = await readEvidencePack(zipSync({ 'report.json': new Uint8Array(2_000) }), 1_000);
    expect(bomb.ok ? 'accepted' : bomb.refusal.key).toBe('locker.tooBig');
  });

  it('imports a good pack as a draft with its answers, and a bad or repeated one changes nothing', async () => {
    const { report, artefacts } = await signedPack();
    const zip = await buildEvidencePack(report, artefacts, { generatedAt: NOW });
    const store = await freshStore();
    try {
      const broken = zipSync({ 'report.json': strToU8(JSON.stringify(report)) });
      expect(await importEvidencePack(store, broken, NOW)).toMatchObject({ ok: false, refusal: { key: 'locker.missingFile' } });
      expect(await store.list()).toEqual([]);
      expect(await store.db.count('artefacts')).toBe(0);
      expect(await importEvidencePack(store, zip, NOW)).toEqual({ ok: true, draftId: report.id, createdAt: report.createdAt, items: 1 });
      const draft = (await store.get(report.id))!;
      expect(draft.details).toEqual(detailsFromReport(report));
      expect(await store.artefactsFor(draft)).toHaveLength(2);
      const { captureManifests: _m, publicKey: _k, ...plain } = report;
      expect(reportFromAnswers(draft, report.client)).toEqual(plain);
      expect(await importEvidencePack(store, zip, NOW)).toMatchObject({ ok: false, refusal: { key: 'locker.exists' } });
    } finally {
      store.close();
    }
  });

  it('npm run verify accepts the ZIP, and fails it when a file was altered', async () => {
    const { report, artefacts } = await signedPack();
    const zip = await buildEvidencePack(report, artefacts, { generatedAt: NOW });
    const directory = await mkdtemp(join(tmpdir(), 'ohr-pack-'));
    const good = join(directory, 'pack.zip');
    await writeFile(good, zip);
    const passed = await run('npx', ['tsx', 'scripts/verify.ts', good]);
    expect(passed.stdout).toContain('VERIFIED');
    const files = unzipSync(zip);
    const png = `evidence/${artefacts[0]!.sha256}.png`;
    files[png]![files[png]!.length - 1]! ^= 1;
    const bad = join(directory, 'bad.zip');
    await writeFile(bad, zipSync(files));
    const failed = await run('npx', ['tsx', 'scripts/verify.ts', bad]).catch((error: { code: number; stdout: string }) => error);
    expect('code' in failed && failed.code).toBe(1);
    expect(failed.stdout).toContain('NOT VERIFIED');
  });
});
