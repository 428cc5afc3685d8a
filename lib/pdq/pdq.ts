/**
 * PDQ, Meta's perceptual image hash (the one StopNCII and the Tech Coalition exchange), in plain TypeScript over RGBA
 * pixels, so the extension, the widget and the phone app compute it on the person's device and a test computes it in
 * Node. Written from the published description (ThreatExchange, pdq/, "hashing.pdf" and its reference
 * implementation's documented steps):
 *
 *   1. luminance Y = 0.299 R + 0.587 G + 0.114 B per pixel (alpha ignored, as the reference reads RGB only);
 *   2. a Jarosz filter: two passes of a 1-D box filter along rows then columns, window ⌈size / 128⌉ each way, which
 *      together approximate a tent filter over 1/64 of the picture;
 *   3. decimation to 64×64 by sampling the blurred picture at the centre of each cell;
 *   4. a quality figure (0–100) from the 64×64 picture's quantised gradients: a flat or nearly flat picture hashes
 *      unreliably, and says so;
 *   5. the 2-D DCT's coefficients (1..16)×(1..16) (the constant term left out), as D·A·Dᵀ with D the 16×64 DCT matrix;
 *   6. one bit per coefficient: set when it is above the median of the 256.
 *
 * Arithmetic is in 32-bit floats (Math.fround at each step), as the reference does, so that a coefficient near the
 * median rounds the same way and hashes agree bit for bit with the reference's, not just within a distance.
 * test/unit/pdq/ checks each step against the published worked values and the whole against published hashes.
 */

/** 256 bits as 64 lowercase hexadecimal digits, in the reference's order (bit 255 first). */
export type PdqHex = string;

export interface PdqResult {
  hash: PdqHex;
  /** 0–100; below about 50 the hash says little about the picture (PDQ's guidance), and matching ignores it. */
  quality: number;
}

/** Pictures smaller than this either way have no meaningful hash (the reference returns zeros and quality 0). */
export const PDQ_MIN_DIMENSION = 5;
const f = Math.fround;
const LUMA_R = f(0.299);
const LUMA_G = f(0.587);
const LUMA_B = f(0.114);
const PASSES = 2;

/** The hash and quality of a picture given as RGBA bytes, row by row (as a canvas's ImageData holds it). */
export function pdqHash(rgba: ArrayLike<number>, width: number, height: number): PdqResult {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0 || rgba.length < width * height * 4) {
    throw new RangeError(`PDQ needs ${width}×${height} RGBA pixels (${width * height * 4} bytes); got ${rgba.length}`);
  }
  if (width < PDQ_MIN_DIMENSION || height < PDQ_MIN_DIMENSION) return { hash: '0'.repeat(64), quality: 0 };
  const luma = lumaFromRgba(rgba, width, height);
  const cells = downsample64(luma, height, width);
  return { hash: bitsToHex(aboveMedian(dct64To16(cells))), quality: qualityOf(cells) };
}

/** Step 1: 32-bit float luminance, row-major. */
export function lumaFromRgba(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const luma = new Float32Array(width * height);
  for (let p = 0, q = 0; p < luma.length; p++, q += 4) {
    luma[p] = f(f(f(LUMA_R * rgba[q]!) + f(LUMA_G * rgba[q + 1]!)) + f(LUMA_B * rgba[q + 2]!));
  }
  return luma;
}

/** The per-pass box window for reducing `from` samples to `to` (half a cell: two passes make the whole cell). */
export function jaroszWindow(from: number, to: number): number {
  return Math.floor((from + 2 * to - 1) / (2 * to));
}

/**
 * One 1-D box filter over `length` samples `stride` apart, the window centred (one more sample ahead than behind
 * for an even window) and shrunk at both ends, so every output is the mean of the samples it covers.
 */
