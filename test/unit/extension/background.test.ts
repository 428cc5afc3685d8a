/**
 * The background's requests end to end below the browser: capture → draft → queue → send, with the real local
 * store (fake-indexeddb), the real protocol client and the real hub app answering through Hono's in-process fetch.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../../hub/app';
import { createBackground, type BackgroundDeps } from '../../../extension/background/handlers';
import { CaptureResponse, DoneResponse, EntriesResponse, LookupResponse } from '../../../extension/messages';
import type { Fetch } from '../../../lib/protocol/client';
import { openOhrDatabase } from '../../../extension/db';
import { pngDataUrl } from '../../fixtures/png';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from '../hub/helpers';

const HUB = 'http://hub.test';
let database: TestDatabase;
let app: Hono;
const hubFetch = ((input, init) => app.request(String(input), init)) as Fetch;

beforeAll(async () => {
  database = await openTestDatabase();
  app = createApp({ db: database.db });
}, SETUP_TIMEOUT_MS);
afterAll(() => database.dispose());

function backgroundWith(overrides: Partial<BackgroundDeps> = {}) {
  const db = openOhrDatabase(`ohr-test-${crypto.randomUUID()}`);
  const wakes: Array<number | undefined> = [];
  const deps: BackgroundDeps = {
    getTab: async () => ({ windowId: 1, active: true, url: 'https://x.com/someone/status/1', title: 'A post on X' }),
    captureVisibleTab: async () => pngDataUrl(320, 200),
    database: () => db,
    fetch: hubFetch,
    client: { app: 'ohr-extension', version: '0.1.0' },
    browser: 'Chromium 140',
    now: () => new Date(),
    newId: () => crypto.randomUUID(),
    scheduleWake: (at) => void wakes.push(at),
    ...overrides,
  };
  return { background: createBackground(deps), wakes, deps };
}

async function capture(background: ReturnType<typeof createBackground>): Promise<string> {
  const captured = CaptureResponse.parse(await background.handle({ type: 'capture-tab', tabId: 7 }));
  if (!captured.ok) throw new Error(captured.problem.key);
  return captured.draftId;
}

async function entryOf(background: ReturnType<typeof createBackground>, id: string) {
  const listed = EntriesResponse.parse(await background.handle({ type: 'list-reports' }));
  if (!listed.ok) throw new Error(listed.problem.key);
  return listed.entries.find((entry) => entry.draft.id === id);
}

describe('background', () => {
  it('captures, queues and files the report once at the hub, and keeps the receipt', async () => {
    const { background } = backgroundWith();
    const draftId = await capture(background);
    expect(await background.handle({ type: 'send-draft', draftId, summary: 'Racist abuse', endpoints: [HUB] })).toEqual({ ok: true });
    await background.kick();

    const entry = await entryOf(background, draftId);
    expect(entry?.draft).toMatchObject({ status: 'queued', summary: 'Racist abuse' });
    expect(entry?.deliveries).toEqual([expect.objectContaining({ endpoint: HUB, status: 'sent', receipt: expect.objectContaining({ reference: expect.any(String) }) })]);
    const reference = entry!.deliveries[0]!.receipt!.reference;
    const rows = await database.db.query<{ id: string; url: string; page_title: string; platform: string }>(
      'SELECT r.id, i.url, i.page_title, i.platform FROM reports r JOIN report_items i ON i.reference = r.reference WHERE r.reference = $1',
      [reference],
    );
    expect(rows).toEqual([{ id: expect.any(String), url: 'https://x.com/someone/status/1', page_title: 'A post on X', platform: 'x' }]);
    // The organisation's copy has an id of its own: the draft's id never leaves this computer.
    expect(rows[0]!.id).not.toBe(draftId);

    // Sending the same draft again changes nothing: it is frozen and already delivered.
    const filed = async () => (await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports'))[0]!.n;
    const before = await filed();
    await background.handle({ type: 'send-draft', draftId, summary: 'Changed later', endpoints: [HUB] });
    await background.kick();
    expect(await filed()).toBe(before);
    expect((await entryOf(background, draftId))?.draft.summary).toBe('Racist abuse');
  });

  it('with "keep nothing" on, forgets a report once every organisation has it, and not before', async () => {
    let online = false;
    const { background } = backgroundWith({
      fetch: (async (input, init) => (online ? hubFetch(input, init) : Promise.reject(new TypeError('Failed to fetch')))) as Fetch,
      outboxConfig: { leaseMs: 60_000, baseDelayMs: 1, maxDelayMs: 1 },
      loadSettings: async () => ({ endpoints: [], keepNothingAfterSend: true }),
    });
    const draftId = await capture(background);
    await background.handle({ type: 'send-draft', draftId, summary: 'Kept until delivered', endpoints: [HUB] });
    await background.kick();
    expect((await entryOf(background, draftId))?.deliveries[0]?.status).toBe('queued');

    online = true;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await background.kick();
    expect(await entryOf(background, draftId)).toBeUndefined();
    expect(await database.db.query("SELECT 1 FROM reports WHERE body->'incident'->>'summary' = $1", ['Kept until delivered'])).toHaveLength(1);
  });

  it('keeps the report queued while the hub is unreachable and asks to be woken to retry', async () => {
    let online = false;
    const { background, wakes } = backgroundWith({
      fetch: (async (input, init) => (online ? hubFetch(input, init) : Promise.reject(new TypeError('Failed to fetch')))) as Fetch,
      outboxConfig: { leaseMs: 60_000, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const draftId = await capture(background);
    await background.handle({ type: 'send-draft', draftId, summary: 'Threats', endpoints: [HUB] });
    await background.kick();
    expect((await entryOf(background, draftId))?.deliveries[0]).toMatchObject({ status: 'queued', lastError: { message: 'Failed to fetch' } });
    expect(wakes.at(-1)).toEqual(expect.any(Number));

    online = true;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await background.handle({ type: 'kick-outbox' })).toEqual({ ok: true });
    await background.kick();
    expect((await entryOf(background, draftId))?.deliveries[0]?.status).toBe('sent');
    expect(wakes.at(-1)).toBeUndefined();
  });

  it('reads the status the organisation sets, and withdraws on request', async () => {
    const { background } = backgroundWith();
    const draftId = await capture(background);
    await background.handle({ type: 'send-draft', draftId, summary: 'Abuse', endpoints: [HUB] });
    await background.kick();
    const reference = (await entryOf(background, draftId))!.deliveries[0]!.receipt!.reference;
    await database.db.query("UPDATE reports SET status = 'in_review', public_note = 'We are looking at it' WHERE reference = $1", [reference]);

    await background.handle({ type: 'check-status', reportId: draftId });
    expect((await entryOf(background, draftId))?.deliveries[0]?.remote).toMatchObject({ status: 'in_review', publicNote: 'We are looking at it' });

    expect(await background.handle({ type: 'withdraw', reportId: draftId, endpoint: HUB })).toEqual({ ok: true });
    expect((await entryOf(background, draftId))?.deliveries[0]).toMatchObject({ status: 'withdrawn', remote: { outcome: 'withdrawn' } });
  });

  it('looks up an endpoint’s discovery document and explains a bad address', async () => {
    const { background, deps } = backgroundWith();
    const found = LookupResponse.parse(await background.handle({ type: 'lookup-endpoint', url: ' http://hub.test/ ' }));
    expect(found).toMatchObject({ ok: true, url: HUB, discovery: { protocol: 'ohr/1' } });
    for (const url of ['ftp://hub.test', 'hub.test', 'https://user:pw@hub.test']) {
      expect(await background.handle({ type: 'lookup-endpoint', url })).toEqual({ ok: false, problem: { key: 'error.invalidEndpoint' } });
    }
    const notOhr = createBackground({ ...deps, fetch: (async () => Response.json({ hello: 'world' })) as Fetch });
    expect(await notOhr.handle({ type: 'lookup-endpoint', url: HUB })).toMatchObject({ ok: false, problem: { key: 'error.server' } });
  });

  it('answers malformed messages with a problem, not an exception, and saves nothing for a browser page', async () => {
    const { background } = backgroundWith({ getTab: async () => ({ windowId: 1, active: true, url: 'chrome://extensions' }) });
    for (const message of [null, {}, { type: 'capture-tab' }, { type: 'send-draft', draftId: 'nope', summary: 'x', endpoints: [HUB] }, { type: 'send-draft', draftId: crypto.randomUUID(), summary: 'x', endpoints: [] }, { type: 'delete-everything' }]) {
      expect(await background.handle(message)).toEqual({ ok: false, problem: { key: 'error.invalidMessage' } });
    }
    expect(await background.handle({ type: 'capture-tab', tabId: 7 })).toEqual({ ok: false, problem: { key: 'error.restrictedPage' } });
    expect(EntriesResponse.parse(await background.handle({ type: 'list-reports' }))).toEqual({ ok: true, entries: [] });
    expect(DoneResponse.parse(await background.handle({ type: 'send-draft', draftId: crypto.randomUUID(), summary: 'x', endpoints: [HUB] }))).toEqual({
      ok: false,
      problem: { key: 'error.draftMissing' },
    });
  });
});
