/**
 * "Report this whole page": the viewport capture plus a full-length picture stitched from scrolled viewports. It
 * scrolls the person's page, so it is only ever a separate, explicit menu entry; the scroll position is put back.
 */
import { sha256Hex } from '@/lib/hash';
import type { Evidence } from '@/lib/schema';
import { decodeDataUrl, pngSize } from '../image';
import type { Artefact } from '@/lib/report/artefact';
import { formatFor } from '../screenshot/format';
import { captureFrames, planFullPage, stitchLayout, type PageMetrics } from '../screenshot/full-page';
import { stitchImages } from '../screenshot/pixels';
import type { AnyCanvasKit } from './pipeline';

export interface FullPageIo {
  /** Scroll height, viewport height and scroll position of the page, in CSS px. */
  metrics(): Promise<PageMetrics & { viewportWidth: number }>;
  scrollTo(y: number): Promise<number>;
  /** The paced `captureVisibleTab` (PNG data URL). */
  captureVisibleTab(): Promise<string>;
  sleep(ms: number): Promise<void>;
  now(): number;
  kit: AnyCanvasKit;
}

export async function captureFullPage(io: FullPageIo): Promise<{ evidence: Evidence; artefact: Artefact }> {
  const metrics = await io.metrics();
  const plan = planFullPage(metrics);
  let frameSize: { width: number; height: number } | undefined;
  const frames = await captureFrames(plan, {
    scrollTo: io.scrollTo,
    sleep: io.sleep,
    now: io.now,
    capture: async () => {
      const { bytes } = decodeDataUrl(await io.captureVisibleTab());
      frameSize ??= pngSize(bytes);
      return io.kit.decode(bytes, 'image/png');
    },
  });
  if (!frameSize) throw new Error('no frame was captured');
  const scale = frameSize.width / Math.max(1, metrics.viewportWidth);
  const layout = stitchLayout(frames.map((frame) => frame.y), frameSize, scale);
  const image = await stitchImages(io.kit, frames.map((frame) => frame.image), layout, formatFor('full_page'));
  const sha256 = await sha256Hex(image.bytes);
  return {
    evidence: { sha256, mediaType: image.mediaType, bytes: image.bytes.byteLength, kind: 'full_page', width: image.width, height: image.height },
    artefact: { sha256, mediaType: image.mediaType, bytes: image.bytes },
  };
}

/** Runs in the page (serialised by `executeScript`). */
export function pageMetricsInPage(): PageMetrics & { viewportWidth: number } {
  const root = document.scrollingElement ?? document.documentElement;
  return { scrollHeight: root.scrollHeight, viewportHeight: innerHeight, viewportWidth: innerWidth, scrollY };
}

/**
 * Runs in the page: scroll instantly (no smooth scrolling), wait two animation frames so the new position is painted
 * before the screenshot, and say where the page ended up (`executeScript` waits for the promise).
 */
export async function scrollInPage(y: number): Promise<number> {
  scrollTo({ top: y, left: scrollX, behavior: 'instant' });
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return scrollY;
}
