/**
 * The open data's cross-tabulations (issue 20: what London's plans ask a reporting service to publish): targeted
 * characteristic by month, platform by harm, outcome by month, time to first action by month, satisfaction by month
 * and by community. Counts of closed-list values only, never a report's words; withdrawn reports and closed duplicates
 * are left out (hub/domain/counted.ts). Suppression is applied when they are shown (suppress.ts).
 *
 * Months are the month a report was received (UTC), from the first month in the last 24 with a counted report to the
 * current one: an organisation that started last spring does not publish a year of zeros, and a quiet month in between
 * still shows as a zero.
 */
import type { Queryable } from '../../db';
import { HarmType, Platform, TargetedCharacteristic } from '../../../lib/schema';
import { ETHNIC_GROUP_BROAD, MONITORING_VALUES, PREFER_NOT_TO_SAY, SATISFACTION_SCORES } from '../../../lib/schema/monitoring';
import { standsAloneSql } from '../../domain/counted';
import { AuditAction } from '../../domain/audit';
import { satisfactionByCommunity, satisfactionCounts, type MonitoringColumnName } from '../../domain/satisfaction';
import { COUNTED_OUTCOMES, lastMonths, OPEN } from './counts';

/** A table's rows or columns: what they are and their values in order. */
export type Axis = 'characteristic' | 'harm' | 'platform' | 'month' | 'outcome' | 'score' | Community;

/** The monitoring questions satisfaction is published by (the monitoring_answers columns, high-level ethnic groups). */
export const COMMUNITIES = ['ethnic_group_broad', 'religion', 'sexual_orientation', 'gender_identity', 'disability'] as const satisfies readonly MonitoringColumnName[];
export type Community = (typeof COMMUNITIES)[number];

/** Satisfaction from reporters who skipped the question or gave no monitoring answers at all. */
export const NOT_ANSWERED = 'not_answered';

export const TABLE_IDS = [
  'characteristic_by_month',
  'platform_by_harm',
  'outcome_by_month',
  'satisfaction_by_month',
  ...COMMUNITIES.map((community) => `satisfaction_by_${community}` as const),
] as const;
export type TableId = (typeof TABLE_IDS)[number];

export interface CrossTab {
  id: TableId;
  rows: { axis: Axis; values: string[] };
  columns: { axis: Axis; values: string[] };
  /** counts[row][column]. */
  counts: number[][];
  /** A row is a group of people: a row with fewer than 5 is withheld whole. */
  smallRows: boolean;
}

/** Time to first action: received to the first status change by a moderator (audit entries survive erasure). */
export interface FirstAction {
  month: string;
  /** Counted reports received that month that a moderator has acted on. */
  acted: number;
  /** Counted reports received that month still waiting for a first action. */
  waiting: number;
  /** Hours: quartiles over the `acted` reports. */
  p25: number;
  median: number;
  p75: number;
}

export interface Tables {
  months: string[];
  crossTabs: CrossTab[];
  firstAction: FirstAction[];
}

const COMMUNITY_VALUES: Record<Community, readonly string[]> = {
  ethnic_group_broad: [...ETHNIC_GROUP_BROAD, PREFER_NOT_TO_SAY],
  religion: MONITORING_VALUES.religion,
  sexual_orientation: MONITORING_VALUES.sexualOrientation,
  gender_identity: MONITORING_VALUES.genderIdentity,
  disability: MONITORING_VALUES.disability,
};

const MONTH_SQL = `to_char(r.received_at AT TIME ZONE 'UTC', 'YYYY-MM')`;

/** The months from the first one holding any of `used` to the last of the 24; only the current one when none does. */
export function foldedMonths(all: readonly string[], used: Iterable<string>): string[] {
  const seen = new Set(used);
  const first = all.findIndex((month) => seen.has(month));
  return all.slice(first < 0 ? all.length - 1 : first);
}

function crossTab(id: TableId, rows: CrossTab['rows'], columns: CrossTab['columns'], found: { row: string; column: string; n: number }[], smallRows = false): CrossTab {
  const at = new Map(found.map(({ row, column, n }) => [`${row}\u0000${column}`, n]));
  const counts = rows.values.map((row) => columns.values.map((column) => at.get(`${row}\u0000${column}`) ?? 0));
  return { id, rows, columns, counts, smallRows };
}

