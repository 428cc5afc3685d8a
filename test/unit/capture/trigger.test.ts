import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { locateTarget, REMEMBERED_TTL_MS } from '../../../extension/capture/trigger/locate';
import { captureInPage } from '../../../extension/capture/trigger/in-page';
import { paced, type PacerClock } from '../../../extension/capture/trigger/pacer';
import { captureTarget, type AnyCanvasKit, type CaptureIo } from '../../../extension/capture/trigger/pipeline';
import type { InPageResult } from '../../../extension/capture/trigger/in-page';
import { RestrictedPageError, TabNotShowingError } from '../../../extension/capture/page';
import { collectCapture, currentDraft } from '../../../extension/drafts';
import { MENU_ENTRIES, triggerFromCommand, triggerFromMenu } from '../../../extension/background/menus';
import { openOhrDatabase } from '../../../extension/db';
import { Item } from '../../../lib/schema';
import { sha256Hex } from '../../../lib/hash';
import { makePng, pngDataUrl } from '../../fixtures/png';

function page(html: string, url = 'https://t.me/s/chan') {
  const window = new Window({ url, width: 1000, height: 800, settings: { disableJavaScriptEvaluation: true } });
  window.document.write(html);
  return window.document as unknown as Document;
}

const POSTS = `<title>Chan</title>
  <div class="tgme_widget_message" data-post="chan/7" id="p7">
    <a class="tgme_widget_message_owner_name" href="https://t.me/chan"><span>Chan</span></a>
    <div class="tgme_widget_message_text" id="t7">Go back where you came from <a id="l7" href="https://example.org/x">link</a>
      <img id="i7" src="https://cdn.example/a.jpg" alt=""></div>
    <a class="tgme_widget_message_date" href="https://t.me/chan/7"><time datetime="2026-01-02T03:04:05+00:00">03:04</time></a></div>
  <div class="tgme_widget_message" data-post="chan/8" id="p8">
    <div class="tgme_widget_message_text" id="t8">Another one <img id="i8" src="https://cdn.example/a.jpg" alt=""></div>
    <a class="tgme_widget_message_date" href="https://t.me/chan/8"><time datetime="2026-01-02T03:05:05+00:00">03:05</time></a></div>`;

describe('locateTarget', () => {
  const now = 1_000_000;

  it('trusts the right-click listener’s memory for menu clicks while it is fresh, never for the shortcut', () => {
    const document = page(POSTS);
    const t8 = document.getElementById('t8')!;
    expect(locateTarget(document, { kind: 'post' }, { remembered: { element: t8, at: now - 1_000 }, now })).toBe(t8);
    expect(locateTarget(document, { kind: 'post' }, { remembered: { element: t8, at: now - REMEMBERED_TTL_MS - 1 }, now })).toBeUndefined();
    expect(locateTarget(document, { kind: 'shortcut' }, { remembered: { element: t8, at: now }, now })).toBeUndefined();
  });

  it('finds the image and the link the menu names, using the pointer only to choose between matches', () => {
    const document = page(POSTS);
    const t8 = document.getElementById('t8')!;
    expect(locateTarget(document, { kind: 'image', srcUrl: 'https://cdn.example/a.jpg' }, { now })?.id).toBe('i7');
    expect(locateTarget(document, { kind: 'image', srcUrl: 'https://cdn.example/a.jpg' }, { remembered: { element: t8, at: now }, now })?.id).toBe('i8');
    expect(locateTarget(document, { kind: 'link', linkUrl: 'https://example.org/x' }, { now })?.id).toBe('l7');
  });

  it('takes the selection for "Report this selection" and the shortcut, even over a stale right-click', () => {
    const document = page(POSTS);
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('t7')!.firstChild!);
    document.getSelection()!.addRange(range);
    const stale = { element: document.getElementById('t8')!, at: now };
    expect(locateTarget(document, { kind: 'selection' }, { remembered: stale, now })?.id).toBe('t7');
    expect(locateTarget(document, { kind: 'shortcut' }, { now })?.id).toBe('t7');
  });

  it('uses Firefox’s exact target when there is one, and nothing for a page report', () => {
    const document = page(POSTS);
    const i8 = document.getElementById('i8')!;
    expect(locateTarget(document, { kind: 'post', targetElementId: 5 }, { menuTarget: (id) => (id === 5 ? i8 : null), now })).toBe(i8);
    expect(locateTarget(document, { kind: 'page' }, { remembered: { element: i8, at: now }, now })).toBeUndefined();
  });
});

