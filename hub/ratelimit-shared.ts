/**
 * Rate limits shared by every hub process on one PostgreSQL (migration 008). Behind a load balancer each process
 * counting alone would let a client make `burst` requests per process; here the buckets are rows, so the burst is
 * spent across all of them.
 *
 * Privacy is as in memory (ratelimit.ts): a client is known only by HMAC-SHA256(salt, address). The salt must be the
 * same in every process, so it is a row of the UNLOGGED `rate_limit_salts`, replaced when it expires, and the buckets
 * made under it are deleted in that same statement. A process caches the salt until it expires; a bucket can only be
 * written under the salt generation still in the table, so a process that missed a rotation writes nothing with its old
 * salt (its statement returns no row, it fetches the new salt and tries once more).
 *
 * A database that is slow or down must not turn requests away: the shared limiter then answers from an in-memory
 * limiter of its own (this process's share of the limit, as a hub with one process has), with one log line a minute.
 * Failing open would drop all limits exactly when a flood may be what slows the database; failing closed would refuse
 * reporters because of a counter.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Queryable } from './db';
import { clientKey, RateLimiter, type Decision } from './ratelimit';
import type { RateLimitConfig } from './config';

/** Spends one request of a client's allowance. */
export interface ClientLimiter {
  take(clientAddress: string): Promise<Decision>;
}

/** How long a shared-limit statement may take before this request is decided in memory instead. */
export const SHARED_LIMIT_TIMEOUT_MS = 500;
/** At most one "shared limits unavailable" log line per this many ms. */
const LOG_EVERY_MS = 60_000;

export interface Salt {
  generation: number;
  salt: Buffer;
  /** ms since 1970. */
  expiresAt: number;
}

/**
 * The salt every process uses for `scope`, read once per period. The statement that finds it expired replaces it and
 * deletes what was counted under it (and under any older one), atomically.
 */
export class SharedSalt {
  private cached: Salt | undefined;

  constructor(
    private readonly db: Queryable,
    readonly scope: string,
    private readonly rotationSeconds: number,
    private readonly now: () => number,
  ) {}

  async current(): Promise<Salt> {
    if (this.cached && this.now() < this.cached.expiresAt) return this.cached;
    return this.refresh();
  }

  /** Reads the salt again (another process may have rotated it), replacing it if it has expired. */
  async refresh(): Promise<Salt> {
    // A concurrent rotation can leave this statement's snapshot with the expired row: then ask again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.now();
      const [row] = await this.db.query<{ generation: string; salt: Uint8Array; expires_at: Date }>(
        `WITH fresh AS (
           INSERT INTO rate_limit_salts AS s (scope, generation, salt, expires_at) VALUES ($1, 1, $2, $3)
           ON CONFLICT (scope) DO UPDATE SET generation = s.generation + 1, salt = EXCLUDED.salt, expires_at = EXCLUDED.expires_at
            WHERE s.expires_at <= $4
           RETURNING generation, salt, expires_at
         ), buckets AS (
           DELETE FROM rate_limit_buckets b USING fresh WHERE b.scope = $1 AND b.generation < fresh.generation
         ), failures AS (
           DELETE FROM sign_in_failures f USING fresh WHERE $1 = '${SIGN_IN_SCOPE}' AND f.generation < fresh.generation
         )
         SELECT generation, salt, expires_at FROM fresh
         UNION ALL
         SELECT generation, salt, expires_at FROM rate_limit_salts WHERE scope = $1 AND NOT EXISTS (SELECT 1 FROM fresh)`,
        [this.scope, randomBytes(32), new Date(now + this.rotationSeconds * 1000), new Date(now)],
      );
      if (row && new Date(row.expires_at).getTime() > now) {
        this.cached = { generation: Number(row.generation), salt: Buffer.from(row.salt), expiresAt: new Date(row.expires_at).getTime() };
        return this.cached;
      }
    }
    throw new Error(`The shared rate-limit salt of ${this.scope} could not be read`);
  }

  /** HMAC-SHA256 of `text` under `salt`: the only name a client or email has in the tables. */
  static key(salt: Salt, text: string): string {
    return createHmac('sha256', salt.salt).update(text).digest('base64url');
  }
}

/** The scope whose salt also names the console's sign-in failures (see console/auth/throttle.ts). */
export const SIGN_IN_SCOPE = 'sign-in';

/**
 * Runs `shared`, or `local` when the database does not answer within the timeout or fails; logs that at most once a
 * minute. The shared statement left running is harmless: its row is one token, and the next request reads it.
 */
export class Fallback {
  private lastLog = 0;
  constructor(
    private readonly what: string,
    private readonly logger: Logger | undefined,
    private readonly timeoutMs = SHARED_LIMIT_TIMEOUT_MS,
  ) {}

  async run<T>(shared: () => Promise<T>, local: () => T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        shared(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs))),
      ]);
    } catch (error) {
      const now = Date.now();
      if (now - this.lastLog >= LOG_EVERY_MS) {
        this.lastLog = now;
        this.logger?.warn({ limiter: this.what, detail: error instanceof Error ? error.message : String(error) }, 'shared limits unavailable: counting in this process');
      }
      return local();
    } finally {
      clearTimeout(timer);
    }
  }
}

type LimitRules = Pick<RateLimitConfig, 'burst' | 'perSecond' | 'saltRotationSeconds' | 'maxClients'> & { ipv6PrefixLength?: number };

/**
 * A token bucket per hashed client in `rate_limit_buckets`, the arithmetic in SQL. Requests that arrive together (in
 * one turn of the event loop) share one statement, however many clients they come from, as intake batches reports
 * (domain/intake-batch.ts): under load a request costs a fraction of a statement, alone it costs one.
 */
