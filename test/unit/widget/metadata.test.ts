/**
 * The widget strips a chosen picture's metadata before hashing it (`widget/metadata.ts`): a JPEG, PNG or WebP carrying
 * GPS coordinates, the camera, the time, the author and comments (`test/fixtures/image-metadata.ts`) comes out with
 * none of them, every part that draws the picture byte for byte as it was, and a structure a decoder accepts.
 */
import { createHash } from 'node:crypto';
import { imageSize } from 'image-size';
import { describe, expect, it } from 'vitest';
import { imageTypeOf } from '../../../lib/schema/media';
import { withoutMetadata } from '../../../widget/metadata';
import { readUpload } from '../../../widget/uploads';
import { BASE_JPEG, BASE_WEBP, GPS, findExif, jpegWithGps, pngWithGps, readGps, webpWithGps } from '../../fixtures/image-metadata';
import { makePng } from '../../fixtures/png';

const strip = (bytes: Uint8Array) => Buffer.concat(withoutMetadata(bytes, imageTypeOf(bytes)!));
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** The words a person could be found by, in any of the fixtures' metadata. */
const TELLING = ['Exif', 'PhoneMaker', 'Pocket Phone', '2024:05:01', 'Sam Reporter', 'Example Road', 'GPSLatitude', 'xmpmeta', '8BIM', 'Photoshop'];

/** The JPEG's segments as [marker, length of the segment or scan in bytes], from SOI to EOI. */
function jpegSegments(bytes: Uint8Array): Array<[number, number]> {
  const segments: Array<[number, number]> = [[0xd8, 2]];
  for (let at = 2; at < bytes.length; ) {
    const marker = bytes[at + 1]!;
    if (marker === 0xd9) return [...segments, [0xd9, 2]];
    let end = at + 2 + ((bytes[at + 2]! << 8) | bytes[at + 3]!);
    if (marker === 0xda) while (!(bytes[end] === 0xff && bytes[end + 1] !== 0 && (bytes[end + 1]! < 0xd0 || bytes[end + 1]! > 0xd7))) end++;
    segments.push([marker, end - at]);
    at = end;
  }
  return segments;
}

/** A PNG's chunk names in order. */
function pngChunks(bytes: Uint8Array): string[] {
  const names: string[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = Buffer.from(bytes).readUInt32BE(at);
    names.push(latin1(bytes.subarray(at + 4, at + 8)));
    at += 12 + length;
  }
  return names;
}

/** A WebP's RIFF size and chunk names. */
function webpChunks(bytes: Uint8Array): { riffSize: number; names: string[] } {
  const view = Buffer.from(bytes);
  const names: string[] = [];
  for (let at = 12; at < bytes.length; ) {
    const length = view.readUInt32LE(at + 4);
    names.push(latin1(bytes.subarray(at, at + 4)));
    at += 8 + length + (length & 1);
  }
  return { riffSize: view.readUInt32LE(4), names };
}