describe('captureInPage', () => {
  it('reads the post around the located element, with its box and, for a selection, the selected words', () => {
    const document = page(POSTS);
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('t7')!.firstChild!);
    document.getSelection()!.addRange(range);
    const result = captureInPage(document, { hints: { kind: 'selection' }, capturedAt: '2026-01-02T04:00:00.000Z' }, { now: 0 });
    expect(result.item).toMatchObject({ platform: 'telegram', permalink: 'https://t.me/chan/7', author: { handle: 'chan' } });
    expect(result.selectionText).toBe('Go back where you came from');
    expect(result.snapshotHtml).toContain('data-post="chan/7"');
    expect(structuredClone(result)).toEqual(result);
  });
});

describe('paced', () => {
  it('runs captures one at a time, 600 ms apart (the 2-per-second quota with a margin), and a failure does not block the next', async () => {
    let time = 0;
    const clock: PacerClock = { now: () => time, sleep: async (ms) => void (time += ms) };
    const starts: number[] = [];
    const capture = paced(async (fail: boolean) => {
      starts.push(time);
      time += 20;
      if (fail) throw new Error('quota');
      return time;
    }, clock);
    const results = await Promise.allSettled([capture(false), capture(true), capture(false)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(starts).toEqual([0, 600, 1200]);
  });
});

/** A canvas kit that records the crop it was asked for and "encodes" a real PNG of that size. */
function recordingKit(crops: Array<{ x: number; y: number; width: number; height: number }>): AnyCanvasKit {
  return {
    decode: async () => 'image',
    create: (width, height) => ({
      width, height,
      drawImage: (_image: unknown, sx: number, sy: number, sw: number, sh: number) => void crops.push({ x: sx, y: sy, width: sw, height: sh }),
    }),
    encode: async (canvas) => {
      const { width, height } = canvas as unknown as { width: number; height: number };
      return makePng(width, height);
    },
  };
}

function readResult(overrides: Partial<InPageResult> = {}): InPageResult {
  return {
    item: { url: 'https://t.me/s/chan', platform: 'telegram', kind: 'message', text: 'Go back', permalink: 'https://t.me/chan/7' },
    rect: { x: 10.5, y: 20, width: 300, height: 100 },
    viewport: { width: 1000, height: 800 },
    devicePixelRatio: 2,
    snapshotHtml: '<!doctype html><p>Go back</p>',
    ...overrides,
  };
}

function io(read: () => Promise<InPageResult>, crops: Array<{ x: number; y: number; width: number; height: number }> = []): CaptureIo {
  return { readPage: read, captureVisibleTab: async () => pngDataUrl(2000, 1600), kit: recordingKit(crops), now: () => new Date('2026-01-02T04:00:00Z') };
}

const tab = { windowId: 1, active: true, url: 'https://t.me/s/chan', title: 'Chan' };

describe('captureTarget', () => {
  it('keeps the screenshot, the post cropped in device pixels, the snapshot, all hashed, in a valid item', async () => {
    const crops: Array<{ x: number; y: number; width: number; height: number }> = [];
    const { item, artefacts } = await captureTarget({ tab, frameId: 0, hints: { kind: 'post' } }, io(async () => readResult(), crops));
    expect(Item.safeParse(item).success).toBe(true);
    expect(item).toMatchObject({ capturedAt: '2026-01-02T04:00:00.000Z', captureMethod: 'extension', permalink: 'https://t.me/chan/7' });
    expect(item.evidence.map((evidence) => [evidence.kind, evidence.mediaType])).toEqual([
      ['screenshot', 'image/png'], ['element', 'image/png'], ['html_snapshot', 'text/html'],
    ]);
    expect(crops).toEqual([{ x: 21, y: 40, width: 600, height: 200 }]);
    expect(item.evidence[1]).toMatchObject({ width: 600, height: 200 });
    for (const [index, evidence] of item.evidence.entries()) {
      expect(evidence.sha256).toBe(await sha256Hex(artefacts[index]!.bytes));
      expect(evidence.bytes).toBe(artefacts[index]!.bytes.byteLength);
    }
  });

  it('crops nothing in a sub-frame or off-screen, keeps selected words, and falls back to the page when the script cannot run', async () => {
    const inFrame = await captureTarget({ tab, frameId: 3, hints: { kind: 'post' } }, io(async () => readResult()));
    expect(inFrame.item.evidence.map((evidence) => evidence.kind)).toEqual(['screenshot', 'html_snapshot']);
    const offScreen = await captureTarget({ tab, frameId: 0, hints: { kind: 'post' } }, io(async () => readResult({ rect: { x: 0, y: 900, width: 10, height: 10 } })));
    expect(offScreen.item.evidence.map((evidence) => evidence.kind)).toEqual(['screenshot', 'html_snapshot']);
    const selection = await captureTarget({ tab, frameId: 0, hints: { kind: 'selection' } }, io(async () => readResult({ selectionText: 'back' })));
    expect(selection.item.text).toBe('back');
    const blocked = await captureTarget({ tab, frameId: 0, hints: { kind: 'post' } }, io(async () => Promise.reject(new Error('Cannot access contents of the page'))));
    expect(blocked.item).toMatchObject({ url: tab.url, pageTitle: 'Chan', platform: 'telegram', kind: 'page' });
    expect(blocked.item.evidence.map((evidence) => evidence.kind)).toEqual(['screenshot']);
  });

  it('writes the screenshot and snapshot early through `keep` and returns only the crop still to store', async () => {
    const kept: string[] = [];
    const withKeep = { ...io(async () => readResult()), keep: async (artefacts: Array<{ mediaType: string }>) => void kept.push(...artefacts.map((artefact) => artefact.mediaType)) };
    const { item, artefacts } = await captureTarget({ tab, frameId: 0, hints: { kind: 'post' } }, withKeep);
    expect(kept).toEqual(['image/png', 'text/html']);
    expect(artefacts.map((artefact) => artefact.sha256)).toEqual([item.evidence[1]!.sha256]);
  });

  it('refuses browser pages and tabs that are not showing', async () => {
    await expect(captureTarget({ tab: { ...tab, url: 'chrome://settings' }, frameId: 0, hints: { kind: 'page' } }, io(async () => readResult()))).rejects.toBeInstanceOf(RestrictedPageError);
    await expect(captureTarget({ tab: { ...tab, active: false }, frameId: 0, hints: { kind: 'page' } }, io(async () => readResult()))).rejects.toBeInstanceOf(TabNotShowingError);
  });
});

describe('collectCapture', () => {
  it('adds captures to the newest unsent report, starts a new one on request or after sending', async () => {
    const db = await openOhrDatabase(`ohr-test-${crypto.randomUUID()}`);
    let n = 0;
    const newId = () => `00000000-0000-4000-8000-00000000000${++n}`;
    const captured = async (text: string) => {
      const bytes = new TextEncoder().encode(text);
      const sha256 = await sha256Hex(bytes);
      const item: Item = { url: 'https://t.me/s/chan', platform: 'telegram', kind: 'page', capturedAt: '2026-01-02T04:00:00.000Z', captureMethod: 'extension', evidence: [{ sha256, mediaType: 'text/html', bytes: bytes.byteLength, kind: 'html_snapshot' }] };
      return { item, artefacts: [{ sha256, mediaType: 'text/html' as const, bytes }] };
    };
    const first = await collectCapture(db, await captured('a'), { newReport: false, now: '2026-01-02T04:00:00.000Z', newId });
    const second = await collectCapture(db, await captured('b'), { newReport: false, now: '2026-01-02T04:01:00.000Z', newId });
    expect(second).toEqual({ draftId: first.draftId, itemCount: 2 });
    const fresh = await collectCapture(db, await captured('c'), { newReport: true, now: '2026-01-02T04:02:00.000Z', newId });
    expect(fresh).toEqual({ draftId: expect.not.stringMatching(first.draftId), itemCount: 1 });
    expect((await currentDraft(db))?.id).toBe(fresh.draftId);
    const sent = (await db.get('drafts', fresh.draftId))!;
    await db.put('drafts', { ...sent, status: 'queued' });
    expect((await currentDraft(db))?.id).toBe(first.draftId);
    expect(await db.count('artefacts')).toBe(3);
    db.close();
  });
});

describe('menus and shortcut', () => {
  it('map each entry to what to capture', () => {
    expect(MENU_ENTRIES.map((entry) => entry.id)).toEqual(['report-post', 'report-selection', 'report-image', 'report-link', 'report-page', 'report-full-page']);
    expect(triggerFromMenu({ menuItemId: 'report-image', frameId: 4, srcUrl: 'https://cdn.example/a.jpg' })).toEqual({ frameId: 4, hints: { kind: 'image', srcUrl: 'https://cdn.example/a.jpg' }, fullPage: false });
    expect(triggerFromMenu({ menuItemId: 'report-full-page', frameId: 4 })).toEqual({ frameId: 0, hints: { kind: 'page' }, fullPage: true });
    expect(triggerFromMenu({ menuItemId: 'something-else' })).toBeUndefined();
    expect(triggerFromCommand('report-post')).toEqual({ frameId: 0, hints: { kind: 'shortcut' }, fullPage: false });
    expect(triggerFromCommand('other')).toBeUndefined();
  });
});
