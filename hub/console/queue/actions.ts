/**
 * Acting from the queue: "Assign to me" on one row, or on the chosen rows together assign to me, change status (each
 * report only where the workflow allows it) or refer them (the referral page, which is the existing referral path).
 * Each report is changed by the workflow's own step, in a transaction of its own with its audit row (shared/bulk.ts).
 */
import { z } from 'zod';
import { Outcome, ReportStatus } from '../../../lib/schema';
import type { Database } from '../../db';
import { steps } from '../../domain/workflow';
import { applyEach, Reference, References, type BulkOutcome } from '../shared/bulk';
import { canonicalQuery } from './views';

const blank = (value: unknown) => (value === '' ? undefined : value);

/** Where to go back to: the queue's own filters and page, nothing else (the value is rebuilt, never passed through). */
export const Back = z.preprocess(
  (value) => (typeof value === 'string' ? value : ''),
  z
    .string()
    .max(2_000)
    .transform((text) => {
      const raw = Object.fromEntries(new URLSearchParams(text));
      const query = new URLSearchParams(canonicalQuery(raw));
      if (raw.cursor && /^[A-Za-z0-9_-]{1,400}$/.test(raw.cursor)) query.set('cursor', raw.cursor);
      return query.toString();
    }),
);

/** The queue's form: a row's own "Assign to me" (its button names the report), or an action on the chosen rows. */
export const QueueForm = z.union([
  z.object({ mine: Reference, back: Back }),
  z.discriminatedUnion('action', [
    z.object({ action: z.literal('assign_me'), reference: References, back: Back }),
    z.object({ action: z.literal('status'), reference: References, to: ReportStatus, outcome: z.preprocess(blank, Outcome.optional()), back: Back }),
    z.object({ action: z.literal('refer'), reference: References, back: Back }),
  ]),
]);
export type QueueForm = z.infer<typeof QueueForm>;

/** Applies a change (not a referral, which is a page of its own) as `actorId`. */
export function applyQueueAction(db: Database, form: Exclude<QueueForm, { action: 'refer' }>, actorId: string): Promise<BulkOutcome> {
  if ('mine' in form) return applyEach(db, [form.mine], (tx, reference) => steps.assign(tx, { reference, actorId, assigneeId: actorId }));
  switch (form.action) {
    case 'assign_me':
      return applyEach(db, form.reference, (tx, reference) => steps.assign(tx, { reference, actorId, assigneeId: actorId }));
    case 'status':
      return applyEach(db, form.reference, (tx, reference) =>
        steps.changeStatus(tx, { reference, actorId, to: form.to, ...(form.outcome ? { outcome: form.outcome } : {}) }),
      );
  }
}
