/**
 * A full-page capture as scrolled viewports. Planning (where to scroll, how to lay frames out) is pure; running the
 * plan goes through an injected `FullPageIo`, so tests drive it with a fake clock and fake captures. Chrome allows at
 * most 2 `captureVisibleTab` calls per second (`MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND`), so captures are paced at
 * least 500 ms apart; the page's scroll position is restored afterwards even if a capture fails.
 */
import type { Rect } from './crop';

export const MIN_CAPTURE_INTERVAL_MS = 500;
/** Bound on frames: beyond this a page is effectively infinite (feeds load more as you scroll). */
export const MAX_FRAMES = 30;

export interface PageMetrics {
  /** Total scrollable height and the viewport's height, in CSS pixels. */
  scrollHeight: number;
  viewportHeight: number;
  /** Where the user was, to put them back. */
  scrollY: number;
}

export interface FullPagePlan {
  /** Scroll positions (CSS px) to capture, top to bottom. */
  positions: number[];
  /** The height (CSS px) the stitched image covers; less than `scrollHeight` when capped by `MAX_FRAMES`. */
  coveredHeight: number;
  restoreTo: number;
}

export function planFullPage(metrics: PageMetrics, maxFrames = MAX_FRAMES): FullPagePlan {
  const viewport = Math.max(1, Math.floor(metrics.viewportHeight));
  const total = Math.max(viewport, Math.ceil(metrics.scrollHeight));
  const maxScroll = total - viewport;
  const positions: number[] = [];
  for (let y = 0; y <= maxScroll && positions.length < maxFrames; y += viewport) positions.push(y);
  // The last viewport is aligned with the page's bottom, overlapping the previous one, rather than scrolled past it.
  if (positions.length < maxFrames && positions[positions.length - 1]! < maxScroll) positions.push(maxScroll);
  const last = positions[positions.length - 1]!;
  return { positions, coveredHeight: Math.min(total, last + viewport), restoreTo: metrics.scrollY };
}

export interface FullPageIo<Image> {
  /** Scroll the page and report where it actually ended up (pages may clamp or snap). */
  scrollTo(y: number): Promise<number>;
  /** One `captureVisibleTab`. */
  capture(): Promise<Image>;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export interface Frame<Image> {
  /** The scroll position the frame was taken at (CSS px). */
  y: number;
  image: Image;
}

/** Scroll, wait out the rate limit, capture; then put the scroll position back, whatever happened. */
export async function captureFrames<Image>(plan: FullPagePlan, io: FullPageIo<Image>): Promise<Frame<Image>[]> {
  const frames: Frame<Image>[] = [];
  let lastCapture = -Infinity;
  try {
    for (const position of plan.positions) {
      const y = await io.scrollTo(position);
      const wait = lastCapture + MIN_CAPTURE_INTERVAL_MS - io.now();
      if (wait > 0) await io.sleep(wait);
      lastCapture = io.now();
      frames.push({ y, image: await io.capture() });
    }
  } finally {
    await io.scrollTo(plan.restoreTo);
  }
  return frames;
}

/** One drawing step of the stitch, in device pixels: copy `source` from frame `frame` to `targetY`. */
export interface StitchStep {
  frame: number;
  source: Rect;
  targetY: number;
}

export interface StitchLayout {
  width: number;
  height: number;
  steps: StitchStep[];
}

/**
 * How to stack frames into one image: each frame contributes only the rows the previous frames did not cover (the
 * bottom-aligned last frame overlaps). `scale` is device pixels per CSS pixel; `frameSize` the frames' pixel size.
 */
export function stitchLayout(frameYs: number[], frameSize: { width: number; height: number }, scale: number): StitchLayout {
  const steps: StitchStep[] = [];
  let covered = 0;
  frameYs.forEach((y, frame) => {
    const top = Math.round(y * scale);
    const bottom = top + frameSize.height;
    if (bottom <= covered) return;
    const skip = Math.max(0, covered - top);
    steps.push({ frame, source: { x: 0, y: skip, width: frameSize.width, height: frameSize.height - skip }, targetY: top + skip });
    covered = bottom;
  });
  return { width: frameSize.width, height: covered, steps };
}
