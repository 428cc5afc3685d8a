/**
 * PDQ against its published reference values (test/fixtures/pdq/README.md): a reference hash, the box filter's worked
 * example and the window size; then what matching relies on, on real photographs.
 */
import { describe, expect, it } from 'vitest';
import { box1D, hammingDistance, jaroszWindow, pdqHash, qualityOf } from '../../../lib/pdq/pdq';
import { crop, decode, photo, readFixture, resize, toJpeg } from '../../fixtures/pdq';

const hashOf = (p: { data: Uint8Array; width: number; height: number }) => pdqHash(p.data, p.width, p.height);

describe('PDQ against the reference', () => {
  it("gives ThreatExchange's published hash of its test image, bit for bit", () => {
    const image = decode(readFixture('threatexchange-random-image.png'));
    expect(hashOf(image)).toEqual({
      hash: 'ad64cd9875e131a177b1f2a0d6b38ae1de9ea80421e4c51dde1b0363deba3466',
      quality: 100,
    });
  });

  it('blurs as the worked example in the reference downscaler says (windows 7 and 8 over 0..15)', () => {
    const input = Float32Array.from({ length: 16 }, (_, i) => i);
    // The window sums printed in downscaling.cpp; each output is the sum over the samples the window covers.
    const sums7 = [6, 10, 15, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 75, 65, 54];
    const sizes7 = [4, 5, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6, 5, 4];
    const sums8 = [10, 15, 21, 28, 36, 44, 52, 60, 68, 76, 84, 92, 84, 75, 65, 54];
    const sizes8 = [5, 6, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 7, 6, 5, 4];
    for (const [window, sums, sizes] of [[7, sums7, sizes7], [8, sums8, sizes8]] as const) {
      const output = new Float32Array(16);
      box1D(input, output, 0, 16, 1, window);
      expect(Array.from(output)).toEqual(sums.map((sum, i) => Math.fround(sum / sizes[i]!)));
    }
  });

  it('filters a column (stride) the same as a row', () => {
    const column = new Float32Array(16 * 3);
    for (let i = 0; i < 16; i++) column[i * 3 + 1] = i;
    const output = new Float32Array(16 * 3);
    box1D(column, output, 1, 16, 3, 7);
    const row = new Float32Array(16);
    box1D(Float32Array.from({ length: 16 }, (_, i) => i), row, 0, 16, 1, 7);
    expect(Array.from({ length: 16 }, (_, i) => output[i * 3 + 1])).toEqual(Array.from(row));
  });

  it('takes half a cell per pass: 1024 px to 64 is a window of 8, and a small picture is not blurred', () => {
    expect(jaroszWindow(1024, 64)).toBe(8);
    expect(jaroszWindow(451, 64)).toBe(4);
    expect(jaroszWindow(28, 64)).toBe(1);
  });

  it('rates a flat picture at quality 0 and a sharp one at 100', () => {
    expect(qualityOf(new Float32Array(64 * 64).fill(128))).toBe(0);
    expect(qualityOf(Float32Array.from({ length: 64 * 64 }, (_, i) => ((i + Math.floor(i / 64)) % 2) * 255))).toBe(100);
    expect(pdqHash(new Uint8Array(4 * 4 * 4), 4, 4)).toEqual({ hash: '0'.repeat(64), quality: 0 });
  });

  it('refuses pixels that do not fill the size given, in words', () => {
    expect(() => pdqHash(new Uint8Array(10), 10, 10)).toThrow(/10×10 RGBA pixels \(400 bytes\); got 10/);
  });

  it('counts differing bits', () => {
    expect(hammingDistance('0'.repeat(64), 'f'.repeat(64))).toBe(256);
    expect(hammingDistance('0'.repeat(63) + '7', '0'.repeat(64))).toBe(3);
  });
});

describe('PDQ on real photographs', () => {
  const chelsea = photo('chelsea.png');
  const original = hashOf(chelsea);

  it('hashes a real photo at good quality, half its bits set', () => {
    expect(original.quality).toBeGreaterThanOrEqual(50);
    expect(hammingDistance(original.hash, '0'.repeat(64))).toBe(128);
  });

  it('matches the same photo re-encoded, resized and slightly cropped (distance ≤ 31)', () => {
    const changed = {
      jpeg40: decode(toJpeg(chelsea, 40)),
      resized60: resize(chelsea, Math.round(chelsea.width * 0.6), Math.round(chelsea.height * 0.6)),
      cropped1: crop(chelsea, 0.01),
      all: crop(resize(decode(toJpeg(chelsea, 60)), 300, 200), 0.01),
    };
    for (const [name, pixels] of Object.entries(changed)) {
      const distance = hammingDistance(original.hash, hashOf(pixels).hash);
      expect(distance, name).toBeLessThanOrEqual(31);
    }
  });

  it('stops matching once a crop takes more than about 1 % off every edge (PDQ hashes the whole frame)', () => {
    expect(hammingDistance(original.hash, hashOf(crop(chelsea, 0.04)).hash)).toBeGreaterThan(31);
  });

  it('does not match a different photo', () => {
    const distance = hammingDistance(original.hash, hashOf(photo('rocket.jpg')).hash);
    expect(distance).toBeGreaterThan(80);
  });
});
