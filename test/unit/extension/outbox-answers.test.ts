/**
 * The outbox carries answers to an organisation's questions as it carries reports: kept durably before anything is
 * sent, sent once the hub can be reached, never two answers for one question (not after a lost acknowledgement, a
 * crashed worker or a second click), against the real hub app (in-memory database, Hono's in-process fetch) with
 * fake-indexeddb and a fake clock.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../../hub/app';
import { askQuestion, answerQuestion } from '../../../hub/domain/questions';
import { drain, drainAnswers, Outbox, type AnswerClaim, type OutboxConfig } from '../../../extension/outbox';
import { fetchStatus, sendAnswer, sendReport, type Fetch } from '../../../lib/protocol/client';
import type { Item, Receipt, Report } from '../../../lib/schema';
import { NEVER, openOhrDatabase, type OhrDatabase } from '../../../extension/db';
import { sha256Hex } from '../../../lib/hash';
import { makePng } from '../../fixtures/png';
import { sampleReport } from '../../fixtures/report';
import { makeModerator } from '../hub/console-helpers';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from '../hub/helpers';

const HUB = 'http://hub.test';
const CONFIG: OutboxConfig = { leaseMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 60_000 };
let hubDatabase: TestDatabase;
let app: Hono;
let moderatorId: string;
const hubFetch = ((input, init) => app.request(String(input), init)) as Fetch;
const offline = (async () => Promise.reject(new TypeError('Failed to fetch'))) as Fetch;

beforeAll(async () => {
  hubDatabase = await openTestDatabase();
  app = createApp({ db: hubDatabase.db });
  moderatorId = (await makeModerator(hubDatabase.db)).id;
}, SETUP_TIMEOUT_MS);
afterAll(() => hubDatabase.dispose());

let dbName: string;
let clock: { t: number; now(): number };
beforeEach(() => {
  dbName = `ohr-answers-${crypto.randomUUID()}`;
  clock = { t: Date.parse('2026-11-25T12:00:00Z'), now: () => clock.t };
});

async function worker(): Promise<{ db: OhrDatabase; outbox: Outbox }> {
  const db = await openOhrDatabase(dbName);
  return { db, outbox: new Outbox(db, clock, CONFIG, () => 0.5) };
}

/** A screenshot stored as the capture step stores it, and the evidence entry describing it. */
async function keptScreenshot(db: OhrDatabase) {
  const bytes = makePng(8 + Math.floor(Math.random() * 50), 8);
  const sha256 = await sha256Hex(bytes);
  await db.put('artefacts', { sha256, mediaType: 'image/png', bytes });
  return { sha256, mediaType: 'image/png' as const, bytes: bytes.byteLength, kind: 'screenshot' as const };
}

/** A report sent and acknowledged, and a question the hub's moderator asked about it. */
async function sentAndAsked(db: OhrDatabase, outbox: Outbox): Promise<{ report: Report; receipt: Receipt; questionId: string }> {
  const report = sampleReport();
  report.items[0]!.evidence = [await keptScreenshot(db)];
  await outbox.enqueue(report.id, report, [{ endpoint: HUB, report }]);
  expect((await drain(outbox, (claim) => sendReport(claim.delivery.endpoint, claim.report, claim.artefacts, { fetch: hubFetch }))).sent).toBe(1);
  const receipt = (await outbox.deliveriesOf(report.id))[0]!.receipt!;
  const asked = await askQuestion(hubDatabase.db, { reference: receipt.reference, actorId: moderatorId, text: 'Who sent it?' });
  if (asked.kind !== 'asked') throw new Error(asked.kind);
  return { report, receipt, questionId: asked.questionId };
}

const sender = (fetchFn: Fetch) => (claim: AnswerClaim) =>
  sendAnswer(claim.answer.endpoint, claim.receipt, claim.answer.questionId, claim.answer.answer, claim.artefacts, { fetch: fetchFn });

async function answersAtHub(questionId: string) {
  return hubDatabase.db.query<{ body: string; items: unknown[] }>('SELECT body, items FROM report_answers WHERE question_id = $1', [questionId]);
}

