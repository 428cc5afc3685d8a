/**
 * Satisfaction follow-up and equality monitoring (issue 20 items 5 and 6), kept apart from the report.
 *
 * A reporter's answers are keyed by a respondent key, SHA-256("ohr/respondent/1:" + status code), made here from the
 * code in the reporter's request and never from anything stored: the reports table keeps SHA-256 of the code alone,
 * so the database cannot join an answer to a report, while the reporter's two answers (monitoring after sending,
 * satisfaction after closing) share the key and can be counted together (satisfaction by community). Nothing here
 * touches the report's row or the audit log, whose times could be matched against an answer's; answers keep only the
 * day and the month. docs/hub-decisions.md "Satisfaction and monitoring answers, apart from the report" says why.
 *
 * Exported:
 * - `respondentKey(statusToken)`
 * - `satisfactionState(db, { status, outcome }, statusToken)`: what the status answer says
 * - `answerSatisfaction(db, { reference, statusToken, answer, now? })`, `answerMonitoring(db, { … })`
 * - `eraseRespondent(db, statusToken)`: a reporter withdrawing with the code in hand takes their answers with them
 * - `satisfactionCounts(db, range?)`, `monitoringCounts(db, range?)`, `satisfactionByCommunity(db, question, range?)`:
 *   aggregates only (the open data and the console; suppression of small numbers is theirs)
 * - `clearOldComments(db, months, now?)`: the retention purge clears comments as old as a closed report is kept
 */
import { ethnicGroupBroad, type MonitoringAnswers, type MonitoringReceipt, type Outcome, type ReportStatus, type SatisfactionAnswer, type SatisfactionReceipt } from '../../lib/schema';
import type { Database, Queryable } from '../db';
import { sha256Hex } from '../hash';

const RESPONDENT_PREFIX = 'ohr/respondent/1:';

/** The key a reporter's answers are stored under; only someone holding the status code can make it. */
export const respondentKey = (statusToken: string): Promise<string> => sha256Hex(RESPONDENT_PREFIX + statusToken);

/** The report states in which the satisfaction question is asked: closed, and not by the reporter's own withdrawal. */
export const satisfactionAsked = ({ status, outcome }: { status: ReportStatus; outcome?: Outcome | null }): boolean =>
  status === 'closed' && outcome !== 'withdrawn';

/** `open`, `answered`, or undefined when the question is not asked of this report. */
export async function satisfactionState(
  db: Queryable,
  report: { status: ReportStatus; outcome?: Outcome | null },
  statusToken: string,
): Promise<'open' | 'answered' | undefined> {
  if (!satisfactionAsked(report)) return undefined;
  const [row] = await db.query('SELECT 1 FROM satisfaction_answers WHERE respondent_key = $1', [await respondentKey(statusToken)]);
  return row ? 'answered' : 'open';
}

/** The first day of the month and the day itself, as stored: never the moment (see the header). */
function coarse(now: Date): { day: string; month: string } {
  const day = now.toISOString().slice(0, 10);
  return { day: `${day}T00:00:00Z`, month: `${day.slice(0, 7)}-01` };
}

interface ReportCheck {
  status: ReportStatus;
  outcome: Outcome | null;
}

/** The report this reference and code name, or undefined (the same for an unknown reference and a wrong code). */
async function reportFor(db: Queryable, reference: string, statusToken: string): Promise<ReportCheck | undefined> {
  const [row] = await db.query<ReportCheck>('SELECT status, outcome FROM reports WHERE reference = $1 AND status_token_sha256 = $2', [
    reference,
    await sha256Hex(statusToken),
  ]);
  return row;
}

export type SatisfactionResult =
  | { kind: 'answered' | 'replayed'; receipt: SatisfactionReceipt }
  | { kind: 'not_found' }
  /** Not closed yet, or withdrawn: the question is not asked. */
  | { kind: 'not_closed' }
  /** A different answer was already given for this report. */
  | { kind: 'already_answered' };

export interface SatisfactionInput {
  reference: string;
  statusToken: string;
  /** Validated with the protocol's `SatisfactionAnswer`. */
  answer: SatisfactionAnswer;
  now?: Date;
}

/** A comment of only spaces is no comment. */
const commentOf = (comment: string | undefined): string | null => (comment && comment.trim().length > 0 ? comment.trim() : null);

