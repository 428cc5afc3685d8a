/**
 * Questions and answers through the real API on a real database: a question moves the report to needs_info by the
 * workflow's steps; the status answer carries it only to clients that ask; the reporter answers once (a resend gets
 * the same receipt, never a second answer), adding items whose evidence was uploaded first; the last answer moves the
 * report back to in_review; the words stay out of the audit entries; erasure takes questions, answers and added items.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerReceipt, MissingEvidenceError, Receipt, StatusResponse, type Answer, type Item } from '../../../lib/schema';
import { answerQuestion, askQuestion, questionsWithItems } from '../../../hub/domain/questions';
import { changeStatus } from '../../../hub/domain/workflow';
import { eraseReport } from '../../../hub/domain/retention';
import { sampleReport } from '../../fixtures/report';
import { clock, consoleApp, makeModerator, signedIn } from './console-helpers';
import { bearer, createTestApp, describing, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;
let moderatorId: string;
beforeAll(async () => {
  testDb = await openTestDatabase();
  app = createTestApp({ db: testDb.db });
  moderatorId = (await makeModerator(testDb.db)).id;
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

const db = () => testDb.db;

async function file(): Promise<Receipt> {
  const { sha256, bytes } = await uploadPng(app);
  const report = describing(sampleReport(), sha256, bytes);
  const response = await postReport(app, report, report.id);
  expect(response.status).toBe(201);
  return Receipt.parse(await response.json());
}

async function ask(reference: string, text = 'Which account sent the second message?'): Promise<string> {
  const asked = await askQuestion(db(), { reference, actorId: moderatorId, text });
  if (asked.kind !== 'asked') throw new Error(`not asked: ${asked.kind}`);
  return asked.questionId;
}

/** A new capture whose screenshot is uploaded. */
async function capture(): Promise<Item> {
  const { sha256, bytes } = await uploadPng(app);
  const item = describing(sampleReport(), sha256, bytes).items[0]!;
  return { ...item, url: 'https://example.com/later-post', text: 'The later post' };
}

function post(receipt: Receipt, questionId: string, answer: unknown, token = receipt.statusToken) {
  return app.request(`/api/v1/reports/${receipt.reference}/questions/${questionId}/answer`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...bearer(token) },
    body: JSON.stringify(answer),
  });
}

async function statusOf(receipt: Receipt, query = '?include=questions'): Promise<StatusResponse> {
  const response = await app.request(`/api/v1/reports/${receipt.reference}/status${query}`, { headers: bearer(receipt.statusToken) });
  expect(response.status).toBe(200);
  return StatusResponse.parse(await response.json());
}

const answerOf = (text: string, items?: Item[]): Answer => ({ id: crypto.randomUUID(), text, ...(items ? { items } : {}) });

describe('asking', () => {
  it('moves a received report to needs_info through in_review, each step audited, the words only in the payload', async () => {
    const receipt = await file();
    const questionId = await ask(receipt.reference);
    expect((await statusOf(receipt)).status).toBe('needs_info');
    const entries = await db().query<{ action: string; after: unknown }>(
      'SELECT action, after FROM audit_log WHERE reference = $1 ORDER BY id',
      [receipt.reference],
    );
    expect(entries.map((entry) => entry.action)).toEqual(['status', 'status', 'question.ask']);
    expect(entries[2]!.after).toEqual({ questionId, text: 'Which account sent the second message?' });
    // The entry row itself (kept for good) holds no words: only the erasable payload does.
    const [entry] = await db().query<Record<string, unknown>>(
      `SELECT * FROM audit_entries WHERE reference = $1 AND action = 'question.ask'`,
      [receipt.reference],
    );
    expect(JSON.stringify(entry)).not.toContain('second message');
  });

  it('refuses a closed report, an unknown one and empty words', async () => {
    const receipt = await file();
    expect((await askQuestion(db(), { reference: receipt.reference, actorId: moderatorId, text: '   ' })).kind).toBe('invalid_text');
    expect((await askQuestion(db(), { reference: 'OHR-0000-0000', actorId: moderatorId, text: 'Hello?' })).kind).toBe('not_found');
    await changeStatus(db(), { reference: receipt.reference, actorId: moderatorId, to: 'closed', outcome: 'no_further_action' });
    expect((await askQuestion(db(), { reference: receipt.reference, actorId: moderatorId, text: 'Hello?' })).kind).toBe('closed');
  });
});

