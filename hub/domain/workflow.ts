/**
 * What moderators do to a report: move its status, assign it, write internal notes and the public note the reporter
 * sees. Each change and its audit row are written in one transaction, so the trail can never miss a change nor record
 * one that did not happen. Outcomes are data (`Result`); the pages turn them into words.
 *
 * Every step exists twice: `changeStatus(db, …)` runs in a transaction of its own, and `steps.changeStatus(tx, …)`
 * runs inside a caller's (a cluster's bulk action, a referral that also closes the report).
 */
import type { Outcome, ReportStatus } from '../../lib/schema';
import type { Database, Queryable } from '../db';
import { appendAudit, AuditAction } from './audit';
import { notificationFor, queueReporterNotification, wakeDeliveries } from './deliveries';

/** Where a report may go from each status. `closed` is final: a reopened case is a new decision, not an edit. */
export const TRANSITIONS: Readonly<Record<ReportStatus, readonly ReportStatus[]>> = {
  // Straight to closed: a duplicate or an empty report need not be "reviewed" first.
  received: ['in_review', 'closed'],
  in_review: ['referred', 'needs_info', 'closed'],
  referred: ['in_review', 'closed'],
  needs_info: ['in_review', 'closed'],
  closed: [],
};

/**
 * The statuses a report passes through, in order, to reach `to` from `from` by the fewest allowed transitions; empty
 * when it is there already or cannot get there (`closed` is final). A referral moves a report on by this path.
 */
export function pathTo(from: ReportStatus, to: ReportStatus): ReportStatus[] {
  const cameFrom = new Map<ReportStatus, ReportStatus>();
  const seen = new Set<ReportStatus>([from]);
  const frontier: ReportStatus[] = [from];
  while (frontier.length > 0) {
    const status = frontier.shift()!;
    if (status === to) break;
    for (const next of TRANSITIONS[status]) {
      if (seen.has(next)) continue;
      seen.add(next);
      cameFrom.set(next, status);
      frontier.push(next);
    }
  }
  const path: ReportStatus[] = [];
  for (let at = to; cameFrom.has(at); at = cameFrom.get(at)!) path.unshift(at);
  return path;
}

export type Result =
  | { kind: 'done' }
  | { kind: 'not_found' }
  | { kind: 'not_allowed'; from: ReportStatus; to: ReportStatus }
  | { kind: 'outcome_required' }
  | { kind: 'outcome_only_on_close' }
  | { kind: 'unknown_moderator' };

interface Current {
  status: ReportStatus;
  outcome: Outcome | null;
  assigned_to: string | null;
  public_note: string | null;
}

/** The report's row, locked until the transaction ends so two moderators' changes queue instead of crossing. */
async function lockReport(tx: Queryable, reference: string): Promise<Current | undefined> {
  const [row] = await tx.query<Current>('SELECT status, outcome, assigned_to, public_note FROM reports WHERE reference = $1 FOR UPDATE', [
    reference,
  ]);
  return row;
}

export interface StatusChange {
  reference: string;
  /** The moderator; null for the reporter (an answer moves a report back to in_review). */
  actorId: string | null;
  to: ReportStatus;
  /** Required when `to` is `closed`, refused otherwise. */
  outcome?: Outcome;
}

export interface Assignment {
  reference: string;
  actorId: string;
  /** Null to unassign. */
  assigneeId: string | null;
}

export interface NoteInput {
  reference: string;
  actorId: string;
  body: string;
}

export interface PublicNoteInput {
  reference: string;
  actorId: string;
  /** Null or empty removes it. */
  note: string | null;
}