describe('answers in the outbox', () => {
  it('sees the question in the status answer, keeps an answer written offline, and sends it once back online', async () => {
    const { db, outbox } = await worker();
    const { report, receipt, questionId } = await sentAndAsked(db, outbox);
    const status = await fetchStatus(HUB, receipt, { fetch: hubFetch });
    expect(status.ok && status.value.questions?.map((question) => question.text)).toEqual(['Who sent it?']);

    const kept = await outbox.enqueueAnswer({ reportId: report.id, endpoint: HUB, questionId, text: 'The account @x' });
    // A second click while the first is waiting: the same answer, not another.
    expect((await outbox.enqueueAnswer({ reportId: report.id, endpoint: HUB, questionId, text: 'Something else' })).id).toBe(kept.id);
    expect((await drainAnswers(outbox, sender(offline))).failed).toBe(1);
    expect((await outbox.answersOf(report.id))[0]).toMatchObject({ status: 'queued', attempts: 1 });
    expect(await answersAtHub(questionId)).toHaveLength(0);

    // The browser closes; a new worker finds the answer and sends it once the backoff has passed.
    db.close();
    const restarted = await worker();
    clock.t += 120_000;
    expect((await drainAnswers(restarted.outbox, sender(hubFetch))).sent).toBe(1);
    const [sent] = await restarted.outbox.answersOf(report.id);
    expect(sent).toMatchObject({ status: 'sent', nextAttemptAt: NEVER, receipt: { id: kept.id, questionId } });
    expect(await answersAtHub(questionId)).toEqual([{ body: 'The account @x', items: [] }]);
    expect(await restarted.outbox.nextDueAt()).toBeUndefined();
  });

  it('never makes two answers when the hub kept one but its acknowledgement was lost, nor after a worker died mid-send', async () => {
    const { db, outbox } = await worker();
    const { report, questionId } = await sentAndAsked(db, outbox);
    await outbox.enqueueAnswer({ reportId: report.id, endpoint: HUB, questionId, text: 'Lost on the way back' });
    const lostReply = (async (input, init) => {
      await hubFetch(input, init);
      throw new TypeError('Failed to fetch');
    }) as Fetch;
    expect((await drainAnswers(outbox, sender(lostReply))).failed).toBe(1);
    expect(await answersAtHub(questionId)).toHaveLength(1);

    // A worker claims it, then dies: the next worker takes it back at start.
    clock.t += 120_000;
    expect(await outbox.claimAnswer()).toBeDefined();
    const restarted = await worker();
    expect(await restarted.outbox.reclaimOrphans()).toBe(1);
    expect((await drainAnswers(restarted.outbox, sender(hubFetch))).sent).toBe(1);
    expect(await answersAtHub(questionId)).toHaveLength(1);
    expect((await restarted.outbox.answersOf(report.id))[0]?.status).toBe('sent');
  });

  it('uploads the evidence of an added capture with the answer', async () => {
    const { db, outbox } = await worker();
    const { report, receipt, questionId } = await sentAndAsked(db, outbox);
    const evidence = await keptScreenshot(db);
    const item: Item = { ...report.items[0]!, url: 'https://example.com/another-post', evidence: [evidence] };
    await outbox.enqueueAnswer({ reportId: report.id, endpoint: HUB, questionId, text: 'And this one', items: [item] });
    expect((await drainAnswers(outbox, sender(hubFetch))).sent).toBe(1);
    const linked = await hubDatabase.db.query('SELECT 1 FROM report_evidence WHERE reference = $1 AND sha256 = $2', [receipt.reference, evidence.sha256]);
    expect(linked).toHaveLength(1);
    expect((await answersAtHub(questionId))[0]?.items).toHaveLength(1);
  });

  it('stops, with the reason kept for the person, when the question was already answered another way', async () => {
    const { db, outbox } = await worker();
    const { report, receipt, questionId } = await sentAndAsked(db, outbox);
    const elsewhere = await answerQuestion(hubDatabase.db, {
      reference: receipt.reference,
      statusToken: receipt.statusToken,
      questionId,
      answer: { id: crypto.randomUUID(), text: 'From the status page' },
    });
    expect(elsewhere.kind).toBe('answered');
    await outbox.enqueueAnswer({ reportId: report.id, endpoint: HUB, questionId, text: 'From the extension' });
    expect((await drainAnswers(outbox, sender(hubFetch))).failed).toBe(1);
    const [stopped] = await outbox.answersOf(report.id);
    expect(stopped).toMatchObject({ status: 'needs_attention', nextAttemptAt: NEVER, lastError: { status: 409 } });
    expect(stopped?.lastError?.message).toMatch(/already been answered/);
  });
});

describe('adding a capture from an unsent report', () => {
  it('moves the unsent report’s items into the answer in one transaction, keeps their bytes until the report is deleted', async () => {
    const { db, outbox } = await worker();
    const { report, receipt, questionId } = await sentAndAsked(db, outbox);
    const evidence = await keptScreenshot(db);
    const captured: Item = { ...report.items[0]!, url: 'https://example.com/captured-later', evidence: [evidence] };
    const stamp = new Date(clock.t).toISOString();
    await db.put('drafts', { id: crypto.randomUUID(), createdAt: stamp, updatedAt: stamp, items: [captured], summary: '', status: 'draft' });
    const [draft] = (await db.getAll('drafts')).filter((each) => each.status === 'draft');
    const queued = await outbox.enqueueAnswer({ reportId: report.id, endpoint: HUB, questionId, text: 'See this too', fromDraftId: draft!.id });
    expect(queued.answer.items).toEqual([captured]);
    expect(await db.get('drafts', draft!.id)).toBeUndefined();
    expect(await db.get('artefacts', evidence.sha256)).toBeDefined();
    // A draft that is not there (already used) is refused, not silently answered without it.
    await expect(outbox.enqueueAnswer({ reportId: report.id, endpoint: HUB, questionId: crypto.randomUUID(), text: 'x', fromDraftId: draft!.id })).rejects.toThrow();

    expect((await drainAnswers(outbox, sender(hubFetch))).sent).toBe(1);
    const linked = await hubDatabase.db.query('SELECT 1 FROM report_evidence WHERE reference = $1 AND sha256 = $2', [receipt.reference, evidence.sha256]);
    expect(linked).toHaveLength(1);

    await outbox.deleteLocal(report.id);
    expect(await outbox.answersOf(report.id)).toEqual([]);
    expect(await db.get('artefacts', evidence.sha256)).toBeUndefined();
  });
});