export class SharedRateLimiter implements ClientLimiter {
  private readonly salt: SharedSalt;
  private readonly local: RateLimiter;
  private readonly fallback: Fallback;
  private readonly now: () => number;
  private waiting: Array<{ client: string; answer: (decision: Decision) => void; fail: (error: unknown) => void }> = [];

  constructor(
    private readonly db: Queryable,
    private readonly scope: string,
    private readonly rules: LimitRules,
    options: { now?: () => number; logger?: Logger; timeoutMs?: number } = {},
  ) {
    const now = (this.now = options.now ?? Date.now);
    this.salt = new SharedSalt(db, scope, rules.saltRotationSeconds, now);
    this.local = new RateLimiter(rules, now);
    this.fallback = new Fallback(`rate limit ${scope}`, options.logger, options.timeoutMs);
  }

  take(clientAddress: string): Promise<Decision> {
    return this.fallback.run(
      () => this.takeShared(clientAddress),
      () => this.local.take(clientAddress),
    );
  }

  private takeShared(clientAddress: string): Promise<Decision> {
    const client = clientKey(clientAddress, this.rules.ipv6PrefixLength);
    return new Promise((answer, fail) => {
      if (this.waiting.push({ client, answer, fail }) === 1) setImmediate(() => void this.flush());
    });
  }

  /** Sends every request waiting now in one statement, and answers each. */
  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const requested = new Map<string, number>();
      for (const { client } of batch) requested.set(client, (requested.get(client) ?? 0) + 1);
      let salt = await this.salt.current();
      let rows = await this.spend(salt, requested);
      if (rows.size < requested.size) {
        // The salt was replaced by another process since this one read it: nothing was written; once more.
        salt = await this.salt.refresh();
        rows = await this.spend(salt, requested);
      }
      const granted = new Map<string, number>();
      for (const { client, answer } of batch) {
        const row = rows.get(client);
        if (!row) throw new Error('The shared rate-limit salt changed twice during one request');
        const given = granted.get(client) ?? 0;
        granted.set(client, given + 1);
        if (given < row.granted) answer({ allowed: true });
        else answer({ allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - row.tokens) / this.rules.perSecond)) });
      }
    } catch (error) {
      for (const { fail } of batch) fail(error);
    }
  }

  /**
   * Refills each client's bucket for the time since it was last seen (never above `burst`, never for a clock that went
   * back), then gives as many of its requests a token as there are whole tokens. Writes nothing, and returns no rows,
   * unless `salt` is still current. The rows by client: tokens left, and requests granted.
   */
  private async spend(salt: Salt, requested: ReadonlyMap<string, number>): Promise<Map<string, { tokens: number; granted: number }>> {
    const clients = [...requested.keys()];
    const keys = clients.map((client) => SharedSalt.key(salt, client));
    const refilled = `least($4::float8, b.tokens + greatest(0, extract(epoch FROM ($6::timestamptz - b.at)))::float8 * $5::float8)`;
    const granted = `least(EXCLUDED.requested, floor(${refilled}))`;
    const rows = await this.db.query<{ key: string; tokens: number; granted: number }>(
      `INSERT INTO rate_limit_buckets AS b (scope, key, generation, tokens, at, requested, granted)
       SELECT $1::text, k.key, $3::bigint, $4::float8 - least(k.n, floor($4::float8)), $6::timestamptz, k.n, least(k.n, floor($4::float8))
         FROM unnest($2::text[], $7::integer[]) AS k(key, n)
        WHERE EXISTS (SELECT 1 FROM rate_limit_salts s WHERE s.scope = $1::text AND s.generation = $3::bigint)
       ON CONFLICT (scope, key) DO UPDATE
         SET tokens = ${refilled} - ${granted},
             granted = ${granted},
             requested = EXCLUDED.requested,
             at = greatest(b.at, $6::timestamptz)
       RETURNING key, tokens, granted`,
      [this.scope, keys, salt.generation, this.rules.burst, this.rules.perSecond, new Date(this.now()), clients.map((client) => requested.get(client)!)],
    );
    const byKey = new Map(rows.map((row) => [row.key, row]));
    const result = new Map<string, { tokens: number; granted: number }>();
    clients.forEach((client, index) => {
      const row = byKey.get(keys[index]!);
      if (row) result.set(client, { tokens: Number(row.tokens), granted: Number(row.granted) });
    });
    return result;
  }
}

/** The in-memory limiter behind the same interface (PGlite hubs, and `rateLimit.store: "memory"`). */
export class LocalRateLimiter implements ClientLimiter {
  readonly limiter: RateLimiter;
  constructor(rules: LimitRules, now: () => number = Date.now) {
    this.limiter = new RateLimiter(rules, now);
  }
  take(clientAddress: string): Promise<Decision> {
    return Promise.resolve(this.limiter.take(clientAddress));
  }
}

/** Whether limits are counted in the database: `auto` does so on PostgreSQL, where several processes may share it. */
export function sharesLimits(store: RateLimitConfig['store'], engine: 'pglite' | 'postgres'): boolean {
  return store === 'database' || (store === 'auto' && engine === 'postgres');
}

/** The limiter for `scope` that the configuration and engine call for. */
export function clientLimiter(
  db: Queryable & { engine: 'pglite' | 'postgres' },
  store: RateLimitConfig['store'],
  scope: string,
  rules: LimitRules,
  options: { now?: () => number; logger?: Logger } = {},
): ClientLimiter {
  return sharesLimits(store, db.engine) ? new SharedRateLimiter(db, scope, rules, options) : new LocalRateLimiter(rules, options.now);
}
