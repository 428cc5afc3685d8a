/**
 * The pixel work: decode, crop, stitch, encode. Canvas functions are injected (`CanvasKit`) so that the extension
 * passes `OffscreenCanvas`/`createImageBitmap` (`browserCanvasKit`, resolved when called, never at import time) and
 * tests can substitute their own.
 */
import type { Rect } from './crop';
import type { ImageFormat } from './format';
import type { StitchLayout } from './full-page';

export interface DrawableCanvas<Image> {
  drawImage(image: Image, sx: number, sy: number, sw: number, sh: number, dx: number, dy: number, dw: number, dh: number): void;
}

/** A canvas that can also paint: what hiding areas of a picture needs (`hideAreas`). */
export interface PaintableCanvas<Image> extends DrawableCanvas<Image> {
  fillStyle: string | CanvasGradient | CanvasPattern;
  fillRect(x: number, y: number, width: number, height: number): void;
}

export interface CanvasKit<Image, Canvas extends DrawableCanvas<Image>> {
  decode(bytes: Uint8Array<ArrayBuffer>, mediaType: string): Promise<Image>;
  create(width: number, height: number): Canvas;
  encode(canvas: Canvas, format: ImageFormat): Promise<Uint8Array<ArrayBuffer>>;
}

export interface EncodedImage {
  bytes: Uint8Array<ArrayBuffer>;
  mediaType: ImageFormat['mediaType'];
  width: number;
  height: number;
}

export async function cropImage<Image, Canvas extends DrawableCanvas<Image>>(
  kit: CanvasKit<Image, Canvas>, source: Image, rect: Rect, format: ImageFormat,
): Promise<EncodedImage> {
  const canvas = kit.create(rect.width, rect.height);
  canvas.drawImage(source, rect.x, rect.y, rect.width, rect.height, 0, 0, rect.width, rect.height);
  return { bytes: await kit.encode(canvas, format), mediaType: format.mediaType, width: rect.width, height: rect.height };
}

export async function stitchImages<Image, Canvas extends DrawableCanvas<Image>>(
  kit: CanvasKit<Image, Canvas>, frames: Image[], layout: StitchLayout, format: ImageFormat,
): Promise<EncodedImage> {
  const canvas = kit.create(layout.width, layout.height);
  for (const step of layout.steps) {
    const { x, y, width, height } = step.source;
    canvas.drawImage(frames[step.frame]!, x, y, width, height, 0, step.targetY, width, height);
  }
  return { bytes: await kit.encode(canvas, format), mediaType: format.mediaType, width: layout.width, height: layout.height };
}

/**
 * The picture with `areas` painted solid black, encoded again. Every pixel of an area is overwritten before encoding,
 * so nothing of what was there survives in the new file (a blur or a lossy re-encode alone could be undone).
 */
export async function hideAreas<Image extends { width: number; height: number }, Canvas extends PaintableCanvas<Image>>(
  kit: CanvasKit<Image, Canvas>, source: Image, areas: readonly Rect[], format: ImageFormat,
): Promise<EncodedImage> {
  const { width, height } = source;
  const canvas = kit.create(width, height);
  canvas.drawImage(source, 0, 0, width, height, 0, 0, width, height);
  canvas.fillStyle = '#000';
  for (const area of areas) canvas.fillRect(area.x, area.y, area.width, area.height);
  return { bytes: await kit.encode(canvas, format), mediaType: format.mediaType, width, height };
}

/** The extension's kit: `createImageBitmap` + `OffscreenCanvas` (service worker and pages both have them). */
export function browserCanvasKit(): CanvasKit<ImageBitmap, OffscreenCanvasRenderingContext2D & { canvas: OffscreenCanvas }> {
  return {
    decode: (bytes, mediaType) => createImageBitmap(new Blob([bytes], { type: mediaType })),
    create: (width, height) => {
      const context = new OffscreenCanvas(width, height).getContext('2d');
      if (!context) throw new Error('no 2d context');
      return context as OffscreenCanvasRenderingContext2D & { canvas: OffscreenCanvas };
    },
    encode: async (context, format) => {
      const blob = await context.canvas.convertToBlob({ type: format.mediaType, quality: format.quality });
      return new Uint8Array(await blob.arrayBuffer());
    },
  };
}
