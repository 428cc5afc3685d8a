/**
 * The triage queue: urgent reports first, then oldest first (or oldest or newest first regardless of urgency),
 * filtered and searched, one page at a time by keyset.
 *
 * Keyset, never OFFSET: a page starts strictly after (or before) the last row the moderator saw, by the sort key
 * (urgent, received_at, reference), so a page costs the same wherever it is and rows arriving meanwhile do not shift
 * the pages. The key is read as two index ranges, the urgent reports and the rest, each in (received_at, reference)
 * order (`reports_queue_*_idx` in migrations/003_triage.sql); mixed sort directions cannot be one range. Sorted by
 * time alone, both ranges are read from the same point in the same direction and merged.
 */
import { z } from 'zod';
import { HarmType, Platform, Receipt, ReportStatus, TargetedCharacteristic, type Outcome } from '../../../lib/schema';
import { DEFAULT_CONFIG, type ConsoleConfig } from '../../config';
import type { Queryable } from '../../db';

export const PAGE_SIZE = 50;
/** Matches are counted up to here, then shown as "more than"; an exact count of a million rows is not worth its time. */
export const COUNT_CAP = 1000;
/** Related reports are counted up to here for the badge. */
export const RELATED_CAP = 100;

/** How the queue is ordered: urgent first then oldest first (the default), oldest first, newest first. */
export const QueueSort = z.enum(['urgency', 'oldest', 'newest']);
export type QueueSort = z.infer<typeof QueueSort>;

/** Where a page link points: after a row (next page) or before it (previous page), by its sort key. */
export const Cursor = z.strictObject({
  d: z.enum(['next', 'prev']),
  /** The order it was made in: a link from another order is out of date (absent in links made before sorting). */
  s: QueueSort.optional(),
  u: z.boolean(),
  /** received_at to the microsecond, so rows in the same millisecond still have distinct keys. */
  t: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
  r: Receipt.shape.reference,
});
export type Cursor = z.infer<typeof Cursor>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

const CURSOR_MESSAGE = 'This page link is damaged or out of date: start again from the first page';

/** An opaque page link from the query string, checked all the way down. */
const CursorParam = z
  .string()
  .max(400, CURSOR_MESSAGE)
  .regex(/^[A-Za-z0-9_-]+$/, CURSOR_MESSAGE)
  .transform((text, ctx) => {
    const cursor = Cursor.safeParse(parseJson(Buffer.from(text, 'base64url').toString('utf8')));
    if (cursor.success) return cursor.data;
    ctx.addIssue({ code: 'custom', message: CURSOR_MESSAGE });
    return z.NEVER;
  });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Status filter: one status, `open` (all but closed, the default) or `all`. */
export const StatusFilter = z.enum(['open', 'all', ...ReportStatus.options]);
/** Assignee filter: anyone, nobody, the moderator looking, or one moderator's id. */
export const AssigneeFilter = z.union([z.enum(['any', 'unassigned', 'mine']), z.uuid({ message: 'Choose an assignee from the list' })]);

/** Only the urgent reports. */
export const UrgentFilter = z.enum(['only']);
/** Only the reports past their time target (config `console.triageUrgentHours`, `triageNormalHours`). */
export const DueFilter = z.enum(['over']);

/** NUL cannot be stored or searched in PostgreSQL text, and a lone surrogate is not text at all. */
const SEARCHABLE = /^[^\u0000]*$/;
const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const day = z.iso.date({ message: 'Use a date such as 2026-01-31' });
/** Form fields left empty arrive as ''; they mean "no filter". */
const blank = (value: unknown) => (value === '' ? undefined : value);

/** The queue's query string. Every value is checked here, at the edge; a bad one is a message, not an error. */
export const QueueParams = z
  .object({
    status: z.preprocess(blank, StatusFilter.default('open')),
    characteristic: z.preprocess(blank, TargetedCharacteristic.optional()),
    harm: z.preprocess(blank, HarmType.optional()),
    platform: z.preprocess(blank, Platform.optional()),
    from: z.preprocess(blank, day.optional()),
    to: z.preprocess(blank, day.optional()),
    assignee: z.preprocess(blank, AssigneeFilter.default('any')),
    urgent: z.preprocess(blank, UrgentFilter.optional()),
    due: z.preprocess(blank, DueFilter.optional()),
    sort: z.preprocess(blank, QueueSort.default('urgency')),
    q: z.preprocess(
      (value) => (typeof value === 'string' ? blank(value.trim()) : value),
      z
        .string()
        .max(200, 'Search for at most 200 characters')
        .regex(SEARCHABLE, 'The search cannot contain the NUL character')
        .refine((text) => !UNPAIRED.test(text), 'The search contains a broken character')
        .optional(),
    ),
    cursor: z.preprocess(blank, CursorParam.optional()),
  })
  .refine((params) => !params.from || !params.to || params.from <= params.to, {
    path: ['to'],
    message: 'The end date is before the start date',
  })
  .refine((params) => !params.cursor || (params.cursor.s ?? 'urgency') === params.sort, { path: ['cursor'], message: CURSOR_MESSAGE });
