import { describe, expect, it } from 'vitest';
import {
  captureFrames, cropImage, cropRect, formatFor, planFullPage, stitchImages, stitchLayout, MIN_CAPTURE_INTERVAL_MS, type CanvasKit, type DrawableCanvas,
} from '../../../extension/capture/screenshot';

describe('cropRect', () => {
  const viewport = { width: 1000, height: 800 };

  it('scales CSS pixels by the device pixel ratio and snaps outward', () => {
    expect(cropRect({ x: 10.5, y: 20.25, width: 100, height: 50 }, viewport, 2)).toEqual({ x: 21, y: 40, width: 200, height: 101 });
  });

  it('prefers the screenshot’s own scale (browser zoom) over devicePixelRatio', () => {
    expect(cropRect({ x: 100, y: 100, width: 100, height: 100 }, viewport, 2, { width: 1500, height: 1200 })).toEqual({ x: 150, y: 150, width: 150, height: 150 });
  });

  it('clamps to the visible viewport and is null when nothing is visible', () => {
    expect(cropRect({ x: -50, y: 700, width: 200, height: 300 }, viewport, 1)).toEqual({ x: 0, y: 700, width: 150, height: 100 });
    expect(cropRect({ x: 0, y: 900, width: 100, height: 100 }, viewport, 1)).toBeNull();
    expect(cropRect({ x: 0, y: -200, width: 100, height: 200 }, viewport, 1)).toBeNull();
  });
});

describe('formatFor', () => {
  it('keeps viewport and element shots lossless, full pages as JPEG', () => {
    expect(formatFor('screenshot').mediaType).toBe('image/png');
    expect(formatFor('element').mediaType).toBe('image/png');
    expect(formatFor('full_page')).toEqual({ mediaType: 'image/jpeg', quality: 0.9 });
  });
});

describe('planFullPage', () => {
  it('steps one viewport at a time and aligns the last frame with the bottom', () => {
    expect(planFullPage({ scrollHeight: 2500, viewportHeight: 1000, scrollY: 321 })).toEqual({ positions: [0, 1000, 1500], coveredHeight: 2500, restoreTo: 321 });
    expect(planFullPage({ scrollHeight: 600, viewportHeight: 1000, scrollY: 0 }).positions).toEqual([0]);
  });

  it('stops at the frame cap on endless pages', () => {
    const plan = planFullPage({ scrollHeight: 1_000_000, viewportHeight: 1000, scrollY: 0 }, 5);
    expect(plan.positions).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(plan.coveredHeight).toBe(5000);
  });
});

/** A fake page and clock: sleeping advances time, nothing really waits. */
function fakeIo(failAt?: number) {
  let clock = 1_000;
  let scroll = 321;
  const captures: { at: number; scroll: number }[] = [];
  const scrolls: number[] = [];
  return {
    captures, scrolls,
    get scroll() { return scroll; },
    io: {
      scrollTo: async (y: number) => { scroll = y; scrolls.push(y); clock += 30; return y; },
      capture: async () => {
        if (captures.length === failAt) throw new Error('capture failed');
        captures.push({ at: clock, scroll });
        clock += 40;
        return `frame@${scroll}`;
      },
      sleep: async (ms: number) => { clock += ms; },
      now: () => clock,
    },
  };
}

describe('captureFrames', () => {
  it('captures at each position no faster than 2 per second and restores the scroll position', async () => {
    const fake = fakeIo();
    const plan = planFullPage({ scrollHeight: 3500, viewportHeight: 1000, scrollY: 321 });
    const frames = await captureFrames(plan, fake.io);
    expect(frames.map((frame) => frame.y)).toEqual([0, 1000, 2000, 2500]);
    expect(frames.map((frame) => frame.image)).toEqual(['frame@0', 'frame@1000', 'frame@2000', 'frame@2500']);
    for (let i = 1; i < fake.captures.length; i++) {
      expect(fake.captures[i]!.at - fake.captures[i - 1]!.at).toBeGreaterThanOrEqual(MIN_CAPTURE_INTERVAL_MS);
    }
    expect(fake.scroll).toBe(321);
  });

  it('restores the scroll position when a capture fails', async () => {
    const fake = fakeIo(1);
    await expect(captureFrames(planFullPage({ scrollHeight: 3000, viewportHeight: 1000, scrollY: 321 }), fake.io)).rejects.toThrow('capture failed');
    expect(fake.scroll).toBe(321);
  });
});

describe('stitching', () => {
  it('lays frames top to bottom and draws only the new rows of the overlapping last frame', () => {
    const layout = stitchLayout([0, 1000, 1500], { width: 2000, height: 2000 }, 2);
    expect(layout).toEqual({
      width: 2000,
      height: 5000,
      steps: [
        { frame: 0, source: { x: 0, y: 0, width: 2000, height: 2000 }, targetY: 0 },
        { frame: 1, source: { x: 0, y: 0, width: 2000, height: 2000 }, targetY: 2000 },
        { frame: 2, source: { x: 0, y: 1000, width: 2000, height: 1000 }, targetY: 4000 },
      ],
    });
  });

  it('runs crop and stitch through the injected canvas kit', async () => {
    const draws: unknown[][] = [];
    type Canvas = DrawableCanvas<string> & { size: [number, number] };
    const kit: CanvasKit<string, Canvas> = {
      decode: async () => 'img',
      create: (width, height) => ({ size: [width, height], drawImage: (...args: unknown[]) => void draws.push(args) }),
      encode: async (canvas, format) => new TextEncoder().encode(`${format.mediaType} ${canvas.size.join('x')}`),
    };
    const cropped = await cropImage(kit, 'shot', { x: 5, y: 6, width: 7, height: 8 }, formatFor('element'));
    expect(cropped).toMatchObject({ mediaType: 'image/png', width: 7, height: 8 });
    expect(new TextDecoder().decode(cropped.bytes)).toBe('image/png 7x8');
    expect(draws[0]).toEqual(['shot', 5, 6, 7, 8, 0, 0, 7, 8]);
    const stitched = await stitchImages(kit, ['a', 'b'], stitchLayout([0, 500], { width: 10, height: 1000 }, 2), formatFor('full_page'));
    expect(stitched).toMatchObject({ mediaType: 'image/jpeg', width: 10, height: 2000 });
    expect(draws.slice(1)).toEqual([['a', 0, 0, 10, 1000, 0, 0, 10, 1000], ['b', 0, 0, 10, 1000, 0, 1000, 10, 1000]]);
  });
});
