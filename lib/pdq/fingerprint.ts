/**
 * A picture's PDQ fingerprint, made in the browser from the file the person chose (or a captured screenshot): decoded
 * by the browser (orientation from its EXIF applied), drawn on a canvas, its pixels hashed by `pdqHash`. Nothing of the
 * picture leaves this function but the 256 bits and the quality.
 */
import type { PerceptualHash } from '../schema/report';
import { pdqHash } from './pdq';

/**
 * Pictures are hashed at most this many pixels on their longer side: a phone photo (4000×3000) would otherwise take
 * three 48 MB buffers. PDQ reduces every picture to 64×64 anyway; a resize moves a hash by a few bits (about 6 to 18 of
 * 256 in test/unit/pdq), well inside the matching distance.
 */
export const FINGERPRINT_MAX_SIDE = 2048;

export async function fingerprintOf(picture: Blob): Promise<PerceptualHash> {
  const bitmap = await createImageBitmap(picture);
  try {
    const scale = Math.min(1, FINGERPRINT_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height });
    const context = canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!context) throw new Error('This browser cannot read the picture’s pixels');
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    const { data } = context.getImageData(0, 0, width, height);
    return { algorithm: 'pdq', ...pdqHash(data, width, height) };
  } finally {
    bitmap.close();
  }
}
