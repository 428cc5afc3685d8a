/**
 * Retention and erasure (UK GDPR storage limitation, Art. 5(1)(e), and the right to erasure, Art. 17). A report is
 * erased when it is withdrawn (at once by default), when it has been closed longer than the organisation keeps
 * reports, or when an admin erases it. Erasing keeps a tombstone: the reference, status, outcome, dates, urgency and
 * the closed-list values the open-data counts use (targeted characteristics, harm types, each item's platform), so
 * references, status look-ups and published statistics stay true. Everything a person typed or captured goes: the
 * body's text, contact details, items and their URLs, internal and public notes, questions to the reporter and their
 * answers with the items added to them, the replay token, the search words
 * and cluster keys, the evidence files no other live report refers to, and the audit payloads that could hold any of
 * it. The audit entries stay, chained, with a `report.erase` entry that holds counts only. docs/hub-operations.md
 * "Retention and erasure" says what stays and why.
 */
import { z } from 'zod';
import type { Database, Queryable } from '../db';
import { appendAudit, AuditAction } from './audit';
import { deleteQueuedEvidence, eraseEvidence, purgeUnreferencedEvidence } from './evidence';
import { clearOldComments } from './satisfaction';

/** Why a report was erased: by the hub's own rules, or an admin's choice from a closed list (never free text, which would put words about a person into the record of their erasure). */
export const ErasureReason = z.enum(['withdrawn', 'retention', 'reporter_request', 'submitted_in_error', 'legal_requirement']);
export type ErasureReason = z.infer<typeof ErasureReason>;
/** The reasons an admin may choose in the console. */
export const ADMIN_ERASURE_REASONS = ['reporter_request', 'submitted_in_error', 'legal_requirement'] as const satisfies readonly ErasureReason[];

/**
 * Audit actions whose payloads hold only statuses, outcomes, moderator ids, references and counts: kept when a report is
 * erased, so its trail still says what happened to it. Every other action's payload is erased (a note's words, a
 * public note, a referral's details, and whatever a later action records), so a new action is erased unless added here.
 */
export const PAYLOAD_KEPT_ON_ERASURE: readonly string[] = [AuditAction.status, AuditAction.assign, AuditAction.withdraw, AuditAction.reportErase];

export interface Erasure {
  reference: string;
  /** The admin; null when the hub erases by its retention rules. */
  actorId: string | null;
  reason: ErasureReason;
}

export type ErasureResult =
  | { kind: 'erased'; evidenceErased: number; evidenceKept: number; auditPayloadsErased: number }
  | { kind: 'not_found' }
  | { kind: 'already_erased' }
  /** Only a closed report is erased: an open one is still someone's case (close it first, e.g. as withdrawn). */
  | { kind: 'not_closed' };

/** Erases one report inside the caller's transaction (the report row is locked first, as the workflow's steps do). */
export async function eraseReportStep(tx: Queryable, { reference, actorId, reason }: Erasure): Promise<ErasureResult> {
  const [report] = await tx.query<{ id: string; status: string; erased_at: Date | null }>(
    'SELECT id::text AS id, status, erased_at FROM reports WHERE reference = $1 FOR UPDATE',
    [reference],
  );
  if (!report) return { kind: 'not_found' };
  if (report.erased_at) return { kind: 'already_erased' };
  if (report.status !== 'closed') return { kind: 'not_closed' };
  // The tombstone body: only closed-list values, in the places the generated columns read them from, so the open-data
  // counts are unchanged and every derived column (search words, URL, author, evidence and contact keys) empties.
  await tx.query(
    `UPDATE reports SET
       body = jsonb_build_object(
         'erased', true,
         'incident', jsonb_build_object('targetedCharacteristics', coalesce(body->'incident'->'targetedCharacteristics', '[]'),
                                        'harmTypes', coalesce(body->'incident'->'harmTypes', '[]')),
         'items', coalesce((SELECT jsonb_agg(jsonb_build_object('platform', i->'platform')) FROM ohr_items(body) AS i), '[]')),
       public_note = NULL,
       erased_at = now()
     WHERE reference = $1`,
    [reference],
  );
  // Answers before questions (an answer refers to its question); their added items' evidence is in report_evidence.
  for (const table of ['report_notes', 'report_items', 'report_keys', 'report_answers', 'report_questions']) {
    await tx.query(`DELETE FROM ${table} WHERE reference = $1`, [reference]);
  }
  await tx.query('DELETE FROM idempotency_responses WHERE report_id = $1', [report.id]);
  const linked = await tx.query<{ sha256: string }>('DELETE FROM report_evidence WHERE reference = $1 RETURNING sha256', [reference]);
  const erased = await eraseEvidence(tx, linked.map((row) => row.sha256));
  const payloads = await tx.query<{ entry_id: string }>(
    `DELETE FROM audit_payloads p USING audit_entries e
      WHERE p.entry_id = e.id AND e.reference = $1 AND e.action <> ALL($2::text[]) RETURNING p.entry_id`,
    [reference, PAYLOAD_KEPT_ON_ERASURE],
  );
  const result = { evidenceErased: erased.length, evidenceKept: linked.length - erased.length, auditPayloadsErased: payloads.length };
  // Counts only: an evidence hash would let anyone holding the picture confirm it was reported here.
  await appendAudit(tx, { actorId, action: AuditAction.reportErase, reference, after: { reason, ...result } });
  return { kind: 'erased', ...result };
}

