/**
 * The outbox state machine against the real hub app (in-memory database, through Hono's in-process fetch) with
 * fake-indexeddb and a fake clock. "Crash" means: the worker's memory is gone, the database is not.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../../hub/app';
import { drain, Outbox, type Claim, type OutboxConfig } from '../../../extension/outbox';
import { sendReport, type Fetch, type Result } from '../../../lib/protocol/client';
import { PATHS, type Receipt, type Report } from '../../../lib/schema';
import { NEVER, openOhrDatabase, type OhrDatabase } from '../../../extension/db';
import { sha256Hex } from '../../../lib/hash';
import { makePng } from '../../fixtures/png';
import { sampleReport } from '../../fixtures/report';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from '../hub/helpers';

const HUB = 'http://hub.test';
const CONFIG: OutboxConfig = { leaseMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 60_000 };
let hubDatabase: TestDatabase;
let app: Hono;
const hubFetch = ((input, init) => app.request(String(input), init)) as Fetch;

beforeAll(async () => {
  hubDatabase = await openTestDatabase();
  app = createApp({ db: hubDatabase.db });
}, SETUP_TIMEOUT_MS);
afterAll(() => hubDatabase.dispose());

let dbName: string;
let clock: { t: number; now(): number };
beforeEach(() => {
  dbName = `ohr-outbox-${crypto.randomUUID()}`;
  clock = { t: Date.parse('2026-11-25T12:00:00Z'), now: () => clock.t };
});

/** A fresh worker: its own connection and Outbox over the same stored data. */
async function worker(random = () => 0.5): Promise<{ db: OhrDatabase; outbox: Outbox }> {
  const db = await openOhrDatabase(dbName);
  return { db, outbox: new Outbox(db, clock, CONFIG, random) };
}

/** A report with one real screenshot, stored as the capture step would store it. */
async function capturedReport(db: OhrDatabase): Promise<Report> {
  const bytes = makePng(8 + Math.floor(Math.random() * 50), 8);
  const sha256 = await sha256Hex(bytes);
  const report = sampleReport({}, sha256);
  report.items[0]!.evidence[0]!.bytes = bytes.byteLength;
  delete report.items[0]!.evidence[0]!.width;
  delete report.items[0]!.evidence[0]!.height;
  await db.put('artefacts', { sha256, mediaType: 'image/png', bytes });
  return report;
}

/** Queues `report` for each endpoint as it is (the background gives each its own signed copy; see background.test.ts). */
function queue(outbox: Outbox, report: Report, endpoints: string[]): Promise<void> {
  return outbox.enqueue(report.id, report, endpoints.map((endpoint) => ({ endpoint, report })));
}

const send = (claim: Claim, fetchFn: Fetch = hubFetch): Promise<Result<Receipt>> =>
  sendReport(claim.delivery.endpoint, claim.report, claim.artefacts, { fetch: fetchFn });

async function reportsAtHub(id: string): Promise<{ reference: string }[]> {
  return hubDatabase.db.query<{ reference: string }>('SELECT reference FROM reports WHERE id = $1', [id]);
}

