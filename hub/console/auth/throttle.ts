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
 *
 * On PostgreSQL (`rateLimit.store` auto or database) the counts are rows of `sign_in_failures`, shared by every hub
 * process, keyed under a salt shared the same way (ratelimit-shared.ts) and replaced daily, which forgets every count.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { RateLimitConfig } from '../../config';
import type { Database, Queryable } from '../../db';
import { clientKey } from '../../ratelimit';
import { Fallback, SharedSalt, sharesLimits, SIGN_IN_SCOPE } from '../../ratelimit-shared';
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

/** What the sign-in route asks, whether the counts are in this process or shared. */
export interface Throttle {
  wait(email: string, address: string): number | Promise<number>;
  failed(email: string, address: string): void | Promise<void>;
  succeeded(email: string, address: string): void | Promise<void>;
}

type Rules = Lockout & { ipv6PrefixLength?: number };

/** The throttle the configuration and engine call for (see `sharesLimits`). */
export function signInThrottle(db: Database, store: RateLimitConfig['store'], rules: Rules, now: () => number, logger?: Logger): Throttle {
  const local = new SignInThrottle(rules, now);
  return sharesLimits(store, db.engine) ? new SharedSignInThrottle(db, rules, now, local, logger) : local;
}

/** The text a throttle key is the HMAC of: the email as typed (trimmed, lower case) and the client, or `*` for anywhere. */
function keyText(email: string, address: string | undefined, ipv6PrefixLength: number | undefined): string {
  const who = address === undefined ? '*' : clientKey(address, ipv6PrefixLength);
  return `${email.trim().toLowerCase()}\n${who}`;
}

export class SignInThrottle implements Throttle {
  private readonly entries = new Map<string, Entry>();
  private readonly salt = randomBytes(32);

  constructor(
    private readonly rules: Rules,
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
    return createHmac('sha256', this.salt).update(keyText(email, address, this.rules.ipv6PrefixLength)).digest('base64url');
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

/** The shared salt of the sign-in throttle is replaced (and every count forgotten) once a day. */
const SIGN_IN_SALT_SECONDS = 24 * 60 * 60;

/**
 * The same rules as `SignInThrottle`, counted in `sign_in_failures` so that every hub process sees each failure: one
 * statement per question. When the database does not answer in time, `local` (this process's own counts) decides.
 */
export class SharedSignInThrottle implements Throttle {
  private readonly salt: SharedSalt;
  private readonly fallback: Fallback;

  constructor(
    private readonly db: Queryable,
    private readonly rules: Rules,
    private readonly now: () => number,
    private readonly local: SignInThrottle,
    logger?: Logger,
  ) {
    this.salt = new SharedSalt(db, SIGN_IN_SCOPE, SIGN_IN_SALT_SECONDS, now);
    this.fallback = new Fallback('sign-in throttle', logger);
  }

  wait(email: string, address: string): Promise<number> {
    return this.fallback.run(
      async () => {
        const now = this.now();
        const [row] = await this.db.query<{ until: string | null }>(
          'SELECT max(wait_until) AS until FROM sign_in_failures WHERE key = ANY($1::text[]) AND seen >= $2::bigint',
          [await this.keys(email, address), now - this.forgetAfterMs()],
        );
        const until = Number(row?.until ?? 0);
        return until > now ? Math.ceil((until - now) / 1000) : 0;
      },
      () => this.local.wait(email, address),
    );
  }

  failed(email: string, address: string): Promise<void> {
    this.local.failed(email, address);
    return this.fallback.run(
      async () => {
        if (!(await this.count(email, address))) {
          // Another process replaced the salt since this one read it: count under the new one.
          await this.salt.refresh();
          await this.count(email, address);
        }
      },
      () => undefined,
    );
  }

  succeeded(email: string, address: string): Promise<void> {
    this.local.succeeded(email, address);
    return this.fallback.run(
      async () => {
        await this.db.query('DELETE FROM sign_in_failures WHERE key = ANY($1::text[])', [await this.keys(email, address)]);
      },
      () => undefined,
    );
  }

  private forgetAfterMs(): number {
    return 4 * this.rules.lockoutMinutes * 60_000;
  }

  /** The per-client key and the from-anywhere key, under the current shared salt. */
  private async keys(email: string, address: string): Promise<[string, string]> {
    const salt = await this.salt.current();
    const text = (who?: string) => keyText(email, who, this.rules.ipv6PrefixLength);
    return [SharedSalt.key(salt, text(address)), SharedSalt.key(salt, text())];
  }

  /**
   * One more failure on both keys, and the wait that follows, in one statement: a key quiet for longer than
   * `forgetAfterMs` starts again from one. Nothing is written unless the salt read is still the current one.
   */
  private async count(email: string, address: string): Promise<boolean> {
    const salt = await this.salt.current();
    const [perClient, anywhere] = await this.keys(email, address);
    const failures = 'CASE WHEN f.seen < $4::bigint - $5::bigint THEN 1 ELSE f.failures + 1 END';
    const waitFor = (n: string, free: string) => `$4::bigint + least($6::bigint, (${FIRST_WAIT_MS}::float8 * power(2, ${n} - ${free}))::bigint)`;
    const rows = await this.db.query(
      `INSERT INTO sign_in_failures AS f (key, generation, free, failures, wait_until, seen)
       SELECT k.key, $3::bigint, k.free, 1, CASE WHEN 1 >= k.free THEN ${waitFor('1', 'k.free')} ELSE 0 END, $4::bigint
         FROM unnest($1::text[], $2::integer[]) AS k(key, free)
        WHERE EXISTS (SELECT 1 FROM rate_limit_salts s WHERE s.scope = '${SIGN_IN_SCOPE}' AND s.generation = $3)
       ON CONFLICT (key) DO UPDATE
         SET failures = ${failures},
             wait_until = CASE WHEN ${failures} >= f.free THEN ${waitFor(failures, 'f.free')}
                               WHEN f.seen < $4::bigint - $5::bigint THEN 0 ELSE f.wait_until END,
             seen = $4::bigint
       RETURNING key`,
      [
        [perClient, anywhere],
        [this.rules.lockoutAttempts, this.rules.lockoutAttempts * ANYWHERE_FACTOR],
        salt.generation,
        this.now(),
        this.forgetAfterMs(),
        this.rules.lockoutMinutes * 60_000,
      ],
    );
    return rows.length > 0;
  }
}