/** Stores the report's one satisfaction answer; the same answer sent again gets the first receipt. */
export async function answerSatisfaction(db: Database, { reference, statusToken, answer, now = new Date() }: SatisfactionInput): Promise<SatisfactionResult> {
  const report = await reportFor(db, reference, statusToken);
  if (!report) return { kind: 'not_found' };
  if (!satisfactionAsked(report)) return { kind: 'not_closed' };
  const key = await respondentKey(statusToken);
  const comment = commentOf(answer.comment);
  const { day, month } = coarse(now);
  const [inserted] = await db.query<{ month: string }>(
    `INSERT INTO satisfaction_answers (respondent_key, score, comment, answered_at, month) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (respondent_key) DO NOTHING RETURNING to_char(month, 'YYYY-MM') AS month`,
    [key, answer.score, comment, day, month],
  );
  if (inserted) return { kind: 'answered', receipt: { score: answer.score, comment: comment !== null, month: inserted.month } };
  const [earlier] = await db.query<{ score: number; comment: string | null; month: string }>(
    `SELECT score, comment, to_char(month, 'YYYY-MM') AS month FROM satisfaction_answers WHERE respondent_key = $1`,
    [key],
  );
  // A comment cleared by retention since still counts as the same answer: the score decides.
  if (!earlier || earlier.score !== answer.score || (earlier.comment !== null && earlier.comment !== comment)) return { kind: 'already_answered' };
  return { kind: 'replayed', receipt: { score: earlier.score, comment: earlier.comment !== null, month: earlier.month } };
}

export type MonitoringResult =
  | { kind: 'answered' | 'replayed'; receipt: MonitoringReceipt }
  | { kind: 'not_found' }
  | { kind: 'already_answered' };

const COLUMNS = {
  ethnicGroup: 'ethnic_group',
  religion: 'religion',
  sexualOrientation: 'sexual_orientation',
  genderIdentity: 'gender_identity',
  disability: 'disability',
  ageBand: 'age_band',
} as const satisfies Record<keyof MonitoringAnswers, string>;
type MonitoringColumn = (typeof COLUMNS)[keyof typeof COLUMNS] | 'ethnic_group_broad';
const FIELDS = Object.keys(COLUMNS) as (keyof MonitoringAnswers)[];

type MonitoringRow = Record<MonitoringColumn, string | null> & { month: string };

/** Stores the reporter's monitoring answers, once per report (any time after sending); the same answers again get the first receipt. */
export async function answerMonitoring(
  db: Database,
  { reference, statusToken, answers, now = new Date() }: { reference: string; statusToken: string; answers: MonitoringAnswers; now?: Date },
): Promise<MonitoringResult> {
  if (!(await reportFor(db, reference, statusToken))) return { kind: 'not_found' };
  const key = await respondentKey(statusToken);
  const values = FIELDS.map((field) => answers[field] ?? null);
  const broad = answers.ethnicGroup ? (ethnicGroupBroad(answers.ethnicGroup) ?? null) : null;
  const answered = FIELDS.filter((field) => answers[field] !== undefined);
  const [inserted] = await db.query<{ month: string }>(
    `INSERT INTO monitoring_answers (respondent_key, ${FIELDS.map((field) => COLUMNS[field]).join(', ')}, ethnic_group_broad, month)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (respondent_key) DO NOTHING RETURNING to_char(month, 'YYYY-MM') AS month`,
    [key, ...values, broad, coarse(now).month],
  );
  if (inserted) return { kind: 'answered', receipt: { answered, month: inserted.month } };
  const [earlier] = await db.query<MonitoringRow>(
    `SELECT ${Object.values(COLUMNS).join(', ')}, to_char(month, 'YYYY-MM') AS month FROM monitoring_answers WHERE respondent_key = $1`,
    [key],
  );
  if (!earlier || FIELDS.some((field, index) => earlier[COLUMNS[field]] !== values[index])) return { kind: 'already_answered' };
  return { kind: 'replayed', receipt: { answered, month: earlier.month } };
}

/** Deletes both answers of the reporter holding this code (a withdrawal with the code in hand). Returns how many rows went. */
export async function eraseRespondent(db: Queryable, statusToken: string): Promise<number> {
  const key = await respondentKey(statusToken);
  const rows = await db.query(
    `WITH s AS (DELETE FROM satisfaction_answers WHERE respondent_key = $1 RETURNING 1),
          m AS (DELETE FROM monitoring_answers WHERE respondent_key = $1 RETURNING 1)
     SELECT 1 FROM s UNION ALL SELECT 1 FROM m`,
    [key],
  );
  return rows.length;
}