export function box1D(input: Float32Array, output: Float32Array, offset: number, length: number, stride: number, window: number): void {
  const half = Math.floor((window + 2) / 2);
  let sum = 0;
  let count = 0;
  let read = offset;
  let drop = offset;
  let write = offset;
  const end = offset + length * stride;
  // Fill the first half window without writing; then write while the window grows, slides and shrinks.
  for (let i = 0; i < half - 1 && read < end; i++, read += stride) {
    sum = f(sum + input[read]!);
    count++;
  }
  for (let i = 0; i < window - half + 1 && read < end; i++, read += stride, write += stride) {
    sum = f(sum + input[read]!);
    count++;
    output[write] = f(sum / count);
  }
  for (; read < end; read += stride, drop += stride, write += stride) {
    sum = f(f(sum + input[read]!) - input[drop]!);
    output[write] = f(sum / count);
  }
  for (; write < end; drop += stride, write += stride) {
    sum = f(sum - input[drop]!);
    count--;
    output[write] = f(sum / count);
  }
}

/** Steps 2 and 3: blur (in place in `luma`) and sample to 64×64. */
export function downsample64(luma: Float32Array, rows: number, cols: number): Float32Array {
  const alongRows = jaroszWindow(cols, 64);
  const alongCols = jaroszWindow(rows, 64);
  const scratch = new Float32Array(luma.length);
  for (let pass = 0; pass < PASSES; pass++) {
    for (let r = 0; r < rows; r++) box1D(luma, scratch, r * cols, cols, 1, alongRows);
    for (let c = 0; c < cols; c++) box1D(scratch, luma, c, rows, cols, alongCols);
  }
  const cells = new Float32Array(64 * 64);
  for (let i = 0; i < 64; i++) {
    const r = Math.floor(((i + 0.5) * rows) / 64);
    for (let j = 0; j < 64; j++) cells[i * 64 + j] = luma[r * cols + Math.floor(((j + 0.5) * cols) / 64)]!;
  }
  return cells;
}

/** Step 4: the sum of neighbouring differences in percent of full scale, each truncated, over 90, at most 100. */
export function qualityOf(cells: Float32Array): number {
  let sum = 0;
  const step = (u: number, v: number) => Math.abs(Math.trunc(f(f(f(u - v) * 100) / 255)));
  for (let i = 0; i < 63; i++) for (let j = 0; j < 64; j++) sum += step(cells[i * 64 + j]!, cells[(i + 1) * 64 + j]!);
  for (let i = 0; i < 64; i++) for (let j = 0; j < 63; j++) sum += step(cells[i * 64 + j]!, cells[i * 64 + j + 1]!);
  return Math.min(100, Math.floor(sum / 90));
}

/** Rows 1..16 of the 64-point DCT-II matrix, scaled by √(2/64) (row 0, the mean, is not used). */
const DCT = (() => {
  const scale = f(Math.sqrt(2 / 64));
  const matrix = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) matrix[i * 64 + j] = f(scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1)));
  }
  return matrix;
})();

/** Step 5: B = D·A·Dᵀ, 16×16, row-major. */
export function dct64To16(cells: Float32Array): Float32Array {
  const half = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = f(sum + f(DCT[i * 64 + k]! * cells[k * 64 + j]!));
      half[i * 64 + j] = sum;
    }
  }
  const out = new Float32Array(16 * 16);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = f(sum + f(half[i * 64 + k]! * DCT[j * 64 + k]!));
      out[i * 16 + j] = sum;
    }
  }
  return out;
}

/** Step 6: bit i·16+j set when coefficient (i, j) is above the median (the lower of the two middle values). */
export function aboveMedian(coefficients: Float32Array): boolean[] {
  const median = Float32Array.from(coefficients).sort()[127]!;
  return Array.from(coefficients, (value) => value > median);
}

/** Bit k is worth 2^k: the hex is the 256-bit number written out, so bit 255 comes first. */
export function bitsToHex(bits: readonly boolean[]): PdqHex {
  let hex = '';
  for (let nibble = 63; nibble >= 0; nibble--) {
    let value = 0;
    for (let b = 3; b >= 0; b--) value = value * 2 + (bits[nibble * 4 + b] ? 1 : 0);
    hex += value.toString(16);
  }
  return hex;
}

/** How many of the 256 bits differ between two hashes. */
export function hammingDistance(a: PdqHex, b: PdqHex): number {
  let distance = 0;
  for (let i = 0; i < 64; i += 8) {
    let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      distance++;
    }
  }
  return distance;
}
