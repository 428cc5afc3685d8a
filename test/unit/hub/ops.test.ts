/**
 * Operability: /healthz, request ids and what the logs hold (and do not), graceful shutdown, configuration checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../lib/hash';
import { Health } from '../../../lib/schema';
import { ConfigError, readConfigFile, resolveConfig } from '../../../hub/config';
import type { Database } from '../../../hub/db';
import { parseCli } from '../../../hub/cli';
import { startHub } from '../../../hub/server';
import { sampleReport } from '../../fixtures/report';
import { captureLogger, createTestApp, openTestDatabase, pngBytes, postReport, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await openTestDatabase();
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

describe('/healthz', () => {
  it('is 200 when the database answers, 503 while draining or when it does not', async () => {
    const ok = await createTestApp({ db: testDb.db }).request('/healthz');
    expect(ok.status).toBe(200);
    expect(Health.parse(await ok.json())).toEqual({ status: 'ok' });
    const draining = await createTestApp({ db: testDb.db, isDraining: () => true }).request('/healthz');
    expect(draining.status).toBe(503);
    const broken: Database = { ...testDb.db, query: () => Promise.reject(new Error('connection refused')) };
    expect((await createTestApp({ db: broken }).request('/healthz')).status).toBe(503);
  });
});

describe('logs', () => {
  it('one line per request with its id, route pattern, status and time; no address, path values, headers or report content', async () => {
    const { logger, lines } = captureLogger('info');
    const app = createTestApp({ db: testDb.db, logger });
    const report = sampleReport({ items: [{ ...sampleReport().items[0]!, evidence: [] }] });
    const response = await postReport(app, report, report.id, { 'X-Forwarded-For': '203.0.113.77', 'User-Agent': 'Secret-Agent/1.0' });
    expect(response.status).toBe(201);
    const requestId = response.headers.get('X-Request-Id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await app.request('/api/v1/reports/OHR-AAAA-BBBB/status', { headers: { Authorization: 'Bearer sekrit-token-value' } });
    await app.request('/healthz'); // at debug level: not in an info log

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'request', reqId: requestId, method: 'POST', route: '/api/v1/reports', status: 201, ms: expect.any(Number) });
    expect(lines[1]).toMatchObject({ route: '/api/v1/reports/:reference/status', status: 404 });
    const all = JSON.stringify(lines);
    for (const secret of ['203.0.113.77', 'Secret-Agent', 'sekrit', 'OHR-AAAA-BBBB', report.id, report.incident.summary, 'example.org']) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes a request in flight, refuses new connections, then closes the database', async () => {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inside = new Promise<void>((resolve) => (reached = resolve));
    let closedDb = false;
    const slow: Database = {
      ...testDb.db,
      async query<T>(sql: string, params?: readonly unknown[]) {
        if (/INSERT INTO evidence/.test(sql)) {
          reached();
          await gate;
        }
        return testDb.db.query<T>(sql, params);
      },
      close: async () => void (closedDb = true),
    };
    const { logger } = captureLogger('silent');
    const hub = await startHub({ port: 0, db: slow, logger, config: { rateLimit: { enabled: false }, shutdownTimeoutMs: 5_000, shutdownGraceMs: 0 } });
    const bytes = pngBytes();
    const upload = fetch(`${hub.url}/api/v1/evidence/${await sha256Hex(bytes)}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: bytes });
    await inside;
    const closing = hub.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closedDb).toBe(false);
    await expect(fetch(`${hub.url}/healthz`, { headers: { Connection: 'close' } })).rejects.toThrow();
    release();
    expect((await upload).status).toBe(201);
    await closing;
    expect(closedDb).toBe(true);
  }, SETUP_TIMEOUT_MS);
});

describe('configuration', () => {
  it('fills defaults and refuses bad values with one message each', () => {
    expect(resolveConfig({}).rateLimit).toMatchObject({ enabled: true, burst: 120, perSecond: 2 });
    expect(resolveConfig({}).maxImagePixels).toBe(25_000_000);
    try {
      resolveConfig({ limits: { maxJsonBytes: -1 }, logLevel: 'loud' as 'info', corsOrigins: ['https://a.example/path'] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(3);
      expect(problems.join('\n')).toMatch(/limits\.maxJsonBytes: .*\n.*corsOrigins\.0: Use an origin/);
    }
  });

  it('reads a JSON file, with environment and flags over it, and names each bad value by its source', () => {
    const files: Record<string, string> = {
      'hub.json': JSON.stringify({ name: 'Example centre', port: 9000, limits: { maxItems: 5 }, rateLimit: { burst: 10 } }),
      'bad.json': JSON.stringify({ limits: { maxJsonBytes: 'lots' }, colour: 'red' }),
      'broken.json': '{ name: ',
    };
    const read = (path: string) => {
      const text = files[path];
      if (text === undefined) throw new Error('ENOENT');
      return text;
    };
    const parsed = parseCli(['--config', 'hub.json'], { OHR_RATE_LIMIT_BURST: '20', OHR_LOG_LEVEL: 'warn' }, read);
    expect(parsed).toMatchObject({
      kind: 'run',
      options: { port: 9000, config: { name: 'Example centre', limits: { maxItems: 5 }, rateLimit: { burst: 20 }, logLevel: 'warn' } },
    });
    expect(parseCli(['--port', '9100'], { OHR_CONFIG: 'hub.json' }, read)).toMatchObject({ options: { port: 9100 } });

    const bad = parseCli([], { OHR_CONFIG: 'bad.json', OHR_RATE_LIMIT_BURST: 'many', OHR_RATE_LIMIT: 'maybe' }, read);
    expect(bad.kind).toBe('error');
    const message = bad.kind === 'error' ? bad.message : '';
    expect(message).toContain('config file bad.json: limits.maxJsonBytes');
    expect(message).toContain('colour');
    expect(message).toContain('OHR_RATE_LIMIT_BURST="many"');
    expect(message).toContain('OHR_RATE_LIMIT="maybe"');
    expect(() => readConfigFile('broken.json', read)).toThrow(/config file broken\.json: not valid JSON/);
    expect(() => readConfigFile('missing.json', read)).toThrow(/config file missing\.json: cannot be read/);
  });
});
