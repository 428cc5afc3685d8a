/**
 * Questions and answers (issue 20 item 1). A moderator asks the reporter a question: the report moves to `needs_info`
 * (by the workflow's own transitions, each audited). The reporter answers with the report's status token, from the
 * extension, the status page or any client, and may add items (new captures or uploads) whose evidence was uploaded
 * first, checked as intake checks a report's. Answering the last open question moves the report back to `in_review`:
 * the moderator has something new to read, and `needs_info` would say to the reporter that more is still wanted.
 *
 * The words on both sides are personal content: they live in `report_questions` / `report_answers` and in the audit
 * entries' erasable payloads, never in an entry itself; erasure (retention.ts) deletes them.
 *
 * Exported for other callers (the API, the console, the status page):
 * - `askQuestion(db, { reference, actorId, text })`
 * - `questionsFor(db, reference)`: what the reporter may see (the status answer)
 * - `questionsWithItems(db, reference)`: what the console shows, the added items included
 * - `answerQuestion(db, { reference, statusToken, questionId, answer })`: checks the token itself
 */
import { z } from 'zod';
import { Item, QUESTION_MAX, type Answer, type AnswerReceipt, type QuestionView, type ReportStatus } from '../../lib/schema';
import type { Database, Queryable } from '../db';
import { sha256Hex } from '../hash';
import { canonicalJson } from '../ids';
import { appendAudit, AuditAction } from './audit';
import { queueReporterNotification, wakeDeliveries } from './deliveries';
import { evidenceRefusal, type EvidenceRefusal } from './evidence';
import { pathTo, steps } from './workflow';

export type AskResult =
  | { kind: 'asked'; questionId: string; askedAt: Date }
  | { kind: 'not_found' }
  /** A closed report takes no questions (there is no way back from `closed`). */
  | { kind: 'closed' }
  /** Empty, or longer than QUESTION_MAX. */
  | { kind: 'invalid_text' };

export async function askQuestion(db: Database, { reference, actorId, text }: { reference: string; actorId: string; text: string }): Promise<AskResult> {
  const body = text.trim();
  if (body.length === 0 || body.length > QUESTION_MAX) return { kind: 'invalid_text' };
  const result = await db.transaction(async (tx): Promise<AskResult> => {
    const [report] = await tx.query<{ status: ReportStatus }>('SELECT status FROM reports WHERE reference = $1 FOR UPDATE', [reference]);
    if (!report) return { kind: 'not_found' };
    if (report.status === 'closed') return { kind: 'closed' };
    // received → in_review → needs_info: each step by the workflow's rules, each audited as a status change.
    for (const to of pathTo(report.status, 'needs_info')) {
      const moved = await steps.changeStatus(tx, { reference, actorId, to });
      if (moved.kind !== 'done') throw new Error(`Could not move ${reference} to ${to}: ${moved.kind}`);
    }
    // Already waiting for answers: no status moved, so no move queued the reporter's email. Queue it here, in the same
    // transaction, so a question is never committed without its notification (a hub stopped just after still sends it).
    if (report.status === 'needs_info') await queueReporterNotification(tx, reference, 'question_asked');
    const [question] = await tx.query<{ id: string; asked_at: Date }>(
      'INSERT INTO report_questions (reference, asked_by, body) VALUES ($1, $2, $3) RETURNING id::text AS id, asked_at',
      [reference, actorId, body],
    );
    if (!question) throw new Error('The question was not stored');
    // The reporter's status check shows when the report last changed: a new question is a change.
    await tx.query('UPDATE reports SET updated_at = now() WHERE reference = $1', [reference]);
    await appendAudit(tx, { actorId, action: AuditAction.questionAsk, reference, after: { questionId: question.id, text: body } });
    return { kind: 'asked', questionId: question.id, askedAt: new Date(question.asked_at) };
  });
  if (result.kind === 'asked') wakeDeliveries(db);
  return result;
}

interface QuestionRow {
  id: string;
  asked_at: Date;
  body: string;
  asked_by_email: string | null;
  answer_id: string | null;
  answer_body: string | null;
  answered_at: Date | null;
  items: unknown;
}

async function questionRows(db: Queryable, reference: string): Promise<QuestionRow[]> {
  return db.query<QuestionRow>(
    `SELECT q.id::text AS id, q.asked_at, q.body, m.email AS asked_by_email,
            a.id::text AS answer_id, a.body AS answer_body, a.answered_at, a.items
       FROM report_questions q
       LEFT JOIN report_answers a ON a.question_id = q.id
       LEFT JOIN moderators m ON m.id = q.asked_by
      WHERE q.reference = $1 ORDER BY q.asked_at, q.id`,
    [reference],
  );
}

const StoredItems = z.array(Item);
/** Items as stored; an answer's items were validated on the way in, so a row that no longer reads is shown as none. */
const itemsOf = (value: unknown): Item[] => StoredItems.safeParse(value).data ?? [];

/** The report's questions as the reporter sees them (the status answer): no moderator's name, items counted. */
export async function questionsFor(db: Queryable, reference: string): Promise<QuestionView[]> {
  return (await questionRows(db, reference)).map((row) => ({
    id: row.id,
    askedAt: new Date(row.asked_at).toISOString(),
    text: row.body,
    ...(row.answer_id && row.answered_at
      ? { answer: { id: row.answer_id, text: row.answer_body ?? '', answeredAt: new Date(row.answered_at).toISOString(), items: itemsOf(row.items).length } }
      : {}),
  }));
}

export interface ConsoleQuestion {
  id: string;
  askedAt: Date;
  text: string;
  /** Null once the moderator's account is gone. */
  askedBy: string | null;
  answer?: { id: string; text: string; answeredAt: Date; items: Item[] };
}

