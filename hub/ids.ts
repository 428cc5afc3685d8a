/**
 * The secrets and names the hub hands out. All randomness comes from the platform CSPRNG.
 */
import { randomFillSync } from 'node:crypto';
import { codeFromBytes, CODE_SYMBOLS } from '../lib/status-code';

/**
 * CSPRNG bytes drawn 4 KiB at a time and handed out once each. Every report takes 24 bytes (reference and status
 * code); asking the CSPRNG for them separately cost two native calls per report, about 2 % of the hub's profile under
 * load. The bytes are the same CSPRNG output, each used exactly once, and the buffer is refilled before it runs out.
 */
class RandomPool {
  private readonly buffer = Buffer.alloc(4096);
  private offset = this.buffer.length;

  /** A fresh copy of `size` bytes (at most the pool's size) that no other caller will ever see. */
  take(size: number): Buffer {
    if (this.offset + size > this.buffer.length) {
      randomFillSync(this.buffer);
      this.offset = 0;
    }
    const bytes = Buffer.from(this.buffer.subarray(this.offset, this.offset + size));
    this.offset += size;
    return bytes;
  }
}

const pool = new RandomPool();

/** Crockford's base32: no I, L, O or U, so a reference read aloud over the phone or copied by hand stays unambiguous. */
export const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `OHR-XXXX-XXXX`: 40 random bits. 32 symbols divide 256 evenly, so masking a byte keeps every symbol equally likely. */
export function newReference(): string {
  const symbols = Array.from(pool.take(8), (byte) => REFERENCE_ALPHABET[byte & 31]).join('');
  return `OHR-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

/**
 * The status code, `XXXX-XXXX-XXXX-XXXX`: 80 random bits (lib/status-code.ts), only its SHA-256 stored. Reports filed
 * before it hold a 256-bit base64url token, which the hub keeps accepting: both are looked up by the hash of exactly
 * what the receipt said.
 */
export function newStatusToken(): string {
  return codeFromBytes(pool.take(CODE_SYMBOLS));
}

/**
 * JSON with object keys sorted at every depth, so that the same report re-serialised by another client library (key
 * order, whitespace) hashes the same for the idempotency comparison.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}
