/**
 * Per-client rate limiting without keeping anyone's address (docs/design.md "Data and privacy": rate limiting uses a
 * salted hash with a short lifetime). A client is known only by HMAC-SHA256(salt, address); the salt lives in memory, is
 * never written anywhere, and is replaced every `saltRotationSeconds`, at which point every bucket is forgotten, so no
 * key can be linked to an address or to the same client's key of the previous period.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { RateLimitConfig } from './config';

/** IPv6 networks are keyed by their first 64 bits unless configured otherwise (RFC 6177: a /64 goes to one subscriber). */
export const DEFAULT_IPV6_PREFIX_LENGTH = 64;

/**
 * Whom an address stands for: an IPv4 address itself (also written as `::ffff:a.b.c.d`), an IPv6 address its first
 * `prefixLength` bits, since one subscriber holds a whole /64 (or more) and can change address at every request.
 * Anything else (no address, a proxy header's junk) is taken as it is.
 */
export function clientKey(address: string, prefixLength: number = DEFAULT_IPV6_PREFIX_LENGTH): string {
  const plain = address.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(plain)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (!isIPv6(plain)) return plain;
  const groups = ipv6Groups(plain);
  let bits = '';
  for (const group of groups) bits += group.toString(2).padStart(16, '0');
  return `${bits.slice(0, prefixLength)}/${prefixLength}`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 part as two groups). */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address)?.[1];
  let text = address;
  if (dotted) {
    const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
    text = address.slice(0, -dotted.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

export type Decision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in ms. */
  at: number;
}

/** A token bucket per hashed client: `burst` requests at once, refilled at `perSecond`. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private salt = randomBytes(32);
  private saltExpires: number;

  constructor(
    private readonly config: Pick<RateLimitConfig, 'burst' | 'perSecond' | 'saltRotationSeconds' | 'maxClients'> & { ipv6PrefixLength?: number },
    private readonly now: () => number = Date.now,
  ) {
    this.saltExpires = now() + config.saltRotationSeconds * 1000;
  }

  /** Spends one token of this client's bucket (an IPv6 client's network's, see `clientKey`), or says how long until one is back. */
  take(clientAddress: string): Decision {
    const now = this.now();
    if (now >= this.saltExpires) this.rotate(now);
    const key = createHmac('sha256', this.salt).update(clientKey(clientAddress, this.config.ipv6PrefixLength)).digest('base64url');
    const bucket = this.buckets.get(key) ?? { tokens: this.config.burst, at: now };
    bucket.tokens = Math.min(this.config.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.config.perSecond);
    bucket.at = now;
    // Delete and re-insert: Map keeps insertion order, so the first key is always the least recently seen.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.config.maxClients) this.buckets.delete(this.buckets.keys().next().value as string);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.config.perSecond)) };
  }

  /** Clients currently tracked (for tests and metrics; the keys themselves are never exposed). */
  get size(): number {
    return this.buckets.size;
  }

  private rotate(now: number): void {
    this.salt = randomBytes(32);
    this.buckets.clear();
    this.saltExpires = now + this.config.saltRotationSeconds * 1000;
  }
}
