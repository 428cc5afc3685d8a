/**
 * A cluster's bulk actions: assign, change status, or close as duplicates of one original. Each report goes through
 * the workflow's own steps (hub/domain/workflow.ts), in a transaction of its own with its audit rows, so one report
 * that cannot move (already closed, say) is reported by name and does not stop or undo the others.
 */
import { z } from 'zod';
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import { Outcome, Receipt, ReportStatus } from '../../../lib/schema';
import type { Database } from '../../db';
import { statusLabel } from '../shared/labels';
import { appendAudit, AuditAction } from '../../domain/audit';
import { steps, type Result } from '../../domain/workflow';

const Reference = Receipt.shape.reference;
/** Checkboxes arrive as one value or several; none at all is a problem the moderator is told about. */
const References = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(Reference).min(1, ct('cluster.noneChosen')).max(500),
);
const blank = (value: unknown) => (value === '' ? undefined : value);

export const BulkForm = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), reference: References, assignee: z.union([z.literal(''), z.uuid()]) }),
  z.object({ action: z.literal('status'), reference: References, to: ReportStatus, outcome: z.preprocess(blank, Outcome.optional()) }),
  z.object({ action: z.literal('duplicate'), reference: References, original: z.preprocess(blank, Reference.optional()) }),
]);
export type BulkForm = z.infer<typeof BulkForm>;

/** What went wrong for one report, as data: the page says it in words, and the redirect carries it safely. */
export const BulkProblem = z.strictObject({
  kind: z.enum(['not_found', 'not_allowed', 'outcome_required', 'outcome_only_on_close', 'unknown_moderator', 'not_related', 'no_original', 'original_chosen']),
  reference: Reference.optional(),
  from: ReportStatus.optional(),
  to: ReportStatus.optional(),
});
export type BulkProblem = z.infer<typeof BulkProblem>;

export const BulkOutcome = z.strictObject({ done: z.number().int().min(0).max(500), problems: z.array(BulkProblem).max(500) });
export type BulkOutcome = z.infer<typeof BulkOutcome>;

const REASONS: Record<Exclude<BulkProblem['kind'], 'not_allowed' | 'no_original' | 'original_chosen'>, ConsoleKey> = {
  not_found: 'cluster.reason.not_found',
  outcome_required: 'cluster.reason.outcome_required',
  outcome_only_on_close: 'cluster.reason.outcome_only_on_close',
  unknown_moderator: 'cluster.reason.unknown_moderator',
  not_related: 'cluster.reason.not_related',
};

/** One problem in words. */
export function problemText(problem: BulkProblem): string {
  switch (problem.kind) {
    case 'no_original':
      return ct('cluster.noOriginal');
    case 'original_chosen':
      return ct('cluster.originalChosen');
    case 'not_allowed':
      return ct('cluster.failed', {
        reference: problem.reference ?? '',
        reason: ct('cluster.reason.not_allowed', { from: statusLabel(problem.from ?? 'received'), to: statusLabel(problem.to ?? 'received') }),
      });
    default:
      return ct('cluster.failed', { reference: problem.reference ?? '', reason: ct(REASONS[problem.kind]) });
  }
}

/** The outcome in a page address after the redirect (only checked values: no text of anyone's can ride on it). */
export function encodeOutcome(outcome: BulkOutcome): string {
  return Buffer.from(JSON.stringify(outcome)).toString('base64url');
}

export function decodeOutcome(text: string | undefined): BulkOutcome | undefined {
  if (!text || text.length > 20_000) return undefined;
  try {
    const parsed = BulkOutcome.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Applies `form` to each chosen report that belongs to the cluster (`members`), as `actorId`. A reference from outside
 * the cluster (a stale or forged form) is refused by name.
 */
export async function applyBulk(db: Database, form: BulkForm, members: ReadonlySet<string>, actorId: string): Promise<BulkOutcome> {
  if (form.action === 'duplicate' && !form.original) return { done: 0, problems: [{ kind: 'no_original' }] };
  const outcome: BulkOutcome = { done: 0, problems: [] };
  for (const reference of new Set(form.reference)) {
    if (!members.has(reference)) {
      outcome.problems.push({ kind: 'not_related', reference });
      continue;
    }
    if (form.action === 'duplicate' && reference === form.original) {
      outcome.problems.push({ kind: 'original_chosen', reference });
      continue;
    }
    const result = await db.transaction((tx) => {
      switch (form.action) {
        case 'assign':
          return steps.assign(tx, { reference, actorId, assigneeId: form.assignee || null });
        case 'status':
          return steps.changeStatus(tx, { reference, actorId, to: form.to, ...(form.outcome ? { outcome: form.outcome } : {}) });
        case 'duplicate':
          return closeAsDuplicate(tx, reference, form.original ?? '', actorId);
      }
    });
    if (result.kind === 'done') outcome.done++;
    else outcome.problems.push({ reference, ...result });
  }
  return outcome;
}

/**
 * Closes `reference` with the outcome "duplicate" (the workflow's own step and audit row) and points it at the
 * original, with an audit row for the pointer too, all in the caller's transaction. A step that refuses has changed
 * nothing, so the pointer is not set either.
 */
async function closeAsDuplicate(tx: Parameters<typeof steps.changeStatus>[0], reference: string, original: string, actorId: string): Promise<Result> {
  const closed = await steps.changeStatus(tx, { reference, actorId, to: 'closed', outcome: 'duplicate' });
  if (closed.kind !== 'done') return closed;
  await tx.query('UPDATE reports SET duplicate_of = $2 WHERE reference = $1', [reference, original]);
  await appendAudit(tx, { actorId, action: AuditAction.status, reference, before: { duplicateOf: null }, after: { duplicateOf: original } });
  return closed;
}
