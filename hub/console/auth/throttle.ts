/**
 * Wrong passwords slow down whoever sends them, not the account's owner (ASVS 5.0 6.3.1: throttling rather than a
 * lockout anyone can trigger). A lockout of the account let five anonymous tries keep the real moderator out for 15
 * minutes, right password and code or not; here each failure counts against two keys, both HMACs under a salt that
 * lives only in memory (no email or address is kept):
 *
 * - the email and the client (an IPv6 client by its network, as `RateLimiter` keys it): after `lockoutAttempts`
 *   failures in a row, the next try from there must wait 30 s, and each further failure doubles the wait, up to
 *   `lockoutMinutes`. The owner, signing in from their own connection, is not slowed at all;
 * - the email from anywhere: the same after `lockoutAttempts` × 20 failures (100 by default: ASVS's ceiling of an
 *   hour), so that many addresses guessing one account are slowed too. Only an attack that large slows the owner.
 *
 * The key is the email typed, not the account, so an unknown email is slowed exactly as a real one (no enumeration).
 * A success clears both keys; a key quiet for four times `lockoutMinutes` starts again from nothing.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { clientKey } from '../../ratelimit';
import type { Lockout } from './accounts';

/** The first wait once the free tries are used up; it doubles with each further failure. */
const FIRST_WAIT_MS = 30_000;
/** Failures from anywhere allowed per failure from one client before the email is slowed for everyone. */
const ANYWHERE_FACTOR = 20;

interface Entry {
  failures: number;
  /** No try before this time (ms). */
  until: number;
  seen: number;
}

export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly salt = randomBytes(32);

  constructor(
    private readonly rules: Lockout & { ipv6PrefixLength?: number },
    private readonly now: () => number,
    private readonly maxEntries = 100_000,
  ) {}

  /** Seconds before this email may be tried again from this client address; 0 when it may be now. */
  wait(email: string, address: string): number {
    const now = this.now();
    const until = Math.max(this.entry(this.key(email, address), now)?.until ?? 0, this.entry(this.key(email), now)?.until ?? 0);
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  failed(email: string, address: string): void {
    const now = this.now();
    this.count(this.key(email, address), this.rules.lockoutAttempts, now);
    this.count(this.key(email), this.rules.lockoutAttempts * ANYWHERE_FACTOR, now);
  }

  succeeded(email: string, address: string): void {
    this.entries.delete(this.key(email, address));
    this.entries.delete(this.key(email));
  }

  private key(email: string, address?: string): string {
    const who = address === undefined ? '*' : clientKey(address, this.rules.ipv6PrefixLength);
    return createHmac('sha256', this.salt).update(`${email.trim().toLowerCase()}\n${who}`).digest('base64url');
  }

  /** The entry of `key`, unless it has been quiet long enough to be forgotten. */
  private entry(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.seen > 4 * this.rules.lockoutMinutes * 60_000) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private count(key: string, free: number, now: number): void {
    const entry = this.entry(key, now) ?? { failures: 0, until: 0, seen: now };
    entry.failures += 1;
    entry.seen = now;
    if (entry.failures >= free) entry.until = now + Math.min(this.rules.lockoutMinutes * 60_000, FIRST_WAIT_MS * 2 ** (entry.failures - free));
    // Delete and re-insert: the first key is then always the least recently seen, dropped first when full.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
