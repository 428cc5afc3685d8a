/**
 * Trusted timestamps (RFC 3161) for filed reports. The request for each configured authority is queued in the very
 * statement that files the report (`report_timestamps`, intake-batch.ts), so it survives a restart; the worker here
 * asks the authority in the background, never delaying the receipt, and keeps the token once it has checked it (for
 * this hash and nonce, signed by a time-stamping certificate: lib/integrity/timestamp.ts). An authority that cannot
 * be reached, or refuses, is asked again later with exponential backoff (30 s doubling to 6 hours, with jitter), for
 * as long as it takes: a timestamp is never given up on, and the console shows how many tries it has taken.
 *
 * Several workers (one per hub process on a PostgreSQL) never ask for one row at once: a row is claimed with a lease.
 */
import type { Logger } from 'pino';
import { readTimestampResponse, timestampRequest, type TokenFacts } from '../../lib/integrity/timestamp';
import type { Database, Queryable } from '../db';

const POLL_MS = 30_000;
const BATCH = 10;
const LEASE_MS = 2 * 60_000;
const TSA_TIMEOUT_MS = 15_000;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 6 * 60 * 60_000;
/** A token larger than this is no timestamp (ordinary ones are 2 to 8 KB with the certificate chain). */
const MAX_RESPONSE_BYTES = 64 * 1024;

export function timestampBackoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1)) * (0.5 + random());
}