/** Months as 'YYYY-MM', both ends included; either may be left open. */
export interface MonthRange {
  from?: string;
  to?: string;
}
const monthBounds = ({ from, to }: MonthRange = {}): [string | null, string | null] => [from ? `${from}-01` : null, to ? `${to}-01` : null];
const IN_RANGE = '($1::date IS NULL OR month >= $1::date) AND ($2::date IS NULL OR month <= $2::date)';

export interface SatisfactionCount {
  month: string;
  score: number;
  count: number;
}

/** Satisfaction answers by month and score (no cell for a score nobody gave that month). */
export async function satisfactionCounts(db: Queryable, range?: MonthRange): Promise<SatisfactionCount[]> {
  const rows = await db.query<{ month: string; score: number; count: string | number }>(
    `SELECT to_char(month, 'YYYY-MM') AS month, score, count(*) AS count FROM satisfaction_answers
      WHERE ${IN_RANGE} GROUP BY month, score ORDER BY month, score`,
    monthBounds(range),
  );
  return rows.map((row) => ({ month: row.month, score: Number(row.score), count: Number(row.count) }));
}

/** The questions counted by community, as columns of monitoring_answers (ethnic group both ways). */
export const MONITORING_COLUMNS = ['ethnic_group_broad', 'ethnic_group', 'religion', 'sexual_orientation', 'gender_identity', 'disability', 'age_band'] as const;
export type MonitoringColumnName = (typeof MONITORING_COLUMNS)[number];

export interface MonitoringCount {
  question: MonitoringColumnName;
  /** The answer, or null for those who skipped the question. */
  value: string | null;
  count: number;
}

/** Monitoring answers by question and answer (skipped counted as null). */
export async function monitoringCounts(db: Queryable, range?: MonthRange): Promise<MonitoringCount[]> {
  const rows = await db.query<{ question: MonitoringColumnName; value: string | null; count: string | number }>(
    MONITORING_COLUMNS.map(
      (column) => `SELECT '${column}' AS question, ${column} AS value, count(*) AS count FROM monitoring_answers WHERE ${IN_RANGE} GROUP BY ${column}`,
    ).join(' UNION ALL ') + ' ORDER BY question, value NULLS LAST',
    monthBounds(range),
  );
  return rows.map((row) => ({ question: row.question, value: row.value, count: Number(row.count) }));
}

export interface CommunitySatisfactionCount {
  /** The community's answer to `question`; null: satisfaction from reporters who skipped it or gave no monitoring. */
  value: string | null;
  score: number;
  count: number;
}

/** Satisfaction by one monitoring question's answers (the reporter's two answers joined by their shared key), by the satisfaction answer's month. */
export async function satisfactionByCommunity(db: Queryable, question: MonitoringColumnName, range?: MonthRange): Promise<CommunitySatisfactionCount[]> {
  if (!MONITORING_COLUMNS.includes(question)) throw new Error(`Not a monitoring question: ${question}`);
  const rows = await db.query<{ value: string | null; score: number; count: string | number }>(
    `SELECT m.${question} AS value, s.score, count(*) AS count
       FROM satisfaction_answers s LEFT JOIN monitoring_answers m USING (respondent_key)
      WHERE ($1::date IS NULL OR s.month >= $1::date) AND ($2::date IS NULL OR s.month <= $2::date)
      GROUP BY m.${question}, s.score ORDER BY value NULLS LAST, score`,
    monthBounds(range),
  );
  return rows.map((row) => ({ value: row.value, score: Number(row.score), count: Number(row.count) }));
}

/**
 * Clears comments as old as a closed report is kept (`months` after the day they were written). A comment cannot be
 * found from its report (that is the point), so erasing a report cannot take it; this bounds how long the words stay.
 * The score stays: it is a number in an aggregate, linked to nobody.
 */
export async function clearOldComments(db: Queryable, months: number, now: Date = new Date()): Promise<number> {
  const rows = await db.query(
    `UPDATE satisfaction_answers SET comment = NULL WHERE comment IS NOT NULL AND answered_at <= $1::timestamptz - make_interval(months => $2) RETURNING 1`,
    [now, months],
  );
  return rows.length;
}
