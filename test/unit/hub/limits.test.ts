/**
 * Rate limiting (the limiter itself with a fake clock, and the 429 it causes), the in-flight 409 and the pixel limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../lib/hash';
import { ApiError, Receipt } from '../../../lib/schema';
import type { Database } from '../../../hub/db';
import { RateLimiter } from '../../../hub/ratelimit';
import { sampleReport } from '../../fixtures/report';
import { createTestApp, openTestDatabase, pngBytes, postReport, putEvidence, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await openTestDatabase();
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

describe('RateLimiter', () => {
  const config = { burst: 3, perSecond: 0.5, saltRotationSeconds: 3_600, maxClients: 1_000 };

  it('lets a burst through, then refuses with the wait until the next token', () => {
    let now = 0;
    const limiter = new RateLimiter(config, () => now);
    expect([1, 2, 3].map(() => limiter.take('203.0.113.9').allowed)).toEqual([true, true, true]);
    expect(limiter.take('203.0.113.9')).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(limiter.take('198.51.100.1').allowed).toBe(true); // another client has its own bucket
    now = 1_000;
    expect(limiter.take('203.0.113.9')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now = 2_000;
    expect(limiter.take('203.0.113.9').allowed).toBe(true);
  });

  it('forgets every bucket when the salt rotates, and keeps at most maxClients', () => {
    let now = 0;
    const limiter = new RateLimiter({ ...config, saltRotationSeconds: 60, maxClients: 2 }, () => now);
    for (let i = 0; i < 3; i++) limiter.take('203.0.113.9');
    expect(limiter.take('203.0.113.9').allowed).toBe(false);
    limiter.take('198.51.100.1');
    limiter.take('198.51.100.2');
    expect(limiter.size).toBe(2);
    expect(limiter.take('203.0.113.9').allowed).toBe(true); // evicted as least recently seen: a fresh bucket
    now = 60_000;
    limiter.take('198.51.100.7');
    expect(limiter.size).toBe(1);
  });
});

describe('429 from the routes', () => {
  it('answers 429 with Retry-After and CORS headers once the bucket is empty; /healthz is never limited', async () => {
    const app = createTestApp({ db: testDb.db, config: { rateLimit: { enabled: true, burst: 2, perSecond: 0.1 } } });
    const origin = { Origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' };
    expect((await app.request('/.well-known/ohr', { headers: origin })).status).toBe(200);
    expect((await app.request('/.well-known/ohr', { headers: origin })).status).toBe(200);
    const limited = await app.request('/.well-known/ohr', { headers: origin });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('10');
    expect(limited.headers.get('Access-Control-Allow-Origin')).toBe(origin.Origin);
    expect(limited.headers.get('Access-Control-Expose-Headers')).toContain('Retry-After');
    expect(ApiError.parse(await limited.json()).error.code).toBe('rate_limited');
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('keys clients by the configured proxy header (its last entry) when one is set', async () => {
    const app = createTestApp({ db: testDb.db, config: { rateLimit: { enabled: true, burst: 1, perSecond: 0.1, clientIpHeader: 'x-forwarded-for' } } });
    const from = (chain: string) => app.request('/.well-known/ohr', { headers: { 'X-Forwarded-For': chain } });
    expect((await from('10.0.0.1, 203.0.113.9')).status).toBe(200);
    expect((await from('10.0.0.2, 203.0.113.9')).status).toBe(429);
    expect((await from('203.0.113.9, 198.51.100.1')).status).toBe(200);
  });
});

describe('a request still in flight', () => {
  it('answers 409 request_in_flight to the same key meanwhile, then replays the first answer', async () => {
    let release!: () => void;
    let blocked!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reached = new Promise<void>((resolve) => (blocked = resolve));
    const slow: Database = {
      ...testDb.db,
      async query<T>(sql: string, params?: readonly unknown[]) {
        if (/INSERT INTO reports/.test(sql)) {
          blocked();
          await gate;
        }
        return testDb.db.query<T>(sql, params);
      },
    };
    const app = createTestApp({ db: slow });
    const report = sampleReport({ items: [{ ...sampleReport().items[0]!, evidence: [] }] });
    const first = postReport(app, report, report.id);
    await reached;
    const second = await postReport(app, report, report.id);
    expect(second.status).toBe(409);
    expect(second.headers.get('Retry-After')).toBe('1');
    expect(ApiError.parse(await second.json()).error.code).toBe('request_in_flight');
    release();
    const receipt = Receipt.parse(await (await first).json());
    const again = await postReport(app, report, report.id);
    expect(again.status).toBe(201);
    expect(Receipt.parse(await again.json())).toEqual(receipt);
  });
});

describe('image pixel limit', () => {
  const jpeg = (width: number, height: number) => {
    // SOI, APP0 (empty JFIF), SOF0 with the size, then junk: enough header for the size, no pixels to decode.
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0]);
    return new Uint8Array([...bytes, ...crypto.getRandomValues(new Uint8Array(64))]);
  };
  const webp = (width: number, height: number) => {
    // RIFF/WEBP with a VP8X chunk: 24-bit width-1 and height-1.
    const header = new Uint8Array(30 + 16);
    header.set(new TextEncoder().encode('RIFF'), 0);
    header.set(new TextEncoder().encode('WEBPVP8X'), 8);
    header.set([10, 0, 0, 0], 16);
    const w = width - 1;
    const h = height - 1;
    header.set([w & 255, (w >> 8) & 255, (w >> 16) & 255, h & 255, (h >> 8) & 255, (h >> 16) & 255], 24);
    header.set(crypto.getRandomValues(new Uint8Array(16)), 30);
    return header;
  };

  it('reads PNG, JPEG and WebP sizes from the header and refuses more than the limit with 413', async () => {
    const app = createTestApp({ db: testDb.db, config: { maxImagePixels: 1_000_000 } });
    const cases: Array<[Uint8Array<ArrayBuffer>, string, number]> = [
      [pngBytes(100, 1000, 1000), 'image/png', 201],
      [pngBytes(100, 1001, 1000), 'image/png', 413],
      [jpeg(1000, 1000), 'image/jpeg', 201],
      [jpeg(2000, 600), 'image/jpeg', 413],
      [webp(500, 2000), 'image/webp', 201],
      [webp(16_383, 16_383), 'image/webp', 413],
    ];
    for (const [bytes, type, status] of cases) {
      const sha256 = await sha256Hex(bytes);
      const response = await putEvidence(app, bytes, sha256, type);
      expect(response.status, `${type} ${status}`).toBe(status);
      if (status === 413) {
        expect(ApiError.parse(await response.json()).error.message).toMatch(/pixels; this hub takes images of at most 1 megapixels/);
        expect(await testDb.db.query('SELECT 1 FROM evidence WHERE sha256 = $1', [sha256])).toHaveLength(0);
      }
    }
  });
});