export interface StoredTimestamp {
  tsaUrl: string;
  sha256: string;
  state: 'pending' | 'granted';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  /** Base64 DER of the TimeStampToken, once granted. */
  token: string | null;
  genTime: string | null;
  serial: string | null;
  tsa: string | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** A report's timestamps, granted or still asked for, by authority address. */
export async function timestampsOf(db: Queryable, reference: string): Promise<StoredTimestamp[]> {
  const rows = await db.query<{
    tsa_url: string;
    sha256: string;
    state: 'pending' | 'granted';
    attempts: number;
    last_error: string | null;
    next_attempt_at: Date;
    token: string | null;
    gen_time: Date | null;
    serial: string | null;
    tsa_name: string | null;
  }>(
    `SELECT tsa_url, sha256, state, attempts, last_error, next_attempt_at, token, gen_time, serial, tsa_name
       FROM report_timestamps WHERE reference = $1 ORDER BY tsa_url`,
    [reference],
  );
  return rows.map((row) => ({
    tsaUrl: row.tsa_url,
    sha256: row.sha256,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: iso(row.next_attempt_at)!,
    token: row.token,
    genTime: iso(row.gen_time),
    serial: row.serial,
    tsa: row.tsa_name,
  }));
}

/** The tokens granted for a report, as the status answer gives them to the reporter. */
export async function grantedTimestamps(db: Queryable, reference: string): Promise<Array<{ authority: string; genTime: string; serial: string; token: string }>> {
  return (await timestampsOf(db, reference))
    .filter((stamp) => stamp.state === 'granted' && stamp.token && stamp.genTime && stamp.serial)
    .map((stamp) => ({ authority: stamp.tsa ?? stamp.tsaUrl, genTime: stamp.genTime!, serial: stamp.serial!, token: stamp.token! }));
}

interface Claimed {
  reference: string;
  tsaUrl: string;
  sha256: string;
  attempts: number;
}

async function claimDue(db: Queryable, now: Date): Promise<Claimed[]> {
  const rows = await db.query<{ reference: string; tsa_url: string; sha256: string; attempts: number }>(
    `UPDATE report_timestamps t SET lease_until = $1::timestamptz + make_interval(secs => $2::int / 1000.0), attempts = t.attempts + 1
      WHERE (t.reference, t.tsa_url) IN (
        SELECT reference, tsa_url FROM report_timestamps
         WHERE state = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
         ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING t.reference, t.tsa_url, t.sha256, t.attempts`,
    [now, LEASE_MS, BATCH],
  );
  return rows.map((row) => ({ reference: row.reference, tsaUrl: row.tsa_url, sha256: row.sha256, attempts: row.attempts }));
}

async function recordGranted(db: Queryable, row: Claimed, token: Uint8Array, facts: TokenFacts, at: Date): Promise<void> {
  await db.query(
    `UPDATE report_timestamps SET state = 'granted', token = $3, gen_time = $4, serial = $5, tsa_name = $6, granted_at = $7,
            lease_until = NULL, last_error = NULL
      WHERE reference = $1 AND tsa_url = $2 AND state = 'pending'`,
    [row.reference, row.tsaUrl, Buffer.from(token).toString('base64'), facts.genTime, facts.serial, facts.tsa.slice(0, 500), at],
  );
}

async function recordFailed(db: Queryable, row: Claimed, error: string, retryAt: Date): Promise<void> {
  await db.query(
    `UPDATE report_timestamps SET next_attempt_at = $3, lease_until = NULL, last_error = $4
      WHERE reference = $1 AND tsa_url = $2 AND state = 'pending'`,
    [row.reference, row.tsaUrl, retryAt, error.slice(0, 500)],
  );
}

/** Asks `url` for a token over `sha256`; the checked token and its facts, or why not, in words. */
export async function askAuthority(url: string, sha256: string, fetcher: typeof fetch = fetch): Promise<({ ok: true; token: Uint8Array } & TokenFacts) | { ok: false; error: string }> {
  const { der, nonce } = timestampRequest(sha256);
  let response: Response;
  try {
    response = await fetcher(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
      body: der,
      signal: AbortSignal.timeout(TSA_TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (error) {
    return { ok: false, error: `The authority could not be reached (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!response.ok) return { ok: false, error: `The authority answered HTTP ${response.status}` };
  const declared = Number(response.headers.get('Content-Length') ?? 0);
  if (declared > MAX_RESPONSE_BYTES) return { ok: false, error: 'The authority sent an answer too large to be a timestamp' };
  const body = new Uint8Array(await response.arrayBuffer());
  if (body.byteLength > MAX_RESPONSE_BYTES) return { ok: false, error: 'The authority sent an answer too large to be a timestamp' };
  return readTimestampResponse(body, sha256, nonce);
}

// Woken right after a commit that queued requests, so a token is asked for in seconds rather than at the next poll.
const wakers = new WeakMap<object, Set<() => void>>();

export function wakeTimestamps(db: Database): void {
  for (const wake of wakers.get(db) ?? []) wake();
}

export interface TimestampWorkerOptions {
  db: Database;
  logger: Logger;
  now?: () => Date;
  fetch?: typeof fetch;
  backoffMs?: (attempt: number) => number;
}

export class TimestampWorker {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => Date;
  private readonly backoffMs: (attempt: number) => number;
  private readonly wakeFn = () => this.wake();

  constructor(private readonly options: TimestampWorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.backoffMs = options.backoffMs ?? ((attempt) => timestampBackoffMs(attempt));
  }

  start(): void {
    let set = wakers.get(this.options.db);
    if (!set) wakers.set(this.options.db, (set = new Set()));
    set.add(this.wakeFn);
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runUntilIdle()
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'timestamp worker: a look failed; it looks again soon');
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Asks for every due token until none is due. */
  async runUntilIdle(): Promise<void> {
    for (;;) {
      const claimed = await claimDue(this.options.db, this.now());
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((row) => this.ask(row)));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    wakers.get(this.options.db)?.delete(this.wakeFn);
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async ask(row: Claimed): Promise<void> {
    const answer = await askAuthority(row.tsaUrl, row.sha256, this.options.fetch);
    const at = this.now();
    if (answer.ok) {
      await recordGranted(this.options.db, row, answer.token, answer, at);
      this.options.logger.info({ tsa: row.tsaUrl, genTime: answer.genTime }, 'timestamp granted');
      return;
    }
    await recordFailed(this.options.db, row, answer.error, new Date(at.getTime() + this.backoffMs(row.attempts)));
    this.options.logger.warn({ tsa: row.tsaUrl, attempt: row.attempts, reason: answer.error }, 'timestamp not granted; it will be asked again');
  }
}
