/**
 * The delivery outbox (migration 011): alerts for urgent reports and notifications to reporters. Rows are written in
 * the transaction that makes them due (intake for alerts, see intake-batch.ts; a moderator's status change for
 * notifications), so nothing acknowledged goes unannounced; the worker (hub/delivery/worker.ts) claims, sends and
 * records them. Nothing here reads or keeps report content: a row names its report by reference.
 */
import { createHash } from 'node:crypto';
import type { ReportStatus } from '../../lib/schema';
import type { Database, Queryable } from '../db';

export const DELIVERY_KINDS = ['urgent_report', 'status_changed', 'question_asked', 'report_closed'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];
export type NotificationKind = Exclude<DeliveryKind, 'urgent_report'>;
export type DeliveryChannel = 'email' | 'webhook';
export type DeliveryState = 'pending' | 'sent' | 'failed' | 'dropped';

/** The `destination` of a notification to the report's own reporter. */
export const REPORTER = 'reporter';

export interface AlertDestination {
  id: string;
  channel: DeliveryChannel;
  target: string;
}

/** A destination's id: its channel and a short hash of its address, stable across restarts and processes. */
export function destinationId(channel: DeliveryChannel, target: string): string {
  return `${channel}:${createHash('sha256').update(target).digest('hex').slice(0, 16)}`;
}

/**
 * Makes the stored destinations the configured ones (at start). Every process of a hub has the same settings, so the
 * last to start writes the same rows; deliveries already due keep their destination and are sent while it is still
 * configured (see the worker's `dropped`).
 */
export async function syncAlertDestinations(db: Database, destinations: readonly AlertDestination[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM alert_destinations WHERE NOT (id = ANY($1::text[]))', [destinations.map((d) => d.id)]);
    await tx.query(
      `INSERT INTO alert_destinations (id, channel, target)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS d (id text, channel text, target text)
       ON CONFLICT (id) DO UPDATE SET channel = EXCLUDED.channel, target = EXCLUDED.target`,
      [JSON.stringify(destinations)],
    );
  });
}

/**
 * The SQL intake adds to its statement (as a CTE over its `filed` rows): one delivery per urgent report and configured
 * destination, committed with the report.
 */
export const URGENT_ALERTS_CTE = `
  INSERT INTO deliveries (kind, channel, destination, target, reference)
  SELECT 'urgent_report', d.channel, d.id, d.target, f.reference FROM filed f CROSS JOIN alert_destinations d WHERE f.urgent`;

/** Which notification a move to `to` is: asking the reporter something, closing the report, or any other move. */
export function notificationFor(to: ReportStatus): NotificationKind {
  return to === 'needs_info' ? 'question_asked' : to === 'closed' ? 'report_closed' : 'status_changed';
}

/** Which notification wins when two are merged: the one that asks most of the reporter. */
const NOTIFICATION_RANK = `ARRAY['status_changed', 'question_asked', 'report_closed']`;

/**
 * Inside the caller's transaction: queues a notification email to the report's reporter, only if they gave an email
 * address and asked for updates by email (`consents.emailUpdates`). One not yet tried is merged into rather than
 * joined by another (a question moves a report through two statuses; a moderator may click through several), so a
 * reporter gets one email per burst of changes, about the weightiest of them. Returns whether one was queued (the caller wakes the
 * worker after its commit, `wakeDeliveries`). A withdrawn report is the reporter's own act: nothing is sent for it.
 */
export async function queueReporterNotification(tx: Queryable, reference: string, kind: NotificationKind): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(
    `WITH merged AS (
       UPDATE deliveries SET kind = CASE WHEN array_position(${NOTIFICATION_RANK}, $2::text) > array_position(${NOTIFICATION_RANK}, kind)
                                         THEN $2 ELSE kind END
        WHERE reference = $1 AND destination = $3 AND state = 'pending' AND attempts = 0
       RETURNING id::text
     ), queued AS (
       INSERT INTO deliveries (kind, channel, destination, target, reference)
       SELECT $2, 'email', $3, $3, reference FROM reports
        WHERE reference = $1 AND erased_at IS NULL AND outcome IS DISTINCT FROM 'withdrawn'
          AND body->'reporter'->>'email' IS NOT NULL
          AND (body->'reporter'->'consents'->>'emailUpdates')::boolean IS TRUE
          AND NOT EXISTS (SELECT 1 FROM merged)
       RETURNING id::text
     )
     SELECT id FROM merged UNION ALL SELECT id FROM queued`,
    [reference, kind, REPORTER],
  );
  return rows.length > 0;
}

/** A row claimed for sending. */
export interface ClaimedDelivery {
  id: string;
  kind: DeliveryKind;
  channel: DeliveryChannel;
  destination: string;
  reference: string;
  /** This try's number, from 1. */
  attempt: number;
}

/**
 * Claims up to `limit` due rows for `leaseMs`: another worker (in this process or another hub process on the same
 * PostgreSQL) skips rows locked by a claim in progress (SKIP LOCKED) and rows whose claim has not lapsed, so a row is
 * never sent twice at once. A worker that stops mid-send leaves its claim to lapse and the row is sent again.
 */