describe('the status answer', () => {
  it('carries questions only for clients that ask, so older strict clients still read it', async () => {
    const receipt = await file();
    const questionId = await ask(receipt.reference);
    const plain = (await (await app.request(`/api/v1/reports/${receipt.reference}/status`, { headers: bearer(receipt.statusToken) })).json()) as object;
    expect(plain).not.toHaveProperty('questions');
    const status = await statusOf(receipt);
    expect(status.questions).toEqual([{ id: questionId, askedAt: expect.any(String), text: 'Which account sent the second message?' }]);
  });
});

describe('answering', () => {
  it('files the answer and its added capture once, links the evidence, and moves the report back to in_review', async () => {
    const receipt = await file();
    const questionId = await ask(receipt.reference);
    const item = await capture();
    const answer = answerOf('It was @someone, here is the later post', [item]);
    const first = await post(receipt, questionId, answer);
    expect(first.status).toBe(201);
    const receiptBody = AnswerReceipt.parse(await first.json());
    expect(receiptBody).toMatchObject({ id: answer.id, questionId, items: 1 });

    // An outbox resend: the same receipt, still one answer.
    const again = await post(receipt, questionId, answer);
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(receiptBody);
    expect(await db().query('SELECT 1 FROM report_answers WHERE question_id = $1', [questionId])).toHaveLength(1);

    const status = await statusOf(receipt);
    expect(status.status).toBe('in_review');
    expect(status.questions?.[0]?.answer).toEqual({ id: answer.id, text: answer.text, answeredAt: receiptBody.answeredAt, items: 1 });
    const linked = await db().query('SELECT 1 FROM report_evidence WHERE reference = $1 AND sha256 = $2', [receipt.reference, item.evidence[0]!.sha256]);
    expect(linked).toHaveLength(1);
    const [shown] = await questionsWithItems(db(), receipt.reference);
    expect(shown?.answer?.items).toEqual([item]);
    const actions = await db().query<{ action: string; actor_id: string | null }>(
      'SELECT action, actor_id::text FROM audit_log WHERE reference = $1 ORDER BY id',
      [receipt.reference],
    );
    expect(actions.slice(-2)).toEqual([
      { action: 'question.answer', actor_id: null },
      { action: 'status', actor_id: null },
    ]);

    // The same id for other words is refused; another id for an answered question is refused too.
    expect((await post(receipt, questionId, { ...answer, text: 'Something else' })).status).toBe(422);
    const second = await post(receipt, questionId, answerOf('A second answer'));
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ error: { code: 'already_answered' } });
  });

  it('stays in needs_info while another question is open', async () => {
    const receipt = await file();
    const first = await ask(receipt.reference, 'First?');
    const second = await ask(receipt.reference, 'Second?');
    expect((await post(receipt, first, answerOf('One'))).status).toBe(201);
    expect((await statusOf(receipt)).status).toBe('needs_info');
    expect((await post(receipt, second, answerOf('Two'))).status).toBe(201);
    expect((await statusOf(receipt)).status).toBe('in_review');
  });

  it('asks for evidence not yet uploaded, and takes the answer once it is', async () => {
    const receipt = await file();
    const questionId = await ask(receipt.reference);
    const item = await capture();
    const missingSha = 'd'.repeat(64);
    const orphan: Item = { ...item, evidence: [{ ...item.evidence[0]!, sha256: missingSha }] };
    const answer = answerOf('Here', [orphan]);
    const refused = await post(receipt, questionId, answer);
    expect(refused.status).toBe(409);
    expect(MissingEvidenceError.parse(await refused.json()).error.missing).toEqual([missingSha]);
    expect(await db().query('SELECT 1 FROM report_answers WHERE question_id = $1', [questionId])).toHaveLength(0);
    const wrongSize: Item = { ...item, evidence: [{ ...item.evidence[0]!, bytes: 1 }] };
    expect((await post(receipt, questionId, answerOf('Here', [wrongSize]))).status).toBe(422);
    expect((await post(receipt, questionId, answerOf('Here', [item]))).status).toBe(201);
  });

  it('refuses in words: a wrong token, an unknown question, a blank answer, a closed report', async () => {
    const receipt = await file();
    const questionId = await ask(receipt.reference);
    expect((await post(receipt, questionId, answerOf('x'), 'z'.repeat(43))).status).toBe(404);
    expect((await post(receipt, crypto.randomUUID(), answerOf('x'))).status).toBe(404);
    expect((await post(receipt, 'not-a-uuid', answerOf('x'))).status).toBe(404);
    const blank = await post(receipt, questionId, { id: crypto.randomUUID(), text: '  \n ' });
    expect(blank.status).toBe(422);
    expect(await blank.json()).toMatchObject({ error: { fields: [{ path: 'text', message: 'Write an answer' }] } });
    const unauthenticated = await app.request(`/api/v1/reports/${receipt.reference}/questions/${questionId}/answer`, { method: 'POST' });
    expect(unauthenticated.status).toBe(401);
    await changeStatus(db(), { reference: receipt.reference, actorId: moderatorId, to: 'closed', outcome: 'no_further_action' });
    const closed = await post(receipt, questionId, answerOf('Too late'));
    expect(closed.status).toBe(409);
    expect(await closed.json()).toMatchObject({ error: { code: 'report_closed' } });
  });

  it('answers from another caller (the status page) through the same domain function', async () => {
    const receipt = await file();
    const questionId = await ask(receipt.reference);
    const wrong = await answerQuestion(db(), { reference: receipt.reference, statusToken: 'nope', questionId, answer: answerOf('x') });
    expect(wrong.kind).toBe('not_found');
    const done = await answerQuestion(db(), { reference: receipt.reference, statusToken: receipt.statusToken, questionId, answer: answerOf('From the page') });
    expect(done.kind).toBe('answered');
  });
});