async function changeStatusStep(tx: Queryable, { reference, actorId, to, outcome }: StatusChange): Promise<Result> {
  const current = await lockReport(tx, reference);
  if (!current) return { kind: 'not_found' };
  if (!TRANSITIONS[current.status].includes(to)) return { kind: 'not_allowed', from: current.status, to };
  if (to === 'closed' && !outcome) return { kind: 'outcome_required' };
  if (to !== 'closed' && outcome) return { kind: 'outcome_only_on_close' };
  const next = { status: to, outcome: outcome ?? null };
  await tx.query('UPDATE reports SET status = $2, outcome = $3, updated_at = now() WHERE reference = $1', [reference, next.status, next.outcome]);
  await appendAudit(tx, { actorId, action: AuditAction.status, reference, before: { status: current.status, outcome: current.outcome }, after: next });
  // The reporter hears that something changed (if they asked to), in the same transaction: never a change without it.
  // Not for a move the reporter made themselves (their answer to the last question, no actor).
  if (actorId !== null) await queueReporterNotification(tx, reference, notificationFor(to));
  return { kind: 'done' };
}

async function assignStep(tx: Queryable, { reference, actorId, assigneeId }: Assignment): Promise<Result> {
  const current = await lockReport(tx, reference);
  if (!current) return { kind: 'not_found' };
  if (assigneeId) {
    const [found] = await tx.query('SELECT 1 FROM moderators WHERE id = $1 AND disabled_at IS NULL', [assigneeId]);
    if (!found) return { kind: 'unknown_moderator' };
  }
  if (current.assigned_to === assigneeId) return { kind: 'done' };
  await tx.query('UPDATE reports SET assigned_to = $2 WHERE reference = $1', [reference, assigneeId]);
  await appendAudit(tx, { actorId, action: AuditAction.assign, reference, before: { assignedTo: current.assigned_to }, after: { assignedTo: assigneeId } });
  return { kind: 'done' };
}

async function addNoteStep(tx: Queryable, { reference, actorId, body }: NoteInput): Promise<Result> {
  if (!(await lockReport(tx, reference))) return { kind: 'not_found' };
  const [note] = await tx.query<{ id: string }>('INSERT INTO report_notes (reference, author_id, body) VALUES ($1, $2, $3) RETURNING id::text', [
    reference,
    actorId,
    body,
  ]);
  await appendAudit(tx, { actorId, action: AuditAction.note, reference, after: { noteId: note?.id, body } });
  return { kind: 'done' };
}

async function setPublicNoteStep(tx: Queryable, { reference, actorId, note }: PublicNoteInput): Promise<Result> {
  const current = await lockReport(tx, reference);
  if (!current) return { kind: 'not_found' };
  const next = note?.trim() ? note.trim() : null;
  if (current.public_note === next) return { kind: 'done' };
  // updated_at moves too: it is what the reporter's status check shows as "last changed".
  await tx.query('UPDATE reports SET public_note = $2, updated_at = now() WHERE reference = $1', [reference, next]);
  await appendAudit(tx, { actorId, action: AuditAction.publicNote, reference, before: { publicNote: current.public_note }, after: { publicNote: next } });
  return { kind: 'done' };
}

/** The steps for use inside a caller's transaction. */
export const steps = { changeStatus: changeStatusStep, assign: assignStep, addNote: addNoteStep, setPublicNote: setPublicNoteStep };

const own =
  <I>(step: (tx: Queryable, input: I) => Promise<Result>) =>
  async (db: Database, input: I): Promise<Result> => {
    const result = await db.transaction((tx) => step(tx, input));
    // After the commit, so the delivery worker finds what the step queued (a caller running steps in its own
    // transaction is found at the worker's next look).
    wakeDeliveries(db);
    return result;
  };

export const changeStatus = own(changeStatusStep);
export const assign = own(assignStep);
export const addNote = own(addNoteStep);
export const setPublicNote = own(setPublicNoteStep);

export interface NoteRow {
  id: string;
  body: string;
  authorEmail: string;
  createdAt: Date;
}

export function notesOf(db: Queryable, reference: string): Promise<NoteRow[]> {
  return db.query<NoteRow>(
    `SELECT n.id::text AS id, n.body, m.email AS "authorEmail", n.created_at AS "createdAt"
       FROM report_notes n JOIN moderators m ON m.id = n.author_id WHERE n.reference = $1 ORDER BY n.created_at, n.id`,
    [reference],
  );
}
