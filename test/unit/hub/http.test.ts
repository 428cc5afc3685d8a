import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { ApiError, Discovery } from '../../../lib/schema';

import { startHub } from '../../../hub/server';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase, createTestApp } from './helpers';

let testDb: TestDatabase;
let app: Hono;

beforeAll(async () => {
  testDb = await openTestDatabase();
  app = createTestApp({ db: testDb.db, config: { corsOrigins: ['https://reports.example.org'] } });
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

describe('discovery', () => {
  it('describes the hub with absolute URLs of its own origin, not the request Host (in-process: http://localhost)', async () => {
    const response = await app.request('http://hub.test:8080/.well-known/ohr');
    expect(response.status).toBe(200);
    const body = Discovery.parse(await response.json());
    expect(body).toMatchObject({
      protocol: 'ohr/1',
      name: 'OHR reference hub',
      submitUrl: 'http://localhost/api/v1/reports',
      evidenceUrl: 'http://localhost/api/v1/evidence/{sha256}',
      statusUrl: 'http://localhost/api/v1/reports/{reference}/status',
      acceptsAnonymous: true,
      limits: { maxJsonBytes: 1_000_000, maxEvidenceBytes: 10_000_000, maxItems: 50 },
    });
    expect(body.categories).toContain('religion');
  });

  it('uses the configured public address over the request origin', async () => {
    const proxied = createTestApp({ db: testDb.db, config: { publicBaseUrl: 'https://report.example.org/', name: 'Example centre' } });
    const body = Discovery.parse(await (await proxied.request('http://10.0.0.5:8787/.well-known/ohr')).json());
    expect(body.name).toBe('Example centre');
    expect(body.submitUrl).toBe('https://report.example.org/api/v1/reports');
  });

  it('refuses to start with a configuration clients would reject', () => {
    expect(() => createTestApp({ db: testDb.db, config: { privacyPolicyUrl: 'not a url' } })).toThrow();
  });
});

describe('HTTP behaviour', () => {
  it('answers a CORS preflight from a browser extension', async () => {
    const response = await app.request('/api/v1/reports', {
      method: 'OPTIONS',
      headers: {
        Origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,idempotency-key',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    expect(response.headers.get('Access-Control-Allow-Methods')).toBe('GET,PUT,POST,DELETE,OPTIONS');
    expect(response.headers.get('Access-Control-Allow-Headers')).toBe('Content-Type,Idempotency-Key,Authorization');
    expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull();
  });

  it('allows configured web origins and Firefox extensions, and no one else', async () => {
    const origin = async (value: string) =>
      (await app.request('/.well-known/ohr', { headers: { Origin: value } })).headers.get('Access-Control-Allow-Origin');
    expect(await origin('https://reports.example.org')).toBe('https://reports.example.org');
    expect(await origin('moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0')).toBe('moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
    expect(await origin('https://evil.example')).toBeNull();
  });

  it('sends security headers, on errors too, and CORS headers on errors so clients can read them', async () => {
    const response = await app.request('/api/v1/reports/OHR-0000-0000/status', {
      headers: { Origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(response.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await app.request('/nothing/here');
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(ApiError.parse(await response.json()).error.code).toBe('not_found');
  });
});

describe('startHub', () => {
  it('listens over real HTTP on a free port, and close() stops it', async () => {
    const hub = await startHub({ port: 0, config: { logLevel: 'silent', shutdownGraceMs: 0 }, ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL, schema: `ohr_test_server_${process.pid}` } : {}) });
    try {
      expect(hub.port).toBeGreaterThan(0);
      expect(hub.url).toBe(`http://127.0.0.1:${hub.port}`);
      const response = await fetch(`${hub.url}/.well-known/ohr`);
      expect(response.status).toBe(200);
      expect(Discovery.parse(await response.json()).submitUrl).toBe(`${hub.url}/api/v1/reports`);
    } finally {
      if (process.env.DATABASE_URL) await hub.db.query(`DROP SCHEMA ohr_test_server_${process.pid} CASCADE`);
      await hub.close();
    }
    await expect(fetch(`${hub.url}/.well-known/ohr`)).rejects.toThrow();
  }, SETUP_TIMEOUT_MS);
});
