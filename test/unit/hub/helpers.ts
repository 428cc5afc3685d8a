/**
 * Shared set-up for the hub tests: a real database (PGlite in memory, or a fresh schema on the PostgreSQL server named
 * by DATABASE_URL, dropped afterwards so runs never collide) and small request helpers over Hono's in-process fetch.
 */
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { pino, type LevelWithSilent, type Logger } from 'pino';
import { createApp, type AppOptions } from '../../../hub/app';
import type { HubConfigInput } from '../../../hub/config';
import { assertMatchesContract } from './contract';
import { sha256Hex } from '../../../lib/hash';
import type { Report } from '../../../lib/schema';
import { openDatabase, type Database } from '../../../hub/db';

/** PGlite boots a whole PostgreSQL in WASM: seconds, more when several test files start at once. */
export const SETUP_TIMEOUT_MS = 60_000;

export interface TestDatabase {
  db: Database;
  dispose(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const db = await openDatabase({});
    return { db, dispose: () => db.close() };
  }
  const schema = `ohr_test_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase({ databaseUrl, schema });
  return {
    db,
    async dispose() {
      await db.query(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    },
  };
}

/**
 * Bytes that pass as a PNG (signature, then an IHDR header with the given size; the pixels are not decoded), different
 * every call so each test has its own hash.
 */
export function pngBytes(size = 256, width = 64, height = 48): Uint8Array<ArrayBuffer> {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.max(size, 33)));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return bytes;
}

export function putEvidence(app: Hono, bytes: Uint8Array<ArrayBuffer>, sha256: string, contentType = 'image/png', headers: Record<string, string> = {}) {
  return app.request(`/api/v1/evidence/${sha256}`, { method: 'PUT', headers: { 'Content-Type': contentType, ...headers }, body: bytes });
}

/** Uploads a fresh PNG and returns its hash, for reports that need evidence present. */
export async function uploadPng(app: Hono): Promise<{ sha256: string; bytes: Uint8Array<ArrayBuffer> }> {
  const bytes = pngBytes();
  const sha256 = await sha256Hex(bytes);
  const response = await putEvidence(app, bytes, sha256);
  if (response.status !== 201) throw new Error(`evidence upload failed: ${response.status}`);
  return { sha256, bytes };
}

/** The report's first evidence entry made to describe `bytes` truthfully. */
export function describing(report: Report, sha256: string, bytes: Uint8Array): Report {
  const [item] = report.items;
  if (!item) throw new Error('sample report has no item');
  return { ...report, items: [{ ...item, evidence: [{ sha256, mediaType: 'image/png', bytes: bytes.byteLength, kind: 'screenshot' }] }] };
}

export function postReport(app: Hono, body: unknown, key: string | undefined, headers: Record<string, string> = {}) {
  return app.request('/api/v1/reports', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key === undefined ? {} : { 'Idempotency-Key': key }), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** A pino logger whose lines land in `lines`, parsed, so tests can check what is (and is not) logged. */
export function captureLogger(level: LevelWithSilent = 'debug'): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/**
 * Rate limiting off: in-process requests all come from one unknown address, and these tests are not about limits. The
 * console's sign-in limits (always on) are counted per app, in memory, even on PostgreSQL: apps of one test file share
 * a schema, and would otherwise share sign-in counts as processes of one hub do (shared-limits.test.ts tests that).
 */
export const UNLIMITED: HubConfigInput = { rateLimit: { enabled: false, store: 'memory' } };

/**
 * The hub app with every response checked against the OpenAPI document (the contract test's other half): a documented
 * route answering with an undocumented status, or a body its schema refuses, fails the test that made the request.
 */
export function createTestApp(options: AppOptions): Hono {
  const app = createApp({ ...options, config: { ...UNLIMITED, ...options.config } });
  return checkedAgainstContract(app);
}

export function checkedAgainstContract(app: Hono): Hono {
  const original = app.request.bind(app);
  app.request = (async (...args: Parameters<Hono['request']>) => {
    const response = await original(...args);
    const [input, init] = args;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toLowerCase();
    const url = new URL(input instanceof Request ? input.url : String(input), 'http://localhost');
    await assertMatchesContract(method, url.pathname, response.clone());
    return response;
  }) as Hono['request'];
  return app;
}