/** The report's questions as a moderator sees them: who asked, and the items the reporter added with each answer. */
export async function questionsWithItems(db: Queryable, reference: string): Promise<ConsoleQuestion[]> {
  return (await questionRows(db, reference)).map((row) => ({
    id: row.id,
    askedAt: new Date(row.asked_at),
    text: row.body,
    askedBy: row.asked_by_email,
    ...(row.answer_id && row.answered_at
      ? { answer: { id: row.answer_id, text: row.answer_body ?? '', answeredAt: new Date(row.answered_at), items: itemsOf(row.items) } }
      : {}),
  }));
}

export type AnswerResult =
  | { kind: 'answered' | 'replayed'; receipt: AnswerReceipt }
  /** No report with this reference and token, or no such question on it. */
  | { kind: 'not_found' }
  /** This answer id was already used for a different answer. */
  | { kind: 'key_reused' }
  /** The question already has another answer. */
  | { kind: 'already_answered' }
  | { kind: 'report_closed' }
  | EvidenceRefusal;

export interface AnswerInput {
  reference: string;
  /** The report's status token, as the reporter holds it; checked here by its hash, as the status look-up does. */
  statusToken: string;
  questionId: string;
  /** Validated with the protocol's `Answer` schema. */
  answer: Answer;
}

const QuestionId = z.uuid();

/**
 * Files the reporter's answer, exactly once: the answer id is the idempotency key, so a resend (an outbox retry, a
 * second click) gets the first receipt. Added items' evidence must be uploaded first; the items are linked to the
 * report's evidence (so the console serves it, clustering sees it and erasure erases it).
 */
export async function answerQuestion(db: Database, input: AnswerInput): Promise<AnswerResult> {
  if (!QuestionId.safeParse(input.questionId).success) return { kind: 'not_found' };
  const tokenSha256 = await sha256Hex(input.statusToken);
  const bodySha256 = await sha256Hex(canonicalJson({ questionId: input.questionId, ...input.answer }));
  try {
    return await db.transaction((tx) => answerStep(tx, input, tokenSha256, bodySha256));
  } catch (error) {
    // 23503: a file named by an added item was purged as unreferenced between its check and its link.
    if ((error as { code?: unknown }).code !== '23503') throw error;
    return (await evidenceRefusal(db, input.answer.items ?? [])) ?? { kind: 'missing_evidence', missing: [] };
  }
}

async function answerStep(tx: Queryable, { reference, questionId, answer }: AnswerInput, tokenSha256: string, bodySha256: string): Promise<AnswerResult> {
  const [report] = await tx.query<{ status: string }>('SELECT status FROM reports WHERE reference = $1 AND status_token_sha256 = $2 FOR UPDATE', [
    reference,
    tokenSha256,
  ]);
  if (!report) return { kind: 'not_found' };
  const [question] = await tx.query('SELECT 1 FROM report_questions WHERE id = $1 AND reference = $2', [questionId, reference]);
  if (!question) return { kind: 'not_found' };
  const [earlier] = await tx.query<{ question_id: string; body_sha256: string; answered_at: Date; count: number }>(
    'SELECT question_id::text AS question_id, body_sha256, answered_at, jsonb_array_length(items) AS count FROM report_answers WHERE id = $1',
    [answer.id],
  );
  if (earlier) {
    if (earlier.question_id !== questionId || earlier.body_sha256 !== bodySha256) return { kind: 'key_reused' };
    return { kind: 'replayed', receipt: receipt(answer.id, questionId, earlier.answered_at, Number(earlier.count)) };
  }
  const [taken] = await tx.query('SELECT 1 FROM report_answers WHERE question_id = $1', [questionId]);
  if (taken) return { kind: 'already_answered' };
  if (report.status === 'closed') return { kind: 'report_closed' };
  const items = answer.items ?? [];
  const refused = await evidenceRefusal(tx, items);
  if (refused) return refused;
  const hashes = [...new Set(items.flatMap((item) => item.evidence.map((evidence) => evidence.sha256)))];
  if (hashes.length > 0) {
    await tx.query('INSERT INTO report_evidence (reference, sha256) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [reference, hashes]);
  }
  const [stored] = await tx.query<{ answered_at: Date }>(
    'INSERT INTO report_answers (id, question_id, reference, body, items, body_sha256) VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING answered_at',
    [answer.id, questionId, reference, answer.text, JSON.stringify(items), bodySha256],
  );
  if (!stored) throw new Error('The answer was not stored');
  await tx.query('UPDATE reports SET updated_at = now() WHERE reference = $1', [reference]);
  await appendAudit(tx, {
    actorId: null,
    action: AuditAction.answer,
    reference,
    after: { questionId, answerId: answer.id, text: answer.text, items: items.length },
  });
  if (report.status === 'needs_info' && !(await hasOpenQuestions(tx, reference))) {
    const moved = await steps.changeStatus(tx, { reference, actorId: null, to: 'in_review' });
    if (moved.kind !== 'done') throw new Error(`Could not move ${reference} back to in_review: ${moved.kind}`);
  }
  return { kind: 'answered', receipt: receipt(answer.id, questionId, stored.answered_at, items.length) };
}

async function hasOpenQuestions(tx: Queryable, reference: string): Promise<boolean> {
  const rows = await tx.query(
    'SELECT 1 FROM report_questions q WHERE q.reference = $1 AND NOT EXISTS (SELECT 1 FROM report_answers a WHERE a.question_id = q.id) LIMIT 1',
    [reference],
  );
  return rows.length > 0;
}

const receipt = (id: string, questionId: string, answeredAt: Date, items: number): AnswerReceipt => ({
  id,
  questionId,
  answeredAt: new Date(answeredAt).toISOString(),
  items,
});
