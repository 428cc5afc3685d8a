/**
 * The background's capture → local draft → send path, with the real draft store (fake-indexeddb), the real
 * protocol client and the real hub app (in-memory database) answering through Hono's in-process fetch.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../../hub/app';
import { handleRequest, type BackgroundDeps } from '../../../lib/background/handlers';
import { CaptureResponse, SendResponse } from '../../../lib/background/messages';
import { DraftStore } from '../../../lib/drafts';
import type { Fetch } from '../../../lib/protocol/client';
import { pngDataUrl } from '../../fixtures/png';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from '../hub/helpers';

const HUB = 'http://hub.test';
let database: TestDatabase;
let app: Hono;

beforeAll(async () => {
  database = await openTestDatabase();
  app = createApp({ db: database.db });
}, SETUP_TIMEOUT_MS);
afterAll(() => database.dispose());

function backgroundWith(overrides: Partial<BackgroundDeps> = {}): BackgroundDeps {
  const store = DraftStore.open(`ohr-test-${crypto.randomUUID()}`);
  return {
    getTab: async () => ({ windowId: 1, active: true, url: 'https://x.com/someone/status/1', title: 'A post on X' }),
    captureVisibleTab: async () => pngDataUrl(320, 200),
    drafts: () => store,
    settings: async () => ({ endpoint: HUB }),
    fetch: ((input, init) => app.request(String(input), init)) as Fetch,
    client: { app: 'ohr-extension', version: '0.1.0' },
    now: () => new Date('2026-11-25T12:00:00Z'),
    newId: () => crypto.randomUUID(),
    ...overrides,
  };
}

async function capture(deps: BackgroundDeps): Promise<string> {
  const captured = CaptureResponse.parse(await handleRequest({ type: 'capture-tab', tabId: 7 }, deps));
  if (!captured.ok) throw new Error(captured.problem.key);
  return captured.draftId;
}

describe('capture and send from the background', () => {
  it('files the report once at the hub, with the screenshot, and keeps the receipt locally', async () => {
    const deps = backgroundWith();
    const draftId = await capture(deps);
    const sent = SendResponse.parse(await handleRequest({ type: 'send-draft', draftId, summary: 'Racist abuse' }, deps));
    if (!sent.ok) throw new Error(JSON.stringify(sent.problem));
    expect(sent.endpoint).toBe(HUB);

    const rows = await database.db.query<{ id: string; url: string; page_title: string; platform: string }>(
      'SELECT r.id, i.url, i.page_title, i.platform FROM reports r JOIN report_items i ON i.reference = r.reference WHERE r.reference = $1',
      [sent.receipt.reference],
    );
    expect(rows).toEqual([{ id: draftId, url: 'https://x.com/someone/status/1', page_title: 'A post on X', platform: 'x' }]);

    const draft = await (await deps.drafts()).get(draftId);
    expect(draft).toMatchObject({ status: 'sent', summary: 'Racist abuse', receipt: { ...sent.receipt, endpoint: HUB } });

    // Sending again answers from the local receipt and files nothing new.
    const again = SendResponse.parse(await handleRequest({ type: 'send-draft', draftId, summary: 'Racist abuse' }, deps));
    expect(again).toEqual(sent);
    const [count] = await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE id = $1', [draftId]);
    expect(count?.n).toBe(1);
  });

  it('keeps the draft unsent and says so in words when the hub cannot be reached', async () => {
    const deps = backgroundWith({ fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
    const draftId = await capture(deps);
    const sent = SendResponse.parse(await handleRequest({ type: 'send-draft', draftId, summary: 'Threats' }, deps));
    expect(sent).toEqual({ ok: false, problem: { key: 'error.network' } });
    expect(await (await deps.drafts()).get(draftId)).toMatchObject({ status: 'draft', summary: 'Threats' });
  });

  it('passes on the hub’s reasons when it refuses the report', async () => {
    const deps = backgroundWith();
    const draftId = await capture(deps);
    const tooLong = 'x'.repeat(5_001);
    const refused = await handleRequest({ type: 'send-draft', draftId, summary: tooLong }, deps);
    // The message schema stops it before the hub: the summary cap is the shared one.
    expect(refused).toEqual({ ok: false, problem: { key: 'error.invalidMessage' } });

    const hubRefuses = backgroundWith({
      fetch: (async (input, init) =>
        String(input).endsWith('/api/v1/reports')
          ? Response.json({ error: { code: 'invalid_report', message: 'The report is not valid', fields: [{ path: 'incident.summary', message: 'Too long' }] } }, { status: 422 })
          : app.request(String(input), init)) as Fetch,
    });
    const secondId = await capture(hubRefuses);
    const sent = SendResponse.parse(await handleRequest({ type: 'send-draft', draftId: secondId, summary: 'Abuse' }, hubRefuses));
    expect(sent).toEqual({
      ok: false,
      problem: { key: 'error.server', values: { message: 'The report is not valid' }, details: [{ path: 'incident.summary', message: 'Too long' }] },
    });
  });

  it('answers a malformed message with a problem, not an exception', async () => {
    const deps = backgroundWith();
    for (const message of [null, {}, { type: 'capture-tab' }, { type: 'send-draft', draftId: 'nope', summary: 'x' }, { type: 'delete-everything' }]) {
      expect(await handleRequest(message, deps)).toEqual({ ok: false, problem: { key: 'error.invalidMessage' } });
    }
  });

  it('explains a page that cannot be captured and saves nothing', async () => {
    const deps = backgroundWith({ getTab: async () => ({ windowId: 1, active: true, url: 'chrome://extensions' }) });
    expect(await handleRequest({ type: 'capture-tab', tabId: 7 }, deps)).toEqual({ ok: false, problem: { key: 'error.restrictedPage' } });
    expect(await (await deps.drafts()).list()).toEqual([]);
  });
});