export type QueueParams = z.infer<typeof QueueParams>;
/** What the queue is asked for; `urgent`, `due` and `sort` may be left out (no filter, urgency order). */
export type QueueFilters = Omit<QueueParams, 'cursor' | 'urgent' | 'due' | 'sort'> & Partial<Pick<QueueParams, 'urgent' | 'due' | 'sort'>>;

/** The organisation's time targets, in hours since a report arrived (hub config `console.triage*Hours`). */
export interface TriageTargets {
  urgentHours: number;
  normalHours: number;
}

/** The statuses in which a report waits for the organisation, so its time target runs. */
export const WAITING: readonly ReportStatus[] = ['received', 'in_review'];

/** Where the queue stands in time: now, and the targets (for the "past target" filter). */
export interface QueueClock {
  now: Date;
  targets: TriageTargets;
}

export interface QueueRow {
  reference: string;
  urgent: boolean;
  receivedAt: Date;
  status: ReportStatus;
  outcome: Outcome | null;
  characteristics: TargetedCharacteristic[];
  harmTypes: HarmType[];
  platforms: Platform[];
  assignedTo: string | null;
  assigneeEmail: string | null;
  /** The name the assignee gave themselves, else their email (hub/domain/people.ts). */
  assigneeName: string | null;
  /** Other reports about the same page or author, or sharing evidence (up to RELATED_CAP). */
  related: number;
  /** Other reports from the same reporter contact (up to RELATED_CAP): a repeat target. */
  sameReporter: number;
  /** The first SNIPPET_CHARS characters of the summary and a character more (to know it was cut); null once erased. */
  summary: string | null;
  /** The first captured picture held for this report (a screenshot if there is one), by SHA-256. */
  thumbnail: string | null;
}

/** Characters of the summary a row shows. */
export const SNIPPET_CHARS = 160;

export interface QueuePage {
  rows: QueueRow[];
  /** Links to the neighbouring pages, absent at either end. */
  next?: Cursor;
  prev?: Cursor;
}

/**
 * The filter values, as `$n` parameters: a value is never SQL text, whatever it holds and whatever the session's
 * `standard_conforming_strings` (issue 17: a backslash escaped a doubled quote where that setting was off). The
 * queries are sent as unnamed statements (`{ prepare: false }`, see hub/db.ts), which PostgreSQL plans for the values
 * bound each time: a named statement switches to one generic plan after five runs, which cannot see which platform
 * or word is asked for and read a million-row index in order for a rare combination (1.8 s where the plan for the
 * actual values took 12 ms in bench:triage). Each value is cast where it is used, so its type is the column's.
 */
