/**
 * A screenshot or photo the person chose: checked to be really an image by its first bytes (not its name), checked
 * against the hub's size limit, stripped of its metadata (`metadata.ts`: where and when it was taken, the device), and
 * hashed with WebCrypto, because the hub files evidence under its SHA-256: what is hashed and sent is the stripped copy.
 */
import { sha256HexOfBytes } from '@/lib/hash';
import { imageTypeOf, type ImageMediaType } from '@/lib/schema/media';
import { sizeText, t } from './i18n';
import type { withoutMetadata } from './metadata';

/** The metadata stripper (`metadata.ts`): the widget loads it from the hub when a picture is first chosen. */
export type Stripper = typeof withoutMetadata;

export interface Upload {
  name: string;
  sha256: string;
  mediaType: ImageMediaType;
  blob: Blob;
  /** Metadata was found and removed, which the person is told. */
  stripped?: boolean;
}

export async function readUpload(file: File, maxBytes: number, strip: Stripper): Promise<Upload | string> {
  if (file.size > maxBytes) return t('widget.file.tooBig', { name: file.name, max: sizeText(maxBytes) });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const mediaType = imageTypeOf(bytes);
  try {
    // Not an image at all, or one too broken to walk, is refused alike.
    if (!mediaType) throw 0;
    const blob = new Blob(strip(bytes, mediaType), { type: mediaType });
    return { name: file.name, sha256: await sha256HexOfBytes(await blob.arrayBuffer()), mediaType, blob, stripped: blob.size < bytes.length };
  } catch {
    return t('widget.file.notImage', { name: file.name });
  }
}
