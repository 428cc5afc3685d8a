/**
 * Which image format each kind of screenshot is stored in, and why.
 *
 * - `screenshot` (the visible viewport) and `element` (the post cropped from it): **PNG**. They are small (one viewport
 *   at most) and mostly text; lossless keeps every glyph exactly as shown, so the picture a moderator or court sees is
 *   pixel for pixel what the browser rendered, and its hash is the hash of that rendering, not of an encoder's guess.
 * - `full_page` (viewports stitched down a long page): **JPEG, quality 0.9**. A stitched page can be 10–30 viewports
 *   tall; as PNG that is easily 10–40 MB, beyond what endpoints accept per artefact and slow to upload on a phone
 *   connection. At 0.9 text stays legible at a fraction of the size, and the lossless viewport PNG of the reported
 *   post itself is always captured alongside it.
 * Frames for stitching are always taken as PNG so that the only lossy step is the final encode.
 */
import type { EvidenceKind, EvidenceMediaType } from '@/lib/schema';

export interface ImageFormat {
  mediaType: Extract<EvidenceMediaType, 'image/png' | 'image/jpeg'>;
  /** Encoder quality for lossy formats. */
  quality?: number;
}

export function formatFor(kind: Extract<EvidenceKind, 'screenshot' | 'element' | 'full_page'>): ImageFormat {
  return kind === 'full_page' ? { mediaType: 'image/jpeg', quality: 0.9 } : { mediaType: 'image/png' };
}
