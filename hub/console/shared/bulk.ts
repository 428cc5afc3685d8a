/**
 * Acting on several reports at once (a cluster's bulk actions, the queue's chosen rows): the chosen references as a
 * form sends them, what went wrong for each report as data, and the loop that gives each report a transaction of its
 * own, so one report that cannot move (already closed, say) is reported by name and does not stop or undo the others.
 * Each step is the workflow's own (hub/domain/workflow.ts), with its audit row.
 */
import { z } from 'zod';
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import { Receipt, ReportStatus } from '../../../lib/schema';
import type { Database, Queryable } from '../../db';
import type { Result } from '../../domain/workflow';
import { statusLabel } from './labels';

export const Reference = Receipt.shape.reference;

/** At most this many reports in one bulk action. */
export const BULK_MAX = 500;

/** Checkboxes arrive as one value or several; none at all is a problem the moderator is told about. */
export const References = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(Reference).min(1, ct('cluster.noneChosen')).max(BULK_MAX),
);

/** What went wrong for one report, as data: the page says it in words, and the redirect carries it safely. */
export const BulkProblem = z.strictObject({
  kind: z.enum(['not_found', 'not_allowed', 'outcome_required', 'outcome_only_on_close', 'unknown_moderator', 'not_related', 'no_original', 'original_chosen']),
  reference: Reference.optional(),
  from: ReportStatus.optional(),
  to: ReportStatus.optional(),
});
export type BulkProblem = z.infer<typeof BulkProblem>;

export const BulkOutcome = z.strictObject({ done: z.number().int().min(0).max(BULK_MAX), problems: z.array(BulkProblem).max(BULK_MAX) });
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
 * Runs `act` for each distinct reference, each in a transaction of its own; `refuse` may turn a reference away first
 * (not in the cluster, say) with a problem of its own.
 */
export async function applyEach(
  db: Database,
  references: readonly string[],
  act: (tx: Queryable, reference: string) => Promise<Result>,
  refuse: (reference: string) => BulkProblem | undefined = () => undefined,
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { done: 0, problems: [] };
  for (const reference of new Set(references)) {
    const refused = refuse(reference);
    if (refused) {
      outcome.problems.push(refused);
      continue;
    }
    const result = await db.transaction((tx) => act(tx, reference));
    if (result.kind === 'done') outcome.done++;
    else outcome.problems.push({ reference, ...result });
  }
  return outcome;
}
