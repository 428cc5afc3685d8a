/**
 * The widget's outbox against the real hub (in process, real database): a report is delivered once however often the
 * outbox is drained, a failing hub leaves it waiting for the Retry-After it asked for, a refusal stops it with the
 * hub's field errors, and a 409 missing_evidence makes it upload the evidence again. IndexedDB is fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import type { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Discovery } from '../../../lib/schema';
import { write } from '../../../widget/answers';
import { backoffMs } from '../../../lib/protocol/retry';
import { drain, entries, save, type Entry } from '../../../widget/outbox';
import { buildReport, type WidgetItem } from '../../../widget/report';
import { createTestApp, openTestDatabase, pngBytes, SETUP_TIMEOUT_MS, type TestDatabase } from '../hub/helpers';
import { sha256Hex } from '../../../lib/hash';

let database: TestDatabase;
let app: Hono;
let routes: Entry['routes'];
const calls: string[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  app = createTestApp({ db: database.db });
  const discovery = (await (await app.request('http://hub.test/.well-known/ohr')).json()) as Discovery;
  routes = { submitUrl: discovery.submitUrl, evidenceUrl: discovery.evidenceUrl, statusUrl: discovery.statusUrl };
}, SETUP_TIMEOUT_MS);
afterAll(() => database.dispose());
afterEach(() => {
  vi.unstubAllGlobals();
  calls.length = 0;
});

/** The browser's fetch, answered by the hub; `intercept` may answer instead. */
function hubFetch(intercept?: (method: string, url: string) => Response | undefined) {
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    calls.push(`${method} ${new URL(url).pathname.split('/').slice(0, 4).join('/')}`);
    return intercept?.(method, url) ?? app.request(url, init);
  });
}

async function queued(summary: string): Promise<Entry> {
  const bytes = pngBytes();
  const items: WidgetItem[] = [
    { url: 'https://example.org/post', uploads: [{ name: 'a.png', sha256: await sha256Hex(bytes), mediaType: 'image/png', blob: new Blob([bytes]) }] },
  ];
  const answers = write({}, 'incident.summary', summary);
  const id = crypto.randomUUID();
  const entry: Entry = { id, routes, report: buildReport(id, answers, items), answers, items, attempt: 0, notBefore: 0, leaseUntil: 0 };
  await save(entry);
  return entry;
}

const stored = async (id: string) => (await entries(routes.submitUrl)).find((entry) => entry.id === id)!;
const filed = (id: string) => database.db.query<{ reference: string }>('SELECT reference FROM reports WHERE id = $1', [id]);

describe('widget outbox', () => {
  it('delivers evidence then the report, keeps the receipt, and files it once however often it drains', async () => {
    hubFetch();
    const entry = await queued('Delivered once');
    await drain(routes.submitUrl);
    await drain(routes.submitUrl);
    const receipt = (await stored(entry.id)).receipt;
    expect(receipt?.reference).toMatch(/^OHR-/);
    expect(await filed(entry.id)).toEqual([{ reference: receipt!.reference }]);
    expect(calls.filter((call) => !call.startsWith('GET'))).toEqual(['PUT /api/v1/evidence', 'POST /api/v1/reports']);
  });

  it('waits for the Retry-After of a busy hub, then sends with the same id', async () => {
    hubFetch((method) => (method === 'POST' ? new Response('{}', { status: 503, headers: { 'Retry-After': '30' } }) : undefined));
    const entry = await queued('Busy hub');
    const before = Date.now();
    await drain(routes.submitUrl);
    const waiting = await stored(entry.id);
    expect(waiting).toMatchObject({ attempt: 1, leaseUntil: 0 });
    expect(waiting.notBefore).toBeGreaterThanOrEqual(before + 30_000);
    expect(await filed(entry.id)).toEqual([]);

    hubFetch();
    await drain(routes.submitUrl);
    expect((await stored(entry.id)).receipt).toBeUndefined();
    await save({ ...waiting, notBefore: 0 });
    await drain(routes.submitUrl);
    expect((await stored(entry.id)).receipt?.reference).toBe((await filed(entry.id))[0]?.reference);
  });

  it('stops on a refusal and keeps the hub’s field errors for the form', async () => {
    hubFetch();
    const entry = await queued('Refused');
    await save({ ...entry, report: { ...entry.report, reporter: { ...entry.report.reporter, email: 'someone@example.org' } } });
    await drain(routes.submitUrl);
    const refused = await stored(entry.id);
    expect(refused.problem?.fields).toEqual([{ path: 'reporter.email', message: 'An anonymous report cannot include contact details' }]);
    calls.length = 0;
    await drain(routes.submitUrl);
    expect(calls.filter((call) => call.startsWith('POST'))).toEqual([]);
  });

  it('uploads again what a 409 missing_evidence names', async () => {
    let swallowed = false;
    hubFetch((method) => {
      if (method !== 'PUT' || swallowed) return undefined;
      swallowed = true;
      return new Response('{}', { status: 201 });
    });
    const entry = await queued('Evidence lost on the way');
    await drain(routes.submitUrl);
    expect((await stored(entry.id)).receipt).toBeDefined();
    expect(calls.filter((call) => !call.startsWith('GET'))).toEqual(['PUT /api/v1/evidence', 'POST /api/v1/reports', 'PUT /api/v1/evidence', 'POST /api/v1/reports']);
  });

  it('backs off with full jitter, capped, and never sooner than Retry-After', () => {
    expect(backoffMs(0, 0, () => 0.999)).toBeLessThan(2_000);
    expect(backoffMs(3, 0, () => 0.5)).toBe(8_000);
    expect(backoffMs(30, 0, () => 0.999)).toBeLessThanOrEqual(300_000);
    expect(backoffMs(0, 60_000, () => 0.5)).toBe(60_000);
    expect(backoffMs(5, 0, () => 0)).toBe(0);
  });

  it('where the browser refuses storage, keeps the report in memory, says so, and still delivers it once', async () => {
    // A page whose origin is opaque, or whose site data is blocked: IndexedDB's open throws.
    vi.stubGlobal('indexedDB', { open: () => { throw new DOMException('The user denied permission to access the database.', 'SecurityError'); } });
    vi.resetModules();
    const refused = await import('../../../widget/outbox');
    hubFetch();
    expect(await refused.inMemory()).toBe(true);
    const bytes = pngBytes();
    const items: WidgetItem[] = [{ url: 'https://example.org/kept', uploads: [{ name: 'a.png', sha256: await sha256Hex(bytes), mediaType: 'image/png', blob: new Blob([bytes]) }] }];
    const answers = write({}, 'incident.summary', 'Kept in memory');
    const id = crypto.randomUUID();
    await refused.save({ id, routes, report: buildReport(id, answers, items), answers, items, attempt: 0, notBefore: 0, leaseUntil: 0 });
    expect((await refused.entries(routes.submitUrl)).map((entry) => entry.id)).toEqual([id]);
    await refused.drain(routes.submitUrl);
    await refused.drain(routes.submitUrl);
    const [entry] = await refused.entries(routes.submitUrl);
    expect(entry?.receipt?.reference).toMatch(/^OHR-/);
    expect(await filed(id)).toEqual([{ reference: entry!.receipt!.reference }]);
  });
});
