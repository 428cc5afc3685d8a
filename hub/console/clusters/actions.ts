/**
 * A cluster's bulk actions: assign, change status, or close as duplicates of one original. Each report goes through
 * the workflow's own steps (hub/domain/workflow.ts), in a transaction of its own with its audit rows, so one report
 * that cannot move (already closed, say) is reported by name and does not stop or undo the others.
 */
import { z } from 'zod';
import { Outcome, ReportStatus } from '../../../lib/schema';
import type { Database } from '../../db';
import { applyEach, Reference, References, type BulkOutcome } from '../shared/bulk';
import { appendAudit, AuditAction } from '../../domain/audit';
import { steps, type Result } from '../../domain/workflow';

export { decodeOutcome, encodeOutcome, problemText, type BulkOutcome, type BulkProblem } from '../shared/bulk';

const blank = (value: unknown) => (value === '' ? undefined : value);

export const BulkForm = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), reference: References, assignee: z.union([z.literal(''), z.uuid()]) }),
  z.object({ action: z.literal('status'), reference: References, to: ReportStatus, outcome: z.preprocess(blank, Outcome.optional()) }),
  z.object({ action: z.literal('duplicate'), reference: References, original: z.preprocess(blank, Reference.optional()) }),
]);
export type BulkForm = z.infer<typeof BulkForm>;

/**
 * Applies `form` to each chosen report that belongs to the cluster (`members`), as `actorId`. A reference from outside
 * the cluster (a stale or forged form) is refused by name.
 */
export async function applyBulk(db: Database, form: BulkForm, members: ReadonlySet<string>, actorId: string): Promise<BulkOutcome> {
  if (form.action === 'duplicate' && !form.original) return { done: 0, problems: [{ kind: 'no_original' }] };
  const refuse = (reference: string) =>
    !members.has(reference)
      ? { kind: 'not_related' as const, reference }
      : form.action === 'duplicate' && reference === form.original
        ? { kind: 'original_chosen' as const, reference }
        : undefined;
  return applyEach(
    db,
    form.reference,
    (tx, reference) => {
      switch (form.action) {
        case 'assign':
          return steps.assign(tx, { reference, actorId, assigneeId: form.assignee || null });
        case 'status':
          return steps.changeStatus(tx, { reference, actorId, to: form.to, ...(form.outcome ? { outcome: form.outcome } : {}) });
        case 'duplicate':
          return closeAsDuplicate(tx, reference, form.original ?? '', actorId);
      }
    },
    refuse,
  );
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