class Params {
  readonly values: unknown[] = [];
  add(value: string): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** How the queue's statements are sent: planned for their values every time. */
const PLAN_FOR_VALUES = { prepare: false } as const;

/** The WHERE conditions for the filters; `me` is the moderator looking (for "mine"), `clock` the time targets' now. */
function conditions(filters: QueueFilters, me: string, params: Params, clock: QueueClock | undefined): string[] {
  const where: string[] = [];
  // `open` is written out, not parameterised, so the planner can prove the partial index's predicate.
  if (filters.status === 'open') where.push(`r.status <> 'closed'`);
  else if (filters.status !== 'all') where.push(`r.status = ${params.add(filters.status)}::text`);
  if (filters.characteristic) where.push(`r.characteristics @> ARRAY[${params.add(filters.characteristic)}::text]`);
  if (filters.harm) where.push(`r.harm_types @> ARRAY[${params.add(filters.harm)}::text]`);
  if (filters.platform) where.push(`r.platforms @> ARRAY[${params.add(filters.platform)}::text]`);
  // Dates are whole UTC days, both ends included.
  if (filters.from) where.push(`r.received_at >= ${params.add(`${filters.from}T00:00:00Z`)}::timestamptz`);
  if (filters.to) where.push(`r.received_at < ${params.add(`${filters.to}T00:00:00Z`)}::timestamptz + interval '1 day'`);
  if (filters.assignee === 'unassigned') where.push('r.assigned_to IS NULL');
  else if (filters.assignee !== 'any') where.push(`r.assigned_to = ${params.add(filters.assignee === 'mine' ? me : filters.assignee)}::uuid`);
  if (filters.q) where.push(`r.search @@ websearch_to_tsquery('simple', ${params.add(filters.q)}::text)`);
  if (filters.urgent === 'only') where.push('r.urgent');
  if (filters.due === 'over') where.push(pastTarget(clock ?? defaultClock(), params));
  return where;
}

const HOUR_MS = 3_600_000;

/** Still waiting for the organisation and received before its urgency's target. */
function pastTarget({ now, targets }: QueueClock, params: Params): string {
  const before = (hours: number) => params.add(new Date(now.getTime() - hours * HOUR_MS).toISOString());
  return `(r.status IN (${WAITING.map((status) => `'${status}'`).join(', ')})
           AND r.received_at < CASE WHEN r.urgent THEN ${before(targets.urgentHours)}::timestamptz ELSE ${before(targets.normalHours)}::timestamptz END)`;
}

/** The queue's clock from the organisation's settings (hub config `console.triage*Hours`). */
export function queueClock(settings: Pick<ConsoleConfig, 'triageUrgentHours' | 'triageNormalHours'>, now: Date): QueueClock {
  return { now, targets: { urgentHours: settings.triageUrgentHours, normalHours: settings.triageNormalHours } };
}

/** Now and hub config's default targets, for callers that do not pass the organisation's own (benchmarks). */
function defaultClock(): QueueClock {
  return queueClock(DEFAULT_CONFIG.console, new Date());
}

/** One index range (the urgent reports or the others) in `order` under `where`, at most one page and one row (the extra row says whether there is more). */
function range(urgent: boolean, where: string[], order: 'ASC' | 'DESC'): string {
  const conditionsHere = [urgent ? 'r.urgent' : 'NOT r.urgent', ...where];
  return `(SELECT r.reference, r.urgent, r.received_at FROM reports r WHERE ${conditionsHere.join(' AND ')}
            ORDER BY r.received_at ${order}, r.reference ${order} LIMIT ${PAGE_SIZE + 1})`;
}

/** Strictly after (or before) the cursor's row in (received_at, reference) order. */
function beyond(cursor: Cursor, comparison: '<' | '>', params: Params): string {
  return `(r.received_at, r.reference) ${comparison} (${params.add(cursor.t)}::timestamptz, ${params.add(cursor.r)}::text)`;
}

/** The ranges an urgency-ordered page reads, in the order it reads them: forwards urgent then the rest, backwards the reverse. */
function ranges(cursor: Cursor | undefined): boolean[] {
  if (!cursor) return [true, false];
  if (cursor.d === 'next') return cursor.u ? [true, false] : [false];
  return cursor.u ? [true] : [false, true];
}

/** The ranges and the order of one page: urgency order reads the ranges one after the other, time order merges both. */
function pageParts(sort: QueueSort, where: string[], cursor: Cursor | undefined, params: Params): { parts: string[]; order: (alias: string) => string } {
  const backwards = cursor?.d === 'prev';
  if (sort === 'urgency') {
    const order = backwards ? 'DESC' : 'ASC';
    const parts = ranges(cursor).map((urgent) =>
      range(urgent, cursor && cursor.u === urgent ? [...where, beyond(cursor, backwards ? '<' : '>', params)] : where, order),
    );
    return {
      parts,
      order: (alias) =>
        backwards
          ? `${alias}.urgent ASC, ${alias}.received_at DESC, ${alias}.reference DESC`
          : `${alias}.urgent DESC, ${alias}.received_at ASC, ${alias}.reference ASC`,
    };
  }
  const ascending = (sort === 'oldest') !== backwards;
  const order = ascending ? 'ASC' : 'DESC';
  const within = cursor ? [...where, beyond(cursor, ascending ? '>' : '<', params)] : where;
  return { parts: [true, false].map((urgent) => range(urgent, within, order)), order: (alias) => `${alias}.received_at ${order}, ${alias}.reference ${order}` };
}

interface RowWithKey extends QueueRow {
  receivedKey: string;
}

/** The statement for one page (exported for the benchmark's EXPLAIN): at most PAGE_SIZE + 1 rows, in page order. */
export function queueSql(filters: QueueFilters, me: string, cursor?: Cursor, clock?: QueueClock): { sql: string; params: unknown[] } {
  const params = new Params();
  const where = conditions(filters, me, params, clock);
  const { parts, order } = pageParts(filters.sort ?? 'urgency', where, cursor, params);
  const sql = `WITH page AS (
       SELECT * FROM (${parts.join(' UNION ALL ')}) AS ranges ORDER BY ${order('ranges')} LIMIT ${PAGE_SIZE + 1}
     )
     SELECT r.reference, r.urgent, r.received_at AS "receivedAt", r.status, r.outcome, r.characteristics,
            r.harm_types AS "harmTypes", r.platforms, r.assigned_to AS "assignedTo", m.email AS "assigneeEmail",
            coalesce(m.display_name, m.email) AS "assigneeName",
            to_char(r.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "receivedKey",
            related.n AS related, same_reporter.n AS "sameReporter",
            left(r.body->'incident'->>'summary', ${SNIPPET_CHARS + 1}) AS summary, thumbnail.sha256 AS thumbnail
       FROM page JOIN reports r ON r.reference = page.reference
       LEFT JOIN moderators m ON m.id = r.assigned_to
       CROSS JOIN LATERAL (${relatedCount('r')}) AS related
       CROSS JOIN LATERAL (${sameReporterCount('r')}) AS same_reporter
       LEFT JOIN LATERAL (${firstPicture('r')}) AS thumbnail ON true
      ORDER BY ${order('page')}`;
  return { sql, params: params.values };
}

/**
 * SQL for the first captured picture of `alias`'s report that the hub holds: its first screenshot in item order, else
 * its first picture of any kind (an element, a full page, an upload). Never a page snapshot: that is not an image.
 */
function firstPicture(alias: string): string {
  const array = (json: string) => `CASE WHEN jsonb_typeof(${json}) = 'array' THEN ${json} ELSE '[]' END`;
  return `SELECT e.evidence->>'sha256' AS sha256
            FROM jsonb_array_elements(${array(`${alias}.body->'items'`)}) WITH ORDINALITY AS i (item, n),
                 jsonb_array_elements(${array(`i.item->'evidence'`)}) WITH ORDINALITY AS e (evidence, m)
           WHERE e.evidence->>'mediaType' IN ('image/png', 'image/jpeg', 'image/webp')
             AND EXISTS (SELECT 1 FROM report_evidence re WHERE re.reference = ${alias}.reference AND re.sha256 = e.evidence->>'sha256')
           ORDER BY e.evidence->>'kind' <> 'screenshot', i.n, e.m
           LIMIT 1`;
}

/** One page of the queue for these filters, from `cursor` (the first page without one). */
export async function queuePage(db: Queryable, filters: QueueFilters, me: string, cursor?: Cursor, clock?: QueueClock): Promise<QueuePage> {
  const { sql, params } = queueSql(filters, me, cursor, clock);
  const rows = await db.query<RowWithKey>(sql, params, PLAN_FOR_VALUES);
  const backwards = cursor?.d === 'prev';
  const more = rows.length > PAGE_SIZE;
  const shown = rows.slice(0, PAGE_SIZE);
  if (backwards) shown.reverse();
  const first = shown[0];
  const last = shown.at(-1);
  return {
    rows: shown.map(({ receivedKey: _key, ...row }) => row),
    ...(last && (backwards || more) ? { next: keyOf('next', last, filters.sort) } : {}),
    ...(first && (backwards ? more : cursor !== undefined) ? { prev: keyOf('prev', first, filters.sort) } : {}),
  };
}

function keyOf(d: Cursor['d'], row: RowWithKey, sort: QueueSort = 'urgency'): Cursor {
  return { d, ...(sort === 'urgency' ? {} : { s: sort }), u: row.urgent, t: row.receivedKey, r: row.reference };
}

/** How many reports match, counted up to COUNT_CAP + 1 (more than the cap is shown as "more than"). */
export async function countMatches(db: Queryable, filters: QueueFilters, me: string, clock?: QueueClock): Promise<number> {
  const params = new Params();
  const where = conditions(filters, me, params, clock);
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM reports r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} LIMIT ${COUNT_CAP + 1}) AS matches`,
    params.values,
    PLAN_FOR_VALUES,
  );
  return row?.n ?? 0;
}

/**
 * SQL for how many other reports share a key of `kinds` with `alias`'s report, up to RELATED_CAP (more shows as
 * "100+"): for each key, at most RELATED_CAP others from the btree of report_keys (003_triage.sql), then distinct.
 * A key with RELATED_CAP others reaches the cap alone, so below the cap the count is exact.
 */
function sharedKeyCount(alias: string, keys: string): string {
  return `SELECT count(DISTINCT other.reference)::int AS n
            FROM unnest(${keys}) AS mine (key)
            CROSS JOIN LATERAL (SELECT k.reference FROM report_keys k WHERE k.key = mine.key AND k.reference <> ${alias}.reference
                                 LIMIT ${RELATED_CAP}) AS other`;
}

/** SQL for the number of other reports about the same page or author, or sharing evidence (the three cluster kinds). */
export function relatedCount(alias: string): string {
  return sharedKeyCount(
    alias,
    `ARRAY(SELECT k FROM ohr_report_keys(${alias}.url_keys, ${alias}.author_keys, ${alias}.evidence_hashes, '{}') AS k)`,
  );
}

/** SQL for the number of other reports from the same reporter contact (by keyed hash; the contact is not read). */
export function sameReporterCount(alias: string): string {
  return sharedKeyCount(alias, `ARRAY(SELECT 'c ' || k FROM unnest(${alias}.contact_keys) AS k)`);
}
