/**
 * The open-data counts: how many reports received in the last 24 months per targeted characteristic, harm type,
 * platform, month received and outcome (the window is the cross-tabs' too, so one cannot be subtracted from the other). Only the report model's closed-list values, months and counts leave this module — never text a
 * person typed or captured — so nothing here can carry personal data. A report with two characteristics counts
 * once under each, so a table's counts need not add up to the number of reports. Withdrawn reports and reports closed
 * as duplicates are not counted (hub/domain/counted.ts), so one post reported five times counts once.
 */
import type { Queryable } from '../../db';
import { HarmType, Outcome, Platform, TargetedCharacteristic } from '../../../lib/schema';
import { standsAlone, standsAloneSql } from '../../domain/counted';

export const DIMENSIONS = ['characteristic', 'harm', 'platform', 'month', 'outcome'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Reports not closed yet have no outcome; they are counted under this value. */
export const OPEN = 'open';
export const MONTHS = 24;
/** The outcomes a counted report can have (withdrawn and duplicate ones are not counted at all). */
export const COUNTED_OUTCOMES = Outcome.options.filter((outcome) => standsAlone({ outcome }));

export interface Count {
  value: string;
  count: number;
}

export type Counts = Record<Dimension, Count[]>;

/** Counts below this are shown as "fewer than 5" on the public page and in the CSV, so no one can be singled out. */
export const SMALL_COUNT = 5;

/** What a count becomes in public: exact when zero or at least SMALL_COUNT, otherwise withheld. */
/** `withheld`: not small itself, but hidden so that a small count next to it cannot be worked out (suppress.ts). */
export type Shown = { kind: 'exact'; count: number } | { kind: 'few' } | { kind: 'withheld' };
export const shown = (count: number, suppress: boolean): Shown =>
  suppress && count > 0 && count < SMALL_COUNT ? { kind: 'few' } : { kind: 'exact', count };

/** The last `MONTHS` calendar months (UTC) ending with the one `now` is in, oldest first, as `YYYY-MM`. */
export function lastMonths(now: Date): string[] {
  return Array.from({ length: MONTHS }, (_, index) => {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (MONTHS - 1 - index), 1));
    return month.toISOString().slice(0, 7);
  });
}

/**
 * One scan of `reports` for all five dimensions (the triage columns of 003_triage.sql, grouped in the database; twice
 * as fast as a scan per dimension); then every possible value is listed, with 0 where no report has it, so a missing
 * row never reads as "not collected".
 */
export async function openDataCounts(db: Queryable, now: Date): Promise<Counts> {
  const months = lastMonths(now);
  const rows = await db.query<{ dimension: Dimension; value: string; n: number }>(
    `SELECT d.dimension, d.value, count(*)::int AS n
       FROM reports r,
            LATERAL (SELECT 'characteristic', unnest(r.characteristics)
                     UNION ALL SELECT 'harm', unnest(r.harm_types)
                     UNION ALL SELECT 'platform', unnest(r.platforms)
                     UNION ALL SELECT 'month', to_char(r.received_at AT TIME ZONE 'UTC', 'YYYY-MM')
                     UNION ALL SELECT 'outcome', coalesce(r.outcome, '${OPEN}')) AS d (dimension, value)
      WHERE ${standsAloneSql('r')} AND r.received_at >= $1::timestamptz
      GROUP BY d.dimension, d.value`,
    [`${months[0]}-01T00:00:00Z`],
  );
  const found = new Map(rows.map((row) => [`${row.dimension}:${row.value}`, row.n]));
  const listed = (dimension: Dimension, values: readonly string[]) =>
    values.map((value) => ({ value, count: found.get(`${dimension}:${value}`) ?? 0 }));
  return {
    characteristic: listed('characteristic', TargetedCharacteristic.options),
    harm: listed('harm', HarmType.options),
    platform: listed('platform', Platform.options),
    month: listed('month', months),
    outcome: listed('outcome', [...COUNTED_OUTCOMES, OPEN]),
  };
}
