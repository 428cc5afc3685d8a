/**
 * When to send a report again, for every product that sends one (the extension's outbox and the widget's): which
 * answers are worth retrying, how long to wait (exponential backoff with full jitter), and how far to honour the
 * endpoint's `Retry-After`. One set of numbers, so the products cannot drift apart.
 */

/** Worth sending again as it is: the endpoint failing (5xx), or time-out, conflict in flight, too early, too many. */
const RETRYABLE_4XX = [408, 409, 425, 429];

/** True when an answer with this status should be retried later; anything else (400, 401, 403, 404, 413, 422…) is a refusal. */
export const isRetryable = (status: number): boolean => status >= 500 || RETRYABLE_4XX.includes(status);

export interface Backoff {
  /** The first retry waits up to this; each further retry doubles it. */
  baseDelayMs: number;
  /** No backoff waits longer than this. */
  maxDelayMs: number;
}

/**
 * 2 s doubling up to 5 minutes. The cap is the widget's: it retries only while its page is open (or when the page is
 * opened again), so a longer wait would often never come; for the extension, whose outbox also retries at once when
 * the network comes back and drains a recovered endpoint's queue straight after its first success, 5 minutes keeps a
 * report of someone in distress from idling for a quarter of an hour after an outage, at the cost of one request per
 * waiting report every 2.5 minutes on average, which any endpoint can take.
 */
export const BACKOFF: Backoff = { baseDelayMs: 2_000, maxDelayMs: 5 * 60_000 };

/** A `Retry-After` longer than four times the longest backoff is not allowed to park a victim's report: 20 minutes. */
export const RETRY_AFTER_CAP_MS = 20 * 60_000;

/**
 * How long to wait before the next attempt, after `retries` earlier retries (0 for the first): a random time in
 * [0, min(maxDelayMs, baseDelayMs·2^retries)), but never sooner than the endpoint's Retry-After, itself capped at four
 * times `maxDelayMs`.
 */
export function backoffMs(retries: number, retryAfterMs = 0, random = Math.random, backoff = BACKOFF): number {
  const ceiling = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** retries);
  return Math.max(Math.floor(random() * ceiling), Math.min(retryAfterMs, 4 * backoff.maxDelayMs));
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds or an HTTP-date, never negative, capped
 * at `RETRY_AFTER_CAP_MS`; undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isNaN(ms) ? undefined : Math.min(Math.max(0, ms), RETRY_AFTER_CAP_MS);
}