describe('Outbox', () => {
  it('sends a queued report once and keeps the receipt', async () => {
    const { db, outbox } = await worker();
    const report = await capturedReport(db);
    await queue(outbox, report, [HUB]);
    expect(await drain(outbox, (claim) => send(claim))).toEqual({ sent: 1, failed: 0 });
    const [delivery] = await outbox.deliveriesOf(report.id);
    const [atHub] = await reportsAtHub(report.id);
    expect(delivery).toMatchObject({ status: 'sent', attempts: 1, nextAttemptAt: NEVER, receipt: { reference: atHub!.reference } });
    expect(delivery!.lease).toBeUndefined();
    expect(await outbox.claim()).toBeUndefined();
  });

  it('sends each destination the copy frozen for it, and only that, at every attempt', async () => {
    const { db, outbox } = await worker();
    const report = await capturedReport(db);
    const copies = ['http://a.test', 'http://b.test'].map((endpoint) => ({ endpoint, report: { ...report, id: crypto.randomUUID() } }));
    await outbox.enqueue(report.id, { ...report, id: crypto.randomUUID() }, copies);
    // Enqueuing again (the person sends the same draft twice) keeps the copies already frozen.
    await outbox.enqueue(report.id, report, copies.map(({ endpoint }) => ({ endpoint, report })));
    const posted: Array<{ endpoint: string; body: string; key: string | null }> = [];
    const recording = (endpoint: string) => (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).split("?")[0]!.endsWith(PATHS.reports)) posted.push({ endpoint, body: String(init?.body), key: new Headers(init?.headers).get('Idempotency-Key') });
      return String(input).split("?")[0]!.endsWith(PATHS.reports) && posted.length <= 2 ? Promise.reject(new TypeError('fetch failed')) : hubFetch(input, init);
    }) as Fetch;
    await drain(outbox, (claim) => send(claim, recording(claim.delivery.endpoint)));
    clock.t += CONFIG.maxDelayMs;
    await drain(outbox, (claim) => send(claim, recording(claim.delivery.endpoint)));
    expect(posted).toHaveLength(4);
    for (const { endpoint, report: copy } of copies) {
      const sent = posted.filter((post) => post.endpoint === endpoint);
      expect(sent.map((post) => post.body)).toEqual([JSON.stringify(copy), JSON.stringify(copy)]);
      expect(sent.map((post) => post.key)).toEqual([copy.id, copy.id]);
      expect(await reportsAtHub(copy.id)).toHaveLength(1);
    }
    expect(await reportsAtHub(report.id)).toEqual([]);
  });

  it('still sends a delivery queued before copies were per destination, as the report kept under the draft’s id', async () => {
    const { db, outbox } = await worker();
    const report = await capturedReport(db);
    const stamp = new Date(clock.t).toISOString();
    await db.put('reports', { id: report.id, report, queuedAt: stamp });
    await db.put('deliveries', { reportId: report.id, endpoint: HUB, status: 'queued', attempts: 0, nextAttemptAt: clock.t, createdAt: stamp, updatedAt: stamp });
    expect(await drain(outbox, (claim) => send(claim))).toEqual({ sent: 1, failed: 0 });
    expect(await reportsAtHub(report.id)).toHaveLength(1);
  });

  it('keeps one delivery per destination, each with its own status', async () => {
    const { db, outbox } = await worker();
    const report = await capturedReport(db);
    await queue(outbox, report, [HUB, 'http://down.test', HUB]);
    const offline = (async () => Promise.reject(new TypeError('fetch failed'))) as Fetch;
    await drain(outbox, (claim) => send(claim, claim.delivery.endpoint === HUB ? hubFetch : offline));
    const statuses = Object.fromEntries((await outbox.deliveriesOf(report.id)).map((delivery) => [delivery.endpoint, delivery.status]));
    expect(statuses).toEqual({ [HUB]: 'sent', 'http://down.test': 'queued' });
  });

  it('backs off with full jitter, honours Retry-After, and waits until due', async () => {
    const { db, outbox } = await worker(() => 0.999);
    const report = await capturedReport(db);
    await queue(outbox, report, [HUB]);
    const busy = (async () => Response.json({ error: { code: 'internal', message: 'Busy' } }, { status: 503 })) as Fetch;
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      const claim = await outbox.claim();
      expect(claim?.delivery.attempts).toBe(attempt);
      await outbox.release(claim!, (await send(claim!, busy)).ok ? never() : { kind: 'retry', status: 503, message: 'Busy' });
      const [delivery] = await outbox.deliveriesOf(report.id);
      delays.push(delivery!.nextAttemptAt - clock.t);
      expect(await outbox.claim()).toBeUndefined();
      clock.t = delivery!.nextAttemptAt;
    }
    // random() ≈ 1 shows the ceiling: 1 s, 2 s, 4 s … capped at 60 s.
    expect(delays.map((delay) => Math.round(delay / 1000))).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);

    const claim = await outbox.claim();
    await outbox.release(claim!, { kind: 'retry', status: 429, message: 'Slow down', retryAfterSeconds: 120 });
    const [delivery] = await outbox.deliveriesOf(report.id);
    expect(delivery!.nextAttemptAt - clock.t).toBe(120_000);
    expect(delivery!.lastError).toMatchObject({ message: 'Slow down', status: 429 });

    // A Retry-After of a day is not allowed to park a victim's report: it is capped at four times the longest backoff.
    clock.t = delivery!.nextAttemptAt;
    const again = await outbox.claim();
    await outbox.release(again!, { kind: 'retry', status: 503, message: 'Maintenance', retryAfterSeconds: 86_400 });
    expect((await outbox.deliveriesOf(report.id))[0]!.nextAttemptAt - clock.t).toBe(4 * CONFIG.maxDelayMs);
  });

  it('stops on a refusal and shows the endpoint’s words; "retry now" queues it again', async () => {
    const { db, outbox } = await worker();
    const report = await capturedReport(db);
    await queue(outbox, report, [HUB]);
    const refusing = (async (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).split("?")[0]!.endsWith(PATHS.reports)
        ? Response.json({ error: { code: 'invalid_report', message: 'The report is not valid', fields: [{ path: 'incident.summary', message: 'Too short' }] } }, { status: 422 })
        : hubFetch(input, init)) as Fetch;
    await drain(outbox, (claim) => send(claim, refusing));
    const [stopped] = await outbox.deliveriesOf(report.id);
    expect(stopped).toMatchObject({
      status: 'needs_attention',
      nextAttemptAt: NEVER,
      lastError: { message: 'The report is not valid', status: 422, fields: [{ path: 'incident.summary', message: 'Too short' }] },
    });
    expect(await outbox.claim()).toBeUndefined();
    await outbox.retryNow(report.id);
    expect(await drain(outbox, (claim) => send(claim))).toEqual({ sent: 1, failed: 0 });
  });

  it('takes back a delivery whose worker died, after its lease or at the next worker start', async () => {
    const first = await worker();
    const report = await capturedReport(first.db);
    await queue(first.outbox, report, [HUB]);
    const held = await first.outbox.claim();
    expect(held).toBeDefined();
    first.db.close();

    const second = await worker();
    expect(await second.outbox.claim()).toBeUndefined();
    clock.t += CONFIG.leaseMs;
    const retaken = await second.outbox.claim();
    expect(retaken?.delivery.attempts).toBe(2);
    second.db.close();

    const third = await worker();
    expect(await third.outbox.reclaimOrphans()).toBe(1);
    expect(await drain(third.outbox, (claim) => send(claim))).toEqual({ sent: 1, failed: 0 });
    // The dead worker's late answer does not undo the newer state.
    await third.outbox.release(held!, { kind: 'network', message: 'late' });
    expect((await third.outbox.deliveriesOf(report.id))[0]?.status).toBe('sent');
  });

  const steps = ['enqueue', 'claim', 'upload evidence', 'post report', 'acknowledge'] as const;
  it.each(steps.map((step, index) => [step, index] as const))(
    'a crash right after “%s” loses nothing and files the report exactly once',
    async (_step, crashAfter) => {
      const { db, outbox } = await worker();
      const report = await capturedReport(db);
      const run: Array<() => Promise<unknown>> = [];
      let claim: Claim | undefined;
      let receipt: Receipt | undefined;
      run.push(() => queue(outbox, report, [HUB]));
      run.push(async () => (claim = await outbox.claim()));
      run.push(async () => {
        for (const artefact of claim!.artefacts) {
          await hubFetch(HUB + PATHS.evidence(artefact.sha256), { method: 'PUT', headers: { 'Content-Type': artefact.mediaType }, body: artefact.bytes });
        }
      });
      run.push(async () => {
        const response = await hubFetch(HUB + PATHS.reports, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
          body: JSON.stringify(claim!.report),
        });
        receipt = (await response.json()) as Receipt;
      });
      run.push(() => outbox.acknowledge(claim!, receipt!));
      for (const step of run.slice(0, crashAfter + 1)) await step();
      db.close();

      const restarted = await worker();
      await restarted.outbox.reclaimOrphans();
      await drain(restarted.outbox, (next) => send(next));
      const atHub = await reportsAtHub(report.id);
      expect(atHub).toHaveLength(1);
      const [delivery] = await restarted.outbox.deliveriesOf(report.id);
      expect(delivery).toMatchObject({ status: 'sent', receipt: { reference: atHub[0]!.reference } });
      restarted.db.close();
    },
  );

  it('files once when the hub’s 201 is lost on the way back', async () => {
    const { db, outbox } = await worker();
    const report = await capturedReport(db);
    await queue(outbox, report, [HUB]);
    let dropped = false;
    const dropsFirstReceipt = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await hubFetch(input, init);
      if (String(input).split("?")[0]!.endsWith(PATHS.reports) && !dropped) {
        dropped = true;
        throw new TypeError('connection reset');
      }
      return response;
    }) as Fetch;
    await drain(outbox, (claim) => send(claim, dropsFirstReceipt));
    expect((await outbox.deliveriesOf(report.id))[0]?.status).toBe('queued');
    clock.t += CONFIG.maxDelayMs;
    await drain(outbox, (claim) => send(claim, dropsFirstReceipt));
    expect(await reportsAtHub(report.id)).toHaveLength(1);
    expect((await outbox.deliveriesOf(report.id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('drains a queue built up during an outage as soon as the endpoint accepts one report again', async () => {
    const jitter = [0.1, 0.99, 0.6, 0.95];
    let draws = 0;
    const { db, outbox } = await worker(() => jitter[draws++ % jitter.length]!);
    const offline = (async () => Promise.reject(new TypeError('fetch failed'))) as Fetch;
    const reports = [];
    for (let index = 0; index < 4; index++) reports.push(await capturedReport(db));
    for (const report of reports) await queue(outbox, report, [HUB]);
    // Several failed rounds push every delivery's next attempt far out.
    for (let round = 0; round < 5; round++) {
      await drain(outbox, (claim) => send(claim, offline));
      clock.t = (await outbox.nextDueAt())!;
    }
    const waiting = await Promise.all(reports.map(async (report) => (await outbox.deliveriesOf(report.id))[0]!.nextAttemptAt));
    expect(waiting.filter((due) => due > clock.t).length).toBeGreaterThanOrEqual(2);
    expect(await drain(outbox, (claim) => send(claim))).toEqual({ sent: 4, failed: 0 });
    for (const report of reports) expect(await reportsAtHub(report.id)).toHaveLength(1);
  });

  it('deletes a local copy with its deliveries, keeping evidence another report still uses', async () => {
    const { db, outbox } = await worker();
    const report = await capturedReport(db);
    const sha256 = report.items[0]!.evidence[0]!.sha256;
    const now = new Date(clock.t).toISOString();
    await db.put('drafts', { id: report.id, createdAt: now, updatedAt: now, items: report.items, summary: 's', status: 'draft' });
    const twinId = crypto.randomUUID();
    await db.put('drafts', { id: twinId, createdAt: now, updatedAt: now, items: report.items, summary: 't', status: 'draft' });
    await queue(outbox, report, [HUB]);
    await outbox.deleteLocal(report.id);
    expect(await outbox.deliveriesOf(report.id)).toEqual([]);
    expect(await db.get('reports', report.id)).toBeUndefined();
    expect(await db.getAllKeys('reports')).toEqual([]);
    expect(await db.get('artefacts', sha256)).toBeDefined();
    await outbox.deleteLocal(twinId);
    expect(await db.get('artefacts', sha256)).toBeUndefined();
    expect((await outbox.entries()).map((entry) => entry.draft.id)).toEqual([]);
  });
});

function never(): never {
  throw new Error('the busy hub accepted the report');
}
