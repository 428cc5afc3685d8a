/**
 * Rate limits and the sign-in throttle counted in the database (migration 008), as several hub processes on one
 * PostgreSQL count them. Two limiters over the same database stand for two processes; on PGlite the same SQL runs with
 * `store: 'database'`. The two-process test with real hub processes is two-hubs.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedRateLimiter, SharedSalt, sharesLimits } from '../../../hub/ratelimit-shared';
import { configFromEnv, ConfigError, resolveConfig } from '../../../hub/config';
import { SharedSignInThrottle, SignInThrottle } from '../../../hub/console/auth/throttle';
import { captureLogger, openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';
import type { Database } from '../../../hub/db';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await openTestDatabase();
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb.dispose());

const rules = { burst: 3, perSecond: 1, saltRotationSeconds: 60, maxClients: 100 };

describe('shared rate limits', () => {
  it('spend one burst across two limiters, refill by the clock, and keep only a hash of the address', async () => {
    let now = 1_000_000;
    const a = new SharedRateLimiter(testDb.db, 'burst-test', rules, { now: () => now });
    const b = new SharedRateLimiter(testDb.db, 'burst-test', rules, { now: () => now });
    const decisions = [await a.take('203.0.113.7'), await b.take('203.0.113.7'), await a.take('203.0.113.7'), await b.take('203.0.113.7')];
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // Another client has its own bucket; the same IPv6 /64 is one client.
    expect((await a.take('2001:db8::1')).allowed).toBe(true);
    expect((await b.take('2001:db8::2')).allowed).toBe(true);
    now += 1_000;
    expect((await b.take('203.0.113.7')).allowed).toBe(true);
    expect((await a.take('203.0.113.7')).allowed).toBe(false);

    // Requests arriving together share one statement, and still get one token each.
    const together = await Promise.all(['192.0.2.50', '192.0.2.50', '192.0.2.51', '192.0.2.50', '192.0.2.50'].map((address) => a.take(address)));
    expect(together.map((d) => d.allowed)).toEqual([true, true, true, true, false]);

    const rows = await testDb.db.query<{ key: string }>("SELECT key FROM rate_limit_buckets WHERE scope = 'burst-test'");
    expect(rows).toHaveLength(4);
    for (const { key } of rows) expect(key).not.toContain('203.0.113');
  });

  it('forget every bucket when the shared salt is replaced, and a limiter with the old salt writes nothing', async () => {
    let now = 2_000_000;
    const a = new SharedRateLimiter(testDb.db, 'rotation-test', rules, { now: () => now });
    const b = new SharedRateLimiter(testDb.db, 'rotation-test', rules, { now: () => now });
    for (let i = 0; i < 3; i++) await a.take('198.51.100.1');
    expect((await b.take('198.51.100.1')).allowed).toBe(false);
    const [before] = await testDb.db.query<{ generation: string }>("SELECT generation FROM rate_limit_salts WHERE scope = 'rotation-test'");

    now += 61_000;
    // `a` rotates; `b` still holds the old salt in its cache until it sees the row has moved on.
    expect((await a.take('198.51.100.1')).allowed).toBe(true);
    const [after] = await testDb.db.query<{ generation: string }>("SELECT generation FROM rate_limit_salts WHERE scope = 'rotation-test'");
    expect(Number(after!.generation)).toBe(Number(before!.generation) + 1);
    expect((await b.take('198.51.100.1')).allowed).toBe(true);
    const buckets = await testDb.db.query<{ generation: string; tokens: number }>(
      "SELECT generation, tokens FROM rate_limit_buckets WHERE scope = 'rotation-test'",
    );
    expect(buckets.map((row) => [Number(row.generation), Number(row.tokens)])).toEqual([[Number(after!.generation), 1]]);
  });

  it('decide in this process, with a log line, when the database fails', async () => {
    const { logger, lines } = captureLogger('warn');
    const broken = { query: () => Promise.reject(new Error('connection refused')), exec: () => Promise.reject(new Error('no')) };
    const limiter = new SharedRateLimiter(broken, 'down', { ...rules, burst: 2 }, { logger });
    const allowed = [await limiter.take('192.0.2.1'), await limiter.take('192.0.2.1'), await limiter.take('192.0.2.1')].map((d) => d.allowed);
    expect(allowed).toEqual([true, true, false]);
    expect(lines.filter((line) => line.msg === 'shared limits unavailable: counting in this process')).toHaveLength(1);
  });

  it('decide in this process when the database does not answer in time', async () => {
    const hanging = { query: () => new Promise<never>(() => {}), exec: () => new Promise<void>(() => {}) };
    const limiter = new SharedRateLimiter(hanging, 'slow', rules, { timeoutMs: 20 });
    expect(await limiter.take('192.0.2.2')).toEqual({ allowed: true });
  });
});

describe('where limits are counted', () => {
  it('is the database on PostgreSQL and memory on PGlite by default, or what rateLimit.store / OHR_RATE_LIMIT_STORE says', () => {
    expect(resolveConfig({}).rateLimit.store).toBe('auto');
    expect([sharesLimits('auto', 'postgres'), sharesLimits('auto', 'pglite')]).toEqual([true, false]);
    expect([sharesLimits('memory', 'postgres'), sharesLimits('database', 'pglite')]).toEqual([false, true]);
    expect(resolveConfig(configFromEnv({ OHR_RATE_LIMIT_STORE: 'memory' })).rateLimit.store).toBe('memory');
    expect(() => configFromEnv({ OHR_RATE_LIMIT_STORE: 'redis' })).toThrow(ConfigError);
  });
});

describe('shared sign-in throttle', () => {
  const lockout = { lockoutAttempts: 2, lockoutMinutes: 15 };
  const throttle = (db: Database, now: () => number) => new SharedSignInThrottle(db, lockout, now, new SignInThrottle(lockout, now));

  it('counts failures from two processes together, slows the sender, not the owner, and forgets on success', async () => {
    let now = 5_000_000;
    const a = throttle(testDb.db, () => now);
    const b = throttle(testDb.db, () => now);
    await a.failed('Mod@Example.org', '203.0.113.9');
    expect(await b.wait('mod@example.org', '203.0.113.9')).toBe(0);
    await b.failed('mod@example.org', '203.0.113.9');
    expect(await a.wait('mod@example.org', '203.0.113.9')).toBe(30);
    expect(await a.wait('mod@example.org', '198.51.100.4')).toBe(0);
    now += 30_000;
    expect(await b.wait('mod@example.org', '203.0.113.9')).toBe(0);
    await b.failed('mod@example.org', '203.0.113.9');
    expect(await a.wait('mod@example.org', '203.0.113.9')).toBe(60);
    await a.succeeded('mod@example.org', '203.0.113.9');
    expect(await b.wait('mod@example.org', '203.0.113.9')).toBe(0);
    const keys = await testDb.db.query<{ key: string }>('SELECT key FROM sign_in_failures');
    for (const { key } of keys) expect(key).not.toMatch(/example|203\.0/);
  });

  it('starts again from nothing after a long quiet', async () => {
    let now = 9_000_000;
    const a = throttle(testDb.db, () => now);
    await a.failed('quiet@example.org', '203.0.113.10');
    await a.failed('quiet@example.org', '203.0.113.10');
    expect(await a.wait('quiet@example.org', '203.0.113.10')).toBe(30);
    now += 4 * 15 * 60_000 + 1;
    expect(await a.wait('quiet@example.org', '203.0.113.10')).toBe(0);
    await a.failed('quiet@example.org', '203.0.113.10');
    expect(await a.wait('quiet@example.org', '203.0.113.10')).toBe(0);
  });

  it('keys are HMACs under the shared salt', async () => {
    const salt = await new SharedSalt(testDb.db, 'sign-in', 86_400, () => 9_000_000).current();
    expect(SharedSalt.key(salt, 'x')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