/**
 * Erases one report in a transaction of its own; then, if its evidence was kept in an object store, deletes the objects
 * (they cannot be part of the transaction: eraseEvidence queues them, and the hourly purge retries any left).
 */
export async function eraseReport(db: Database, erasure: Erasure): Promise<ErasureResult> {
  const result = await db.transaction((tx) => eraseReportStep(tx, erasure));
  if (result.kind === 'erased' && result.evidenceErased > 0) await deleteQueuedEvidence(db);
  return result;
}

/** How long the hub keeps what, from HubConfig. */
export interface RetentionRules {
  /** Days after withdrawal; 0: at once. */
  erasureWithdrawnDays: number;
  /** Months after closing, for every other outcome. */
  erasureClosedMonths: number;
  unreferencedEvidenceHours: number;
}

export interface PurgeCounts {
  /** Reports erased because they were withdrawn. */
  withdrawn: number;
  /** Reports erased because they were closed longer than the retention period. */
  retention: number;
  /** Evidence files erased with those reports. */
  evidenceFiles: number;
  /** Evidence files no report ever referred to, expired. */
  unreferencedEvidence: number;
  /**
   * Satisfaction comments cleared, as old as a closed report is kept. Satisfaction and monitoring answers are kept
   * apart from reports (satisfaction.ts): erasing a report cannot find them, so their words are bounded by age instead;
   * the scores and monitoring answers stay, as numbers in aggregates linked to no report.
   */
  satisfactionComments: number;
  /** False when another hub process was purging at the time (this one then did nothing). */
  ran: boolean;
}

/** Reports erased per transaction: short transactions, so intake and moderators never wait long behind a purge. */
const PURGE_BATCH = 50;

/**
 * Erases every report whose retention has run out, in batches, then expires unreferenced evidence. Several hub
 * processes on one PostgreSQL may all call this: each batch first takes a transaction-level advisory lock without
 * waiting, so one process purges at a time and the others skip this round (nothing is lost: the next round finds what
 * is still due). `now` is injectable for tests.
 */
export async function purgeExpired(db: Database, rules: RetentionRules, now: Date = new Date()): Promise<PurgeCounts> {
  const counts: PurgeCounts = { withdrawn: 0, retention: 0, evidenceFiles: 0, unreferencedEvidence: 0, satisfactionComments: 0, ran: true };
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const [lock] = await tx.query<{ held: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext('ohr.retention'), hashtext(current_schema())) AS held`);
      if (!lock?.held) return undefined;
      const due = await tx.query<{ reference: string; withdrawn: boolean }>(
        `SELECT reference, outcome = 'withdrawn' AS withdrawn FROM reports
          WHERE status = 'closed' AND erased_at IS NULL
            AND closed_at <= CASE WHEN outcome = 'withdrawn' THEN $1::timestamptz - make_interval(days => $2)
                                  ELSE $1::timestamptz - make_interval(months => $3) END
          ORDER BY closed_at LIMIT $4`,
        [now, rules.erasureWithdrawnDays, rules.erasureClosedMonths, PURGE_BATCH],
      );
      for (const { reference, withdrawn } of due) {
        const result = await eraseReportStep(tx, { reference, actorId: null, reason: withdrawn ? 'withdrawn' : 'retention' });
        if (result.kind !== 'erased') continue;
        counts[withdrawn ? 'withdrawn' : 'retention']++;
        counts.evidenceFiles += result.evidenceErased;
      }
      return due.length;
    });
    if (batch === undefined) return { ...counts, ran: counts.withdrawn + counts.retention > 0 };
    if (batch < PURGE_BATCH) break;
  }
  counts.unreferencedEvidence = await purgeUnreferencedEvidence(db, rules.unreferencedEvidenceHours);
  counts.satisfactionComments = await clearOldComments(db, rules.erasureClosedMonths, now);
  return counts;
}
