/**
 * Report intake and the reporter's view of it. Outcomes are returned as data; app.ts turns them into HTTP.
 *
 * Exactly-once: the report id is the idempotency key and `reports.id` is unique, so a retried POST can only ever find
 * the first one. A retry gets the first receipt back, token included, from `idempotency_responses` (see README.md).
 */
import { isUrgent, StatusResponse, type Receipt, type Report } from '../../lib/schema';
import { AuditAction } from './audit';
import { sha256Hex } from '../hash';
import type { Database, Queryable } from '../db';
import { evidenceRefusal, type EvidenceRefusal } from './evidence';
import { intakeBatcher, type IntakeRow } from './intake-batch';
import { newReference, newStatusToken } from '../ids';
import { questionsFor } from './questions';
import { satisfactionState } from './satisfaction';
import { grantedTimestamps } from './timestamps';

/** How long a receipt's plaintext token is kept for replays. */
export const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;
const REFERENCE_ATTEMPTS = 5;

export interface SubmitOptions {
  /** RFC 3161 authorities to ask for a token over the report's hash: queued in the statement that files it (timestamps.ts). */
  timestampAuthorities?: readonly string[];
}

export type SubmitOutcome =
  | { kind: 'created' | 'replayed'; receipt: Receipt }
  | { kind: 'key_reused' }
  | EvidenceRefusal;

/**
 * Files a validated report whose canonical body hashes to `bodySha256`, or says why not.
 *
 * The common case, a new report whose evidence is already uploaded, costs one statement: the insert itself checks that
 * every piece of evidence is stored as described, and does nothing if not (or if the id is already filed). Only when
 * nothing was inserted does `refusal` look up why, which is where replays, missing and mismatched evidence are answered.
 */
export async function submitReport(db: Database, report: Report, bodySha256: string, options: SubmitOptions = {}): Promise<SubmitOutcome> {
  await purgeExpired(db);
  for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
    const receipt = await insertReport(db, report, bodySha256, options.timestampAuthorities ?? []);
    if (receipt) return { kind: 'created', receipt };
    const refused = await refusal(db, report, bodySha256);
    if (refused) return refused;
    // Nothing to refuse: the reference collided, or the evidence arrived between the two statements. Try again.
  }
  throw new Error('Could not allocate an unused report reference');
}

/**
 * Why a report was not inserted: its id is already filed (a replay, or a reused key; this comes first, as a retry must
 * get its first answer whatever has been uploaded since), or its evidence is missing or described differently.
 * Undefined when none of these holds.
 */
async function refusal(db: Database, report: Report, bodySha256: string): Promise<SubmitOutcome | undefined> {
  const earlier = await replay(db, report.id, bodySha256);
  if (earlier) return earlier;
  return evidenceRefusal(db, report.items);
}

/** Expired plaintext tokens are deleted at most once a minute per database, not on every POST (they are never served). */
const PURGE_INTERVAL_MS = 60_000;
const lastPurge = new WeakMap<Database, number>();
async function purgeExpired(db: Database): Promise<void> {
  const now = Date.now();
  if (now - (lastPurge.get(db) ?? 0) < PURGE_INTERVAL_MS) return;
  lastPurge.set(db, now);
  await db.query('DELETE FROM idempotency_responses WHERE expires_at <= now()');
}

/**
 * Files the report with its evidence links, items and replay token, atomically, through the database's intake batcher
 * (one statement and one commit for all reports arriving together; see intake-batch.ts). The report is only inserted
 * if every piece of evidence it describes is stored with the same media type and size (evidence is only deleted when
 * no report refers to it and it is days old; a report racing that purge fails its foreign key, see intake-batch.ts). Undefined if nothing was inserted: the evidence did not match, or a unique key
 * was taken (the report id by an earlier or concurrent twin, the reference by a collision).
 */
async function insertReport(db: Database, report: Report, bodySha256: string, timestampAuthorities: readonly string[]): Promise<Receipt | undefined> {
  const statusToken = newStatusToken();
  const row = intakeRow(report, {
    reference: newReference(),
    bodySha256,
    statusToken,
    statusTokenSha256: await sha256Hex(statusToken),
    receivedAt: new Date(),
    timestampAuthorities,
  });
  const inserted = await intakeBatcher(db).insert(row);
  return inserted ? { reference: row.reference, statusToken, receivedAt: row.received_at } : undefined;
}

/** What intake decided for a report, besides the report itself. */
export interface IntakeDecisions {
  reference: string;
  bodySha256: string;
  statusToken: string;
  statusTokenSha256: string;
  receivedAt: Date;
  /** Timestamp authorities whose requests are queued with the report. */
  timestampAuthorities?: readonly string[];
}

/** The row the intake batch files for `report`: its columns, the evidence it describes, its items, its replay token. */
export function intakeRow(report: Report, decided: IntakeDecisions): IntakeRow {
  return {
    reference: decided.reference,
    id: report.id,
    body: report,
    body_sha256: decided.bodySha256,
    urgent: isUrgent(report.urgency),
    status_token_sha256: decided.statusTokenSha256,
    received_at: decided.receivedAt.toISOString(),
    described: report.items.flatMap((item) =>
      item.evidence.map((evidence) => ({ sha256: evidence.sha256, media_type: evidence.mediaType, bytes: evidence.bytes })),
    ),
    items: report.items.map((item, idx) => ({ idx, url: item.url, page_title: item.pageTitle ?? null, platform: item.platform, kind: item.kind })),
    status_token: decided.statusToken,
    expires_at: new Date(decided.receivedAt.getTime() + REPLAY_WINDOW_MS).toISOString(),
    tsa_urls: [...(decided.timestampAuthorities ?? [])],
  };
}

