/**
 * Image types by their magic bytes, without zod: the hub checks uploads with it and the widget checks a chosen file
 * before hashing it, so a renamed file is refused the same way on both sides.
 */

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  signature.every((byte, index) => bytes[offset + index] === byte);

const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));

export const IMAGE_SIGNATURES = {
  'image/png': (bytes: Uint8Array) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (bytes: Uint8Array) => startsWith(bytes, [0xff, 0xd8, 0xff]),
  'image/webp': (bytes: Uint8Array) => startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8),
} as const;

export type ImageMediaType = keyof typeof IMAGE_SIGNATURES;

/** The image type the bytes really are, whatever the file's name says; undefined for anything else. */
export function imageTypeOf(bytes: Uint8Array): ImageMediaType | undefined {
  return (Object.keys(IMAGE_SIGNATURES) as ImageMediaType[]).find((type) => IMAGE_SIGNATURES[type](bytes));
}