export async function claimDue(db: Queryable, now: Date, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
  return db.query<ClaimedDelivery>(
    `UPDATE deliveries d SET attempts = d.attempts + 1, claimed_until = $2
       FROM (SELECT id FROM deliveries
              WHERE state = 'pending' AND due_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
              ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
      WHERE d.id = due.id
      RETURNING d.id::text, d.kind, d.channel, d.destination, d.reference, d.attempts AS attempt`,
    [now, new Date(now.getTime() + leaseMs), limit],
  );
}

/** One try's result: accepted, or not with a code and a short reason in words (never a body). */
export interface AttemptResult {
  ok: boolean;
  code?: number;
  reason?: string;
}

/**
 * Records a try and moves the row on: `sent`; `pending` again at `retryAt`; `failed` when out of tries; `dropped` when
 * there is nothing to send it to any more (the destination left the settings, the reporter's report was erased).
 */
export async function recordAttempt(
  db: Database,
  delivery: ClaimedDelivery,
  at: Date,
  result: AttemptResult,
  next: { state: 'sent' | 'failed' | 'dropped' } | { state: 'pending'; retryAt: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO delivery_attempts (delivery_id, attempt, at, ok, code, reason) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING`,
      [delivery.id, delivery.attempt, at, result.ok, result.code ?? null, result.reason?.slice(0, 200) ?? null],
    );
    await tx.query(
      `UPDATE deliveries SET state = $2, claimed_until = NULL, due_at = COALESCE($3, due_at),
              finished_at = CASE WHEN $2 = 'pending' THEN NULL ELSE $4::timestamptz END
        WHERE id = $1 AND attempts = $5`,
      [delivery.id, next.state, next.state === 'pending' ? next.retryAt : null, at, delivery.attempt],
    );
  });
}

/** What a notification email needs from its report: the address and the language, read at sending time. */
export async function reporterAddress(db: Queryable, reference: string): Promise<{ email: string; language?: string } | undefined> {
  const [row] = await db.query<{ email: string | null; language: string | null }>(
    `SELECT body->'reporter'->>'email' AS email, body->'reporter'->'contact'->>'language' AS language
       FROM reports WHERE reference = $1 AND erased_at IS NULL AND (body->'reporter'->'consents'->>'emailUpdates')::boolean IS TRUE`,
    [reference],
  );
  if (!row?.email) return undefined;
  return { email: row.email, ...(row.language ? { language: row.language } : {}) };
}

/** What an urgent report's alert may say about it: never its content. */
export async function alertFacts(db: Queryable, reference: string): Promise<{ receivedAt: Date; urgency: Record<string, boolean> } | undefined> {
  const [row] = await db.query<{ received_at: Date; urgency: Record<string, boolean> | null }>(
    `SELECT received_at, body->'urgency' AS urgency FROM reports WHERE reference = $1`,
    [reference],
  );
  return row && { receivedAt: new Date(row.received_at), urgency: row.urgency ?? {} };
}

export interface DeliveryLogRow {
  id: string;
  kind: DeliveryKind;
  channel: DeliveryChannel;
  target: string;
  reference: string;
  created_at: Date;
  state: DeliveryState;
  attempts: number;
  due_at: Date;
  last_at: Date | null;
  last_ok: boolean | null;
  last_code: number | null;
  last_reason: string | null;
}

/** The newest deliveries with their last try, for the console's delivery log; `state` narrows it. */
export async function listDeliveries(db: Queryable, options: { state?: DeliveryState; limit: number }): Promise<DeliveryLogRow[]> {
  return db.query<DeliveryLogRow>(
    `SELECT d.id::text, d.kind, d.channel, d.target, d.reference, d.created_at, d.state, d.attempts, d.due_at,
            a.at AS last_at, a.ok AS last_ok, a.code AS last_code, a.reason AS last_reason
       FROM deliveries d
       LEFT JOIN LATERAL (SELECT at, ok, code, reason FROM delivery_attempts WHERE delivery_id = d.id ORDER BY attempt DESC LIMIT 1) a ON true
      WHERE ($1::text IS NULL OR d.state = $1)
      ORDER BY d.created_at DESC, d.id LIMIT $2`,
    [options.state ?? null, options.limit],
  );
}

/** Every try of one delivery, oldest first. */
export async function listAttempts(db: Queryable, deliveryId: string) {
  return db.query<{ attempt: number; at: Date; ok: boolean; code: number | null; reason: string | null }>(
    'SELECT attempt, at, ok, code, reason FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt',
    [deliveryId],
  );
}

// Waking the worker right after a commit, so a delivery goes out in seconds rather than at the next poll. Keyed by the
// database object; a worker in another process finds the row at its next poll (or this process's worker sends it).
const wakers = new WeakMap<object, Set<() => void>>();

/** Registers `wake` to be called when deliveries for `db` become due; returns what unregisters it. */
export function onDeliveriesDue(db: Database, wake: () => void): () => void {
  let set = wakers.get(db);
  if (!set) wakers.set(db, (set = new Set()));
  set.add(wake);
  return () => set.delete(wake);
}

/** Wakes the workers of `db` (call after the commit that made deliveries due). */
export function wakeDeliveries(db: Database): void {
  for (const wake of wakers.get(db) ?? []) wake();
}