interface ReplayRow {
  reference: string;
  body_sha256: string;
  received_at: Date;
  status_token: string | null;
}

/** The answer for a report id already filed, or undefined if it is new. */
async function replay(db: Database, reportId: string, bodySha256: string): Promise<SubmitOutcome | undefined> {
  const [row] = await db.query<ReplayRow>(
    `SELECT r.reference, r.body_sha256, r.received_at, i.status_token
       FROM reports r LEFT JOIN idempotency_responses i ON i.report_id = r.id AND i.expires_at > now()
      WHERE r.id = $1`,
    [reportId],
  );
  if (!row) return undefined;
  if (row.body_sha256 !== bodySha256) return { kind: 'key_reused' };
  const statusToken = row.status_token ?? (await reissueToken(db, reportId));
  return { kind: 'replayed', receipt: { reference: row.reference, statusToken, receivedAt: new Date(row.received_at).toISOString() } };
}

/**
 * After the replay window the old token is gone, so a late retry gets a new one that replaces it. Concurrent late
 * retries agree on one token: only the insert that finds no live row wins, the others read the winner's.
 */
async function reissueToken(db: Database, reportId: string): Promise<string> {
  return db.transaction(async (tx) => {
    const candidate = newStatusToken();
    const [won] = await tx.query<{ status_token: string }>(
      `INSERT INTO idempotency_responses (report_id, status_token, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (report_id) DO UPDATE SET status_token = EXCLUDED.status_token, expires_at = EXCLUDED.expires_at
         WHERE idempotency_responses.expires_at <= now()
       RETURNING status_token`,
      [reportId, candidate, new Date(Date.now() + REPLAY_WINDOW_MS)],
    );
    if (won) {
      await tx.query('UPDATE reports SET status_token_sha256 = $2 WHERE id = $1', [reportId, await sha256Hex(candidate)]);
      return candidate;
    }
    const [live] = await tx.query<{ status_token: string }>('SELECT status_token FROM idempotency_responses WHERE report_id = $1', [
      reportId,
    ]);
    if (!live) throw new Error('The replay token vanished while being reissued');
    return live.status_token;
  });
}

interface StatusRow {
  status: string;
  outcome: string | null;
  updated_at: Date;
  public_note: string | null;
}

const STATUS_COLUMNS = 'status, outcome, updated_at, public_note';

function toStatusResponse(row: StatusRow): StatusResponse {
  return StatusResponse.parse({
    status: row.status,
    ...(row.outcome ? { outcome: row.outcome } : {}),
    updatedAt: new Date(row.updated_at).toISOString(),
    ...(row.public_note ? { publicNote: row.public_note } : {}),
  });
}

/**
 * The status the holder of the token may see; undefined for an unknown reference and a wrong token alike. With
 * `questions`, the moderators' questions and the reporter's answers too (clients that know the field ask for it).
 */
export async function readStatus(
  db: Queryable,
  reference: string,
  statusToken: string,
  { questions = false, satisfaction = false, timestamps = false }: { questions?: boolean; satisfaction?: boolean; timestamps?: boolean } = {},
): Promise<StatusResponse | undefined> {
  const [row] = await db.query<StatusRow>(
    `SELECT ${STATUS_COLUMNS} FROM reports WHERE reference = $1 AND status_token_sha256 = $2`,
    [reference, await sha256Hex(statusToken)],
  );
  if (!row) return undefined;
  const status = toStatusResponse(row);
  // The satisfaction question's state: found by the key only the code makes, never by the reference (satisfaction.ts).
  const asked = satisfaction ? await satisfactionState(db, status, statusToken) : undefined;
  return {
    ...status,
    ...(questions ? { questions: await questionsFor(db, reference) } : {}),
    ...(asked ? { satisfaction: asked } : {}),
    ...(timestamps ? { timestamps: await grantedTimestamps(db, reference) } : {}),
  };
}

/**
 * The reporter withdraws: closed with outcome `withdrawn`, unless it was already closed (then unchanged). The change
 * and its audit row (no actor: the reporter) are one statement, so neither exists without the other.
 */
export async function withdrawReport(db: Queryable, reference: string, statusToken: string): Promise<StatusResponse | undefined> {
  const tokenSha256 = await sha256Hex(statusToken);
  const [changed] = await db.query<StatusRow>(
    `WITH old AS (
       SELECT reference, status, outcome FROM reports
        WHERE reference = $1 AND status_token_sha256 = $2 AND status <> 'closed' FOR UPDATE
     ), changed AS (
       UPDATE reports r SET status = 'closed', outcome = 'withdrawn', updated_at = now() FROM old WHERE r.reference = old.reference
       RETURNING r.reference, r.status, r.outcome, r.updated_at, r.public_note, old.status AS old_status, old.outcome AS old_outcome
     ), audit AS (
       INSERT INTO audit_log (actor_id, action, reference, before, after)
       SELECT NULL, $3, reference, jsonb_build_object('status', old_status, 'outcome', old_outcome),
              jsonb_build_object('status', status, 'outcome', outcome)
         FROM changed
     )
     SELECT ${STATUS_COLUMNS} FROM changed`,
    [reference, tokenSha256, AuditAction.withdraw],
  );
  return changed ? toStatusResponse(changed) : readStatus(db, reference, statusToken);
}