describe('metadata stripping', () => {
  it('the fixtures really carry a GPS position in their EXIF, and the other metadata', () => {
    for (const picture of [jpegWithGps(), pngWithGps(), webpWithGps()]) {
      const gps = readGps(findExif(picture)!);
      expect(gps?.latitude).toEqual(GPS.latitude.map(([value, unit]) => value / unit));
      expect(gps?.longitude).toEqual(GPS.longitude.map(([value, unit]) => value / unit));
      for (const word of ['PhoneMaker', '2024:05:01', 'GPSLatitude']) expect(latin1(picture)).toContain(word);
    }
  });

  it('JPEG: drops APP1 (Exif with GPS, XMP), APP13 (IPTC), comments and what follows the picture; keeps JFIF, ICC and the picture', () => {
    const photo = jpegWithGps();
    const stripped = strip(photo);
    expect(findExif(stripped)).toBeUndefined();
    for (const word of TELLING) expect(latin1(stripped)).not.toContain(word);
    // Exactly the picture Chromium encoded: its JFIF, its colour profile, its tables, frame and scan, in order.
    expect(stripped).toEqual(BASE_JPEG);
    expect(jpegSegments(stripped).map(([marker]) => marker.toString(16))).toEqual(['d8', 'e0', 'e2', 'db', 'db', 'c0', 'c4', 'c4', 'c4', 'c4', 'da', 'd9']);
    expect(latin1(stripped)).toContain('ICC_PROFILE');
    expect(imageSize(stripped)).toMatchObject({ type: 'jpg', width: 16, height: 16 });
  });

  it('JPEG: walks a scan past stuffed bytes, restart markers and fill bytes, and drops a comment between scans', () => {
    const sos = BASE_JPEG.indexOf(Buffer.from([0xff, 0xda]));
    const scanStart = sos + 2 + BASE_JPEG.readUInt16BE(sos + 2);
    const end = BASE_JPEG.length - 2;
    const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 13]), Buffer.from('Sam Reporter', 'latin1').subarray(0, 11)]);
    // Scan data with FF 00 (a stuffed FF) and FF D3 (a restart), fill bytes before a marker (kept with the scan, as
    // harmless as they are legal), then a comment, then the end.
    const scan = Buffer.concat([BASE_JPEG.subarray(scanStart, end), Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd3, 0x56, 0xff, 0xff])]);
    const photo = Buffer.concat([BASE_JPEG.subarray(0, scanStart), scan, comment, Buffer.from([0xff, 0xd9])]);
    expect(strip(photo)).toEqual(Buffer.concat([BASE_JPEG.subarray(0, scanStart), scan, Buffer.from([0xff, 0xd9])]));
  });

  it('PNG: drops eXIf, tEXt, zTXt, iTXt, tIME and what follows IEND; keeps the image chunks and those that change how it looks', () => {
    const stripped = strip(pngWithGps());
    expect(pngChunks(stripped)).toEqual(['IHDR', 'gAMA', 'tRNS', 'IDAT', 'IEND']);
    for (const word of TELLING) expect(latin1(stripped)).not.toContain(word);
    expect(findExif(stripped)).toBeUndefined();
    const plain = Buffer.from(makePng(40, 30));
    expect(stripped.subarray(-plain.length + 33)).toEqual(plain.subarray(33));
    expect(imageSize(stripped)).toMatchObject({ type: 'png', width: 40, height: 30 });
  });

  it('WebP: drops the EXIF and XMP chunks, clears their VP8X flags and fixes the RIFF size', () => {
    const photo = webpWithGps();
    expect(webpChunks(photo).names).toEqual(['VP8X', 'ICCP', 'VP8 ', 'EXIF', 'XMP ']);
    expect(photo[20]! & 0x0c).toBe(0x0c);
    const stripped = strip(photo);
    expect(webpChunks(stripped)).toEqual({ riffSize: stripped.length - 8, names: ['VP8X', 'ICCP', 'VP8 '] });
    for (const word of TELLING) expect(latin1(stripped)).not.toContain(word);
    // The flags keep ICC (0x20) and lose EXIF and XMP: the picture is byte for byte the one Chromium encoded.
    expect(stripped).toEqual(BASE_WEBP);
    expect(imageSize(stripped)).toMatchObject({ type: 'webp', width: 16, height: 16 });
  });

  it('leaves a picture without metadata as it was, and does not change the bytes it was given', () => {
    const png = makePng(40, 30);
    expect(strip(png)).toEqual(Buffer.from(png));
    expect(strip(BASE_JPEG)).toEqual(BASE_JPEG);
    const photo = webpWithGps();
    const copy = Buffer.from(photo);
    strip(photo);
    expect(photo).toEqual(copy);
  });

  it('refuses a picture too broken to walk', () => {
    const photo = jpegWithGps();
    expect(() => withoutMetadata(photo.subarray(0, 30), 'image/jpeg')).toThrow();
    expect(() => withoutMetadata(Buffer.concat([photo.subarray(0, 2), Buffer.from('not a marker')]), 'image/jpeg')).toThrow();
    expect(() => withoutMetadata(pngWithGps().subarray(0, 50), 'image/png')).toThrow();
  });

  it('readUpload hashes and keeps the stripped copy, and says that something was removed', async () => {
    const photo = jpegWithGps();
    const upload = await readUpload(new File([new Uint8Array(photo)], 'holiday.jpg'), 10_000_000, withoutMetadata);
    if (typeof upload === 'string') throw new Error(upload);
    const kept = Buffer.from(await upload.blob.arrayBuffer());
    expect(kept).toEqual(BASE_JPEG);
    expect(upload).toMatchObject({ mediaType: 'image/jpeg', stripped: true, sha256: createHash('sha256').update(kept).digest('hex') });
    const plain = await readUpload(new File([makePng(40, 30)], 'screenshot.png'), 10_000_000, withoutMetadata);
    expect(plain).toMatchObject({ mediaType: 'image/png', stripped: false });
    expect(await readUpload(new File([new Uint8Array(photo.subarray(0, 30))], 'broken.jpg'), 10_000_000, withoutMetadata)).toBe('broken.jpg is not a PNG, JPEG or WebP picture, so it was not added.');
    expect(await readUpload(new File(['hello'], 'notes.jpg'), 10_000_000, withoutMetadata)).toBe('notes.jpg is not a PNG, JPEG or WebP picture, so it was not added.');
  });
});
