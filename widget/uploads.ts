/**
 * A screenshot the person chose: checked to be really an image by its first bytes (not its name), checked against
 * the hub's size limit, and hashed with WebCrypto, because the hub files evidence under its SHA-256.
 */
import { sha256HexOfBytes } from '@/lib/hash';
import { imageTypeOf, type ImageMediaType } from '@/lib/schema/media';
import { sizeText, t } from './i18n';

export interface Upload {
  name: string;
  sha256: string;
  mediaType: ImageMediaType;
  blob: Blob;
}

export async function readUpload(file: File, maxBytes: number): Promise<Upload | string> {
  if (file.size > maxBytes) return t('widget.file.tooBig', { name: file.name, max: sizeText(maxBytes) });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const mediaType = imageTypeOf(bytes);
  if (!mediaType) return t('widget.file.notImage', { name: file.name });
  return { name: file.name, sha256: await sha256HexOfBytes(bytes), mediaType, blob: new Blob([bytes], { type: mediaType }) };
}
