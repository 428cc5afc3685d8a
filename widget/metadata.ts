/**
 * A chosen picture without what it says about the person: where and when it was taken, the camera or phone, the
 * software, comments. Photos carry this (EXIF with GPS, XMP, IPTC); a person reporting abuse must not hand over their
 * home's coordinates with a screenshot. The parts of the file that draw the picture are kept byte for byte (no
 * re-encoding, so the picture is exactly the one chosen), everything else is dropped: a list of what to keep, not of
 * what to remove, so a kind of metadata nobody thought of is dropped too.
 * - JPEG: segments up to the end of the image (FF D9). Kept: APP0 (JFIF), APP14 (Adobe, which decoders need for the
 *   colour transform), an APP2 ICC profile (the picture's colours; it says nothing about the person), and every
 *   non-APP segment (tables, frame, scans). Dropped: APP1 (Exif, GPS, XMP), APP13 (IPTC), the other APPn (maker
 *   notes, MPF), COM comments, and anything after the image (a second picture, a phone maker's trailer).
 * - PNG: the critical chunks (IHDR, PLTE, IDAT, IEND) and those that change how it looks (tRNS, gAMA, cHRM, sRGB, iCCP,
 *   sBIT, cICP); tEXt, zTXt, iTXt, eXIf, tIME and the rest are dropped, as is anything after IEND.
 * - WebP: the image chunks (VP8, VP8L, VP8X, ALPH, ICCP, ANIM, ANMF); EXIF, XMP and unknown chunks are dropped, the
 *   VP8X flags no longer announce them and the RIFF size is that of what is left.
 * Returns the pieces of a copy of the bytes, in order, for a Blob; throws on a file too broken to walk.
 */
import type { ImageMediaType } from '@/lib/schema/media';

export function withoutMetadata(bytes: Uint8Array, type: ImageMediaType): Uint8Array<ArrayBuffer>[] {
  const copy = new Uint8Array(bytes);
  const view = new DataView(copy.buffer);
  const name = (at: number) => String.fromCharCode(...copy.subarray(at, at + 4));
  const jpeg = type === 'image/jpeg';
  const png = type === 'image/png';
  const kept = [copy.subarray(0, jpeg ? 2 : png ? 8 : 12)];
  let at = kept[0]!.length;
  let end = at;
  for (; at < copy.length; at = end) {
    let keep: unknown;
    let last = false;
    if (jpeg) {
      // A marker segment: FF, the marker, its length (which counts itself); a scan runs on to the next marker that is
      // not a stuffed FF 00, a restart FF D0–D7 or a fill byte FF.
      const marker = copy[at + 1]!;
      if (copy[at] !== 0xff) throw RangeError();
      end = at + (marker === 0xff ? 1 : marker === 0xd9 ? 2 : 2 + view.getUint16(at + 2));
      if (marker === 0xda) while (end < copy.length && !(copy[end] === 0xff && copy[end + 1]! % 255 && (copy[end + 1]! & 0xf8) !== 0xd0)) end++;
      keep = marker < 0xe1 || (marker > 0xef && marker !== 0xfe && marker !== 0xff) || marker === 0xee || (marker === 0xe2 && copy[at + 4] === 0x49 /* ICC_PROFILE */);
      last = marker === 0xd9;
    } else if (png) {
      // A chunk: its data's length, its name, the data, a CRC.
      end = at + 12 + view.getUint32(at);
      keep = /^([A-Z]|tRNS|gAMA|cHRM|sRGB|iCCP|sBIT|cICP)/.test(name(at + 4));
      last = name(at + 4) === 'IEND';
    } else {
      // A RIFF chunk: its name, its data's length (little-endian), the data padded to an even length.
      const length = view.getUint32(at + 4, true);
      end = at + 8 + length + (length & 1);
      keep = /^(VP8|ALPH|ICCP|AN)/.test(name(at));
      if (name(at) === 'VP8X') copy[at + 8]! &= ~0x0c; // no EXIF (8) or XMP (4) flag
    }
    if (keep) kept.push(copy.subarray(at, end));
    if (last) break;
  }
  // A chunk or segment longer than the file: broken.
  if (end > copy.length) throw RangeError();
  if (!jpeg && !png) view.setUint32(4, kept.reduce((sum, piece) => sum + piece.length, -8), true);
  return kept;
}
