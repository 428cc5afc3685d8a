/**
 * Hiding the person's own account in an anonymous report's pictures (issue 23), with a stand-in canvas that records
 * what is painted: which pictures are painted over where, what the report then says, and that the signed manifest
 * vouches for the hidden areas.
 */
import { describe, expect, it } from 'vitest';
import { hideInReport, planHiding, within, withMarkedArea, type HidingPlan, type PaintKit } from '../../../extension/capture/hiding';
import { sha256Hex } from '../../../lib/hash';
import { newSigningKey } from '../../../lib/integrity/keys';
import { verifyManifest } from '../../../lib/integrity/manifest';
import { verifyReport } from '../../../lib/integrity/verify';
import { signReport } from '../../../lib/report/sign';
import { Report, type Item } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';

/** Decodes "pictures" that are JSON {width,height,fills}, paints by recording, encodes as JSON again. */
function recordingKit(): PaintKit {
  type Fake = { width: number; height: number; fills: number[][] };
  return {
    decode: async (bytes) => JSON.parse(new TextDecoder().decode(bytes)) as Fake as unknown as ImageBitmap,
    create: (width, height) => {
      const canvas = { width, height, fills: [] as number[][], fillStyle: '', drawImage: (image: unknown) => void canvas.fills.push(...(image as Fake).fills), fillRect: (x: number, y: number, w: number, h: number) => void canvas.fills.push([x, y, w, h]) };
      return canvas as never;
    },
    encode: async (canvas) => {
      const { width, height, fills } = canvas as unknown as Fake;
      return new TextEncoder().encode(JSON.stringify({ width, height, fills }));
    },
  };
}

const picture = (width: number, height: number) => new TextEncoder().encode(JSON.stringify({ width, height, fills: [] }));

async function setup() {
  const screenshot = picture(2000, 1600);
  const element = picture(800, 400);
  const full = picture(2000, 9000);
  const store = new Map<string, Uint8Array<ArrayBuffer>>();
  const keep = async (bytes: Uint8Array<ArrayBuffer>) => {
    const sha256 = await sha256Hex(bytes);
    store.set(sha256, bytes);
    return sha256;
  };
  const [shot, crop, page] = await Promise.all([keep(screenshot), keep(element), keep(full)]);
  const snapshot = 'b'.repeat(64);
  const hiddenSnapshot = 'c'.repeat(64);
  const plan = planHiding(
    {
      handle: 'Nate_Reports',
      areas: [
        { x: 10, y: 5, width: 100, height: 20, reason: 'account' },
        // An own post partly inside the post's crop (CSS px; the screenshot is at 2x).
        { x: 300, y: 350, width: 200, height: 100, reason: 'own_post' },
        // Scrolled out of view: not in the picture, so not listed.
        { x: 0, y: 2000, width: 50, height: 50, reason: 'account' },
      ],
    },
    {
      viewport: { width: 1000, height: 800 }, devicePixelRatio: 2, image: { width: 2000, height: 1600 },
      screenshot: shot, element: { sha256: crop, crop: { x: 400, y: 600, width: 800, height: 400 } },
      snapshot, hiddenSnapshot: { sha256: hiddenSnapshot, bytes: 321 },
    },
  )!;
  const item: Item = {
    url: 'https://x.com/someone/status/1', platform: 'x', kind: 'post', capturedAt: '2026-12-06T08:00:00.000Z', captureMethod: 'extension',
    author: { handle: 'someone' },
    text: 'the reported words',
    context: {
      parent: { author: { handle: 'nate_reports' }, text: 'my own post' },
      thread: [{ author: { handle: 'someone' }, text: 'theirs' }, { author: { handle: 'NATE_REPORTS' }, text: 'mine again' }],
    },
    evidence: [
      { sha256: shot, mediaType: 'image/png', bytes: screenshot.byteLength, kind: 'screenshot', width: 2000, height: 1600 },
      { sha256: crop, mediaType: 'image/png', bytes: element.byteLength, kind: 'element', width: 800, height: 400 },
      { sha256: snapshot, mediaType: 'text/html', bytes: 999, kind: 'html_snapshot' },
      { sha256: page, mediaType: 'image/jpeg', bytes: full.byteLength, kind: 'full_page', width: 2000, height: 9000 },
    ],
  };
  return { plan, item, store, shot, crop, hiddenSnapshot };
}

describe('planning', () => {
  it('puts the found areas in the screenshot’s pixels, dropping those out of view', async () => {
    const { plan } = await setup();
    expect(plan.handle).toBe('Nate_Reports');
    expect(plan.areas).toEqual([
      { x: 20, y: 10, width: 200, height: 40, reason: 'account' },
      { x: 600, y: 700, width: 400, height: 200, reason: 'own_post' },
    ]);
  });

  it('moves areas into a crop’s own pixels and clips them to it', () => {
    expect(within([{ x: 600, y: 700, width: 400, height: 200, reason: 'own_post' }], { x: 400, y: 600, width: 800, height: 400 }))
      .toEqual([{ x: 200, y: 100, width: 400, height: 200, reason: 'own_post' }]);
    expect(within([{ x: 0, y: 0, width: 10, height: 10, reason: 'account' }], { x: 400, y: 600, width: 800, height: 400 })).toEqual([]);
  });

  it('finds nothing to plan on a page with no account shown', () => {
    expect(planHiding(undefined, { viewport: { width: 1, height: 1 }, devicePixelRatio: 1, screenshot: 'a'.repeat(64) })).toBeUndefined();
    expect(planHiding({ areas: [] }, { viewport: { width: 1, height: 1 }, devicePixelRatio: 1, screenshot: 'a'.repeat(64) })).toBeUndefined();
  });
});

