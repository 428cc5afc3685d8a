/**
 * Which reports stand for a harm of their own. A report the reporter withdrew is not a claim any more, and a report
 * closed as a duplicate is another report of one post already counted (five people reporting one post are one post,
 * not five threats). Neither is counted in open data nor sent anywhere in a referral; this is the one place that says
 * so, for SQL (open data) and for rows already loaded (referrals).
 */
import type { Outcome } from '../../lib/schema';

/** The outcomes that take a report out of the counts and out of referrals. */
export const NOT_COUNTED_OUTCOMES = ['withdrawn', 'duplicate'] as const satisfies readonly Outcome[];
export type NotCountedOutcome = (typeof NOT_COUNTED_OUTCOMES)[number];

const NOT_COUNTED: ReadonlySet<string> = new Set(NOT_COUNTED_OUTCOMES);

/** True for a report that stands for a harm of its own: open, or closed with any other outcome. */
export const standsAlone = (report: { outcome?: Outcome | null }): boolean => !report.outcome || !NOT_COUNTED.has(report.outcome);

/** The same rule as a SQL condition on a `reports` row aliased `alias` (no parameters: the values are fixed above). */
export const standsAloneSql = (alias: string): string =>
  `(${alias}.outcome IS NULL OR ${alias}.outcome NOT IN (${NOT_COUNTED_OUTCOMES.map((outcome) => `'${outcome}'`).join(', ')}))`;
