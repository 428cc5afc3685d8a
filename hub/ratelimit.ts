/**
 * Per-client rate limiting without keeping anyone's address (docs/design.md "Data and privacy": rate limiting uses a
 * salted hash with a short lifetime). A client is known only by HMAC-SHA256(salt, address); the salt lives in memory, is
 * never written anywhere, and is replaced every `saltRotationSeconds`, at which point every bucket is forgotten, so no
 * key can be linked to an address or to the same client's key of the previous period.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { RateLimitConfig } from './config';

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
    private readonly config: Pick<RateLimitConfig, 'burst' | 'perSecond' | 'saltRotationSeconds' | 'maxClients'>,
    private readonly now: () => number = Date.now,
  ) {
    this.saltExpires = now() + config.saltRotationSeconds * 1000;
  }

  /** Spends one token of this client's bucket, or says how long until one is back. */
  take(clientAddress: string): Decision {
    const now = this.now();
    if (now >= this.saltExpires) this.rotate(now);
    const key = createHmac('sha256', this.salt).update(clientAddress).digest('base64url');
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