describe('an anonymous report as it leaves the computer', () => {
  it('paints the areas over the screenshot and the post’s crop, swaps the snapshot, drops the full page and the person’s own posts', async () => {
    const { plan, item, store, shot, crop, hiddenSnapshot } = await setup();
    const marked = withMarkedArea(plan, { x: 1500.4, y: 1200.6, width: 99.5, height: 50 });
    const report = sampleReport({ items: [item] });
    const { report: sent, artefacts } = await hideInReport(report, [marked], { kit: recordingKit(), read: async (sha) => store.get(sha) });

    expect(Report.safeParse(sent).success).toBe(true);
    const [screenshot, element, snapshot, ...rest] = sent.items[0]!.evidence;
    expect(rest).toEqual([]);
    expect(screenshot!.sha256).not.toBe(shot);
    expect(screenshot!.hidden).toEqual([...plan.areas, { x: 1500, y: 1201, width: 100, height: 50, reason: 'marked' }]);
    expect(element!.sha256).not.toBe(crop);
    expect(element!.hidden).toEqual([{ x: 200, y: 100, width: 400, height: 200, reason: 'own_post' }]);
    expect(snapshot).toMatchObject({ sha256: hiddenSnapshot, bytes: 321, kind: 'html_snapshot' });
    expect(sent.items[0]!.context).toEqual({ thread: [{ author: { handle: 'someone' }, text: 'theirs' }] });

    // The new pictures are what is sent, and each is painted exactly over its areas.
    const painted = new Map(artefacts.map((artefact) => [artefact.sha256, JSON.parse(new TextDecoder().decode(artefact.bytes))]));
    expect(painted.get(screenshot!.sha256).fills).toEqual(screenshot!.hidden!.map((area) => [area.x, area.y, area.width, area.height]));
    expect(painted.get(element!.sha256).fills).toEqual([[200, 100, 400, 200]]);
    for (const artefact of artefacts) expect(await sha256Hex(artefact.bytes)).toBe(artefact.sha256);
  });

  it('signs the hidden areas into the capture manifest, which verifies and fails when an area is changed', async () => {
    const { plan, item, store } = await setup();
    const { report: sent } = await hideInReport(sampleReport({ items: [item] }), [plan], { kit: recordingKit(), read: async (sha) => store.get(sha) });
    const key = await newSigningKey();
    const signed = await signReport(sent, key, 'Chrome 142');
    const manifest = signed.captureManifests![0]!;
    expect(manifest.artefacts.find((artefact) => artefact.kind === 'screenshot')!.hidden).toEqual(plan.areas);
    expect(await verifyManifest(manifest, key.publicJwk)).toBe(true);
    const moved = structuredClone(manifest);
    moved.artefacts[0]!.hidden![0]!.x += 1;
    expect(await verifyManifest(moved, key.publicJwk)).toBe(false);
  });

  it('leaves an item without a plan as it was, and refuses to send a picture it cannot hide', async () => {
    const { plan, item } = await setup();
    const untouched = sampleReport();
    expect((await hideInReport(untouched, [plan], { kit: recordingKit(), read: async () => undefined })).report).toEqual(untouched);
    await expect(hideInReport(sampleReport({ items: [item] }), [plan as HidingPlan], { kit: recordingKit(), read: async () => undefined }))
      .rejects.toThrow(/not on this computer/);
  });
});

describe('verifying a hidden report', () => {
  it('checks that the report’s hidden areas are the signed ones', async () => {
    const { plan, item, store } = await setup();
    const { report: sent, artefacts } = await hideInReport(sampleReport({ items: [item] }), [plan], { kit: recordingKit(), read: async (sha) => store.get(sha) });
    const signed = await signReport(sent, await newSigningKey(), 'Chrome 142');
    const files = [...artefacts.map((artefact) => ({ name: artefact.sha256, bytes: artefact.bytes }))];
    const source = { async *files() { yield* files; } };
    const failedChecks = async (report: unknown) =>
      (await verifyReport(report, source)).items.flatMap((verdict) => verdict.checks.filter((check) => !check.ok).map((check) => check.what));
    expect((await failedChecks(signed)).filter((what) => what.startsWith('hidden'))).toEqual([]);
    const altered = structuredClone(signed);
    altered.items[0]!.evidence[0]!.hidden![0]!.width = 1;
    expect((await failedChecks(altered)).some((what) => what.startsWith('hidden areas of screenshot'))).toBe(true);
  });
});
