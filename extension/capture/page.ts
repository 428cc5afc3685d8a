/**
 * Capturing a whole page: the visible viewport as a PNG plus what the tab says about itself.
 * Browser APIs come in through `PageCaptureDeps` so this layer runs under test without a browser.
 */
import { sha256Hex } from '@/lib/hash';
import type { Artefact } from '@/lib/report/artefact';
import { platformOf } from '@/lib/report/platform';
import type { Item } from '@/lib/schema';
import { decodeDataUrl, pngSize } from './image';

export interface CapturableTab {
  windowId: number;
  /** Only the tab showing in its window can be captured: the screenshot is of the window, not of a tab. */
  active: boolean;
  url?: string;
  title?: string;
}

export interface PageCaptureDeps {
  /** `tabs.captureVisibleTab` with PNG: lossless, so the hash stays meaningful for text in the screenshot. */
  captureVisibleTab(windowId: number): Promise<string>;
  now(): Date;
}

export class RestrictedPageError extends Error {}
export class TabNotShowingError extends Error {}

export async function capturePage(tab: CapturableTab, deps: PageCaptureDeps): Promise<{ item: Item; artefacts: Artefact[] }> {
  if (!tab.url || !/^https?:/.test(tab.url)) throw new RestrictedPageError(tab.url ?? 'no address');
  if (!tab.active) throw new TabNotShowingError(tab.url);
  const { mediaType, bytes } = decodeDataUrl(await deps.captureVisibleTab(tab.windowId));
  if (mediaType !== 'image/png') throw new Error(`unexpected screenshot type ${mediaType}`);
  const sha256 = await sha256Hex(bytes);
  const size = pngSize(bytes);
  const item: Item = {
    url: tab.url,
    ...(tab.title ? { pageTitle: tab.title.slice(0, 500) } : {}),
    platform: platformOf(tab.url),
    kind: 'page',
    capturedAt: deps.now().toISOString(),
    captureMethod: 'extension',
    evidence: [{ sha256, mediaType, bytes: bytes.byteLength, kind: 'screenshot', ...size }],
  };
  return { item, artefacts: [{ sha256, mediaType, bytes }] };
}