type Pair = { row: string; column: string; n: number };

export async function openDataTables(db: Queryable, now: Date): Promise<Tables> {
  const all = lastMonths(now);
  const since = `${all[0]}-01T00:00:00Z`;
  const counted = standsAloneSql('r');
  const [byStrand, byPlatform, byOutcome, acted, satisfaction] = await Promise.all([
    db.query<Pair>(
      `SELECT c AS row, ${MONTH_SQL} AS column, count(*)::int AS n FROM reports r, unnest(r.characteristics) AS c
        WHERE ${counted} AND r.received_at >= $1::timestamptz GROUP BY 1, 2`,
      [since],
    ),
    db.query<Pair>(
      `SELECT p AS row, h AS column, count(*)::int AS n FROM reports r, unnest(r.platforms) AS p, unnest(r.harm_types) AS h
        WHERE ${counted} GROUP BY 1, 2`,
    ),
    db.query<Pair>(
      `SELECT coalesce(r.outcome, '${OPEN}') AS row, ${MONTH_SQL} AS column, count(*)::int AS n FROM reports r
        WHERE ${counted} AND r.received_at >= $1::timestamptz GROUP BY 1, 2`,
      [since],
    ),
    // The first status change a moderator made (actor set; the reporter's own changes have none), per report.
    db.query<{ month: string; acted: number; waiting: number; p25: number | null; median: number | null; p75: number | null }>(
      `SELECT month, count(hours)::int AS acted, (count(*) - count(hours))::int AS waiting,
              percentile_cont(0.25) WITHIN GROUP (ORDER BY hours) AS p25,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS median,
              percentile_cont(0.75) WITHIN GROUP (ORDER BY hours) AS p75
         FROM (SELECT ${MONTH_SQL} AS month,
                      (SELECT extract(epoch FROM min(e.at) - r.received_at) / 3600 FROM audit_entries e
                        WHERE e.reference = r.reference AND e.action = $2 AND e.actor_id IS NOT NULL) AS hours
                 FROM reports r WHERE ${counted} AND r.received_at >= $1::timestamptz) AS t
        GROUP BY month`,
      [since, AuditAction.status],
    ),
    satisfactionCounts(db, { from: all[0] }),
  ]);
  const months = foldedMonths(all, [...byStrand, ...byOutcome].map((row) => row.column));
  const satisfactionMonths = foldedMonths(all, satisfaction.map((row) => row.month));
  const scores = SATISFACTION_SCORES.map(String);
  const communities = await Promise.all(
    COMMUNITIES.map(async (community) => {
      const found = await satisfactionByCommunity(db, community, { from: all[0] });
      return crossTab(
        `satisfaction_by_${community}`,
        { axis: community, values: [...COMMUNITY_VALUES[community], NOT_ANSWERED] },
        { axis: 'score', values: scores },
        found.map(({ value, score, count }) => ({ row: value ?? NOT_ANSWERED, column: String(score), n: count })),
        true,
      );
    }),
  );
  return {
    months,
    crossTabs: [
      crossTab('characteristic_by_month', { axis: 'characteristic', values: TargetedCharacteristic.options }, { axis: 'month', values: months }, byStrand),
      crossTab('platform_by_harm', { axis: 'platform', values: Platform.options }, { axis: 'harm', values: HarmType.options }, byPlatform),
      crossTab('outcome_by_month', { axis: 'outcome', values: [...COUNTED_OUTCOMES, OPEN] }, { axis: 'month', values: months }, byOutcome),
      crossTab(
        'satisfaction_by_month',
        { axis: 'month', values: satisfactionMonths },
        { axis: 'score', values: scores },
        satisfaction.map(({ month, score, count }) => ({ row: month, column: String(score), n: count })),
      ),
      ...communities,
    ],
    firstAction: months.flatMap((month) => {
      const row = acted.find((found) => found.month === month);
      if (!row) return [];
      const hours = (value: number | null) => Math.round(Number(value ?? 0) * 10) / 10;
      return [{ month, acted: row.acted, waiting: row.waiting, p25: hours(row.p25), median: hours(row.median), p75: hours(row.p75) }];
    }),
  };
}
