/**
 * The status code a reporter keeps with their reference: 16 symbols of Crockford's base32 in four groups,
 * `XXXX-XXXX-XXXX-XXXX`, 80 random bits. Short enough to write down or read out over the phone; no I, L, O or U, so
 * nothing is mistaken for something else. The hub hands out and stores (as SHA-256) exactly this grouped, upper-case
 * form; `normaliseStatusCode` turns what a person typed back into it. Reports filed before it carry a 43-character
 * base64url token, which keeps working unchanged (see docs/security.md, row 20a, for why 80 bits are enough).
 */

/** Crockford's base32 alphabet (the same one references use). */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_SYMBOLS = 16;
/** 5 bits per symbol. */
export const CODE_BITS = CODE_SYMBOLS * 5;

/** The grouped form, as handed out, stored and sent back by clients. */
export const STATUS_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

/** Groups 16 symbols as `XXXX-XXXX-XXXX-XXXX`. */
export const groupCode = (symbols: string): string => symbols.match(/.{1,4}/g)?.join('-') ?? symbols;

/** A new code from 16 random bytes (one symbol per byte: 32 divides 256, so masking keeps every symbol equally likely). */
export function codeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < CODE_SYMBOLS) throw new Error(`A status code needs ${CODE_SYMBOLS} random bytes`);
  return groupCode(Array.from(bytes.subarray(0, CODE_SYMBOLS), (byte) => CODE_ALPHABET[byte & 31]).join(''));
}

/**
 * What a person typed, as the hub stored it: case ignored, spaces and hyphens anywhere ignored, and the letters
 * Crockford reads as digits (I and L as 1, O as 0) read so. Anything that is not 16 symbols after that is returned
 * trimmed but otherwise as typed: an older long token (43 characters, case-sensitive, may contain hyphens) must reach
 * the hub exactly. No long token can be taken for a code: those are at least 32 characters before anything is removed.
 */
export function normaliseStatusCode(typed: string): string {
  const trimmed = typed.trim();
  if (trimmed.length >= 32) return trimmed;
  const symbols = trimmed
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  return symbols.length === CODE_SYMBOLS && [...symbols].every((symbol) => CODE_ALPHABET.includes(symbol)) ? groupCode(symbols) : trimmed;
}
