/**
 * The secrets and names the hub hands out. All randomness comes from the platform CSPRNG.
 */
import { randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a reference read aloud over the phone or copied by hand stays unambiguous. */
export const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `OHR-XXXX-XXXX`: 40 random bits. 32 symbols divide 256 evenly, so masking a byte keeps every symbol equally likely. */
export function newReference(): string {
  const symbols = Array.from(randomBytes(8), (byte) => REFERENCE_ALPHABET[byte & 31]).join('');
  return `OHR-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

/** 256 random bits, base64url: unguessable, and only its SHA-256 is stored. */
export function newStatusToken(): string {
  return randomBytes(32).toString('base64url');
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
