/**
 * The widget's outbox against the real hub (in process, real database): a report is delivered once however often the
 * outbox is drained, a failing hub leaves it waiting for the Retry-After it asked for, a refusal stops it with the
 * hub's field errors, and a 409 missing_evidence makes it upload the evidence again. It keeps as little as it can:
 * nothing reaches IndexedDB unless the person keeps a waiting report, and once sent only the receipt is left.
 * IndexedDB is fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import type { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Discovery } from '../../../lib/schema';
import { write } from '../../../widget/answers';
import { backoffMs } from '../../../lib/protocol/retry';
import { drain, entries, keep, save, type Entry } from '../../../widget/outbox';
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
  const entry: Entry = { id: crypto.randomUUID(), routes, createdAt: new Date().toISOString(), answers, items, attempt: 0, notBefore: 0, leaseUntil: 0 };
  await save(entry);
  return entry;
}

/** The names of this origin's IndexedDB databases. */
const databases = async () => (await indexedDB.databases()).map((info) => info.name);

/** What the widget's database holds, read past the widget. */
async function inDatabase(): Promise<Entry[]> {
  const request = indexedDB.open('ohr-widget');
  await new Promise((resolve) => (request.onsuccess = resolve));
  const read = request.result.transaction('outbox').objectStore('outbox').getAll();
  await new Promise((resolve) => (read.onsuccess = resolve));
  request.result.close();
  return read.result as Entry[];
}

const stored = async (id: string) => (await entries(routes.submitUrl)).find((entry) => entry.id === id)!;
const filed = (id: string) => database.db.query<{ reference: string }>('SELECT reference FROM reports WHERE id = $1', [id]);

describe('widget outbox', () => {
  it('delivers evidence then the report from memory, files it once however often it drains, and keeps only the receipt', async () => {
    hubFetch();
    const entry = await queued('Delivered once');
    await drain(routes.submitUrl);
    await drain(routes.submitUrl);
    const sent = await stored(entry.id);
    expect(sent.receipt?.reference).toMatch(/^OHR-/);
    expect(await filed(entry.id)).toEqual([{ reference: sent.receipt!.reference }]);
    expect(calls.filter((call) => !call.startsWith('GET'))).toEqual(['PUT /api/v1/evidence', 'POST /api/v1/reports']);
    // Nothing of what the person wrote or chose is left, and nothing was ever written to the site's storage.
    expect(sent).toMatchObject({ answers: {}, items: [] });
    expect(await databases()).not.toContain('ohr-widget');
  });

  it('keeps a waiting report in IndexedDB only when the person chooses to, and drops all but the receipt once sent', async () => {
    hubFetch(() => new Response('{}', { status: 503 }));
    const entry = await queued('Kept while the hub is down');
    await drain(routes.submitUrl);
    expect(await databases()).not.toContain('ohr-widget');
    const waiting = await stored(entry.id);
    expect(await keep(waiting)).toBe(true);
    expect(await inDatabase()).toEqual([expect.objectContaining({ id: entry.id, keep: true, answers: entry.answers })]);
    expect((await entries(routes.submitUrl)).filter((each) => each.id === entry.id)).toHaveLength(1);

    hubFetch();
    await save({ ...(await stored(entry.id)), notBefore: 0 });
    await drain(routes.submitUrl);
    const [sent] = await inDatabase();
    expect(sent).toMatchObject({ id: entry.id, answers: {}, items: [], receipt: { reference: (await filed(entry.id))[0]?.reference } });
    expect(JSON.stringify(sent)).not.toContain('Kept while the hub is down');
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

  it('sends on a report an older version kept in IndexedDB, as it was built, and then drops it', async () => {
    hubFetch(() => new Response('{}', { status: 503 }));
    await drain(routes.submitUrl); // so that the database exists, as it did for every report before issue 16
    const id = crypto.randomUUID();
    const answers = write({}, 'incident.summary', 'Kept by the old widget');
    const legacy = { id, routes, report: buildReport(id, answers, [{ url: 'https://example.org/old', uploads: [] }], '2025-01-02T03:04:05.000Z'), answers, items: [], attempt: 1, notBefore: 0, leaseUntil: 0 };
    const request = indexedDB.open('ohr-widget');
    await new Promise((resolve) => (request.onsuccess = resolve));
    const put = request.result.transaction('outbox', 'readwrite').objectStore('outbox').put(legacy);
    await new Promise((resolve) => (put.onsuccess = resolve));
    request.result.close();

    hubFetch();
    expect((await stored(id)).createdAt).toBe('2025-01-02T03:04:05.000Z');
    await drain(routes.submitUrl);
    const [row] = await database.db.query<{ body: { createdAt: string; items: Array<{ url: string }> } }>('SELECT body FROM reports WHERE id = $1', [id]);
    expect(row?.body).toMatchObject({ createdAt: '2025-01-02T03:04:05.000Z', items: [{ url: 'https://example.org/old' }] });
    const sent = (await inDatabase()).find((entry) => entry.id === id);
    expect(sent).toMatchObject({ answers: {}, items: [], receipt: { reference: expect.stringMatching(/^OHR-/) } });
    expect(sent?.report).toBeUndefined();
  });

  it('stops on a refusal and keeps the hub’s field errors for the form', async () => {
    hubFetch();
    // A summary over the schema's cap, which the form would not let through: the hub's 422 names the field.
    const entry = await queued('x'.repeat(20_001));
    await drain(routes.submitUrl);
    const refused = await stored(entry.id);
    expect(refused.problem?.fields).toEqual([{ path: 'incident.summary', message: expect.any(String) }]);
    expect(refused.answers).toEqual(entry.answers);
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
    const bytes = pngBytes();
    const items: WidgetItem[] = [{ url: 'https://example.org/kept', uploads: [{ name: 'a.png', sha256: await sha256Hex(bytes), mediaType: 'image/png', blob: new Blob([bytes]) }] }];
    const answers = write({}, 'incident.summary', 'Kept in memory');
    const id = crypto.randomUUID();
    const entry: Entry = { id, routes, createdAt: new Date().toISOString(), answers, items, attempt: 0, notBefore: 0, leaseUntil: 0 };
    await refused.save(entry);
    // Asked to keep it, the browser refuses: the person is told (`cannotKeep`), and it stays in memory.
    expect(await refused.keep(entry)).toBe(false);
    expect((await refused.entries(routes.submitUrl)).map((each) => each.id)).toEqual([id]);
    await refused.drain(routes.submitUrl);
    await refused.drain(routes.submitUrl);
    const [sent] = await refused.entries(routes.submitUrl);
    expect(sent?.receipt?.reference).toMatch(/^OHR-/);
    expect(await filed(id)).toEqual([{ reference: sent!.receipt!.reference }]);
  });
});