describe('erasure', () => {
  it('erases questions, answers, the added items’ evidence and the audit payloads holding their words', async () => {
    const receipt = await file();
    const questionId = await ask(receipt.reference, 'A question with a name in it: Sam?');
    const item = await capture();
    expect((await post(receipt, questionId, answerOf('Sam is my neighbour', [item]))).status).toBe(201);
    await changeStatus(db(), { reference: receipt.reference, actorId: moderatorId, to: 'closed', outcome: 'actioned' });
    const erased = await eraseReport(db(), { reference: receipt.reference, actorId: moderatorId, reason: 'reporter_request' });
    expect(erased.kind).toBe('erased');
    expect(await db().query('SELECT 1 FROM report_questions WHERE reference = $1', [receipt.reference])).toHaveLength(0);
    expect(await db().query('SELECT 1 FROM report_answers WHERE reference = $1', [receipt.reference])).toHaveLength(0);
    expect(await db().query('SELECT 1 FROM evidence WHERE sha256 = $1', [item.evidence[0]!.sha256])).toHaveLength(0);
    const left = await db().query<{ before: unknown; after: unknown }>('SELECT before, after FROM audit_log WHERE reference = $1', [receipt.reference]);
    expect(JSON.stringify(left)).not.toMatch(/Sam/);
    expect((await statusOf(receipt)).questions).toEqual([]);
  });
});

describe('the console', () => {
  it('asks with a form (no script), then shows the answer and the added capture, its picture blurred until shown', async () => {
    const consoleHub = consoleApp(db(), clock());
    const { browser } = await signedIn(consoleHub, db());
    const receipt = await file();
    await browser.get(`/console/reports/${receipt.reference}`);
    const asked = await browser.post(`/console/reports/${receipt.reference}/questions`, { text: 'Which <b>account</b> was it?' });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('Location')).toContain('done=question');
    const [question] = await questionsWithItems(db(), receipt.reference);
    expect(question?.text).toBe('Which <b>account</b> was it?');
    expect((await statusOf(receipt)).status).toBe('needs_info');
    expect((await browser.post(`/console/reports/${receipt.reference}/questions`, { text: '   ' })).headers.get('Location')).toContain('problem=invalid');

    const item = await capture();
    expect((await post(receipt, question!.id, answerOf('It was @later', [item]))).status).toBe(201);
    const page = await (await browser.get(`/console/reports/${receipt.reference}`)).text();
    expect(page).toContain('Which &lt;b>account&lt;/b> was it?');
    expect(page).toContain('It was @later');
    expect(page).toContain('The later post');
    expect(page).toContain(`/console/evidence/${item.evidence[0]!.sha256}`);
    expect(page).toContain('answer-0-item-0');
    expect(page).toContain('The reporter answered a question and added 1 captured item.');
  });
});
