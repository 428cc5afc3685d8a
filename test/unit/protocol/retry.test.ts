/**
 * The retry rules both products follow (`lib/protocol/retry`): which answers are retried, the backoff and its cap,
 * and `Retry-After` in both of its forms, capped.
 */
import { describe, expect, it } from 'vitest';
import { BACKOFF, backoffMs, isRetryable, RETRY_AFTER_CAP_MS, retryAfterMs } from '../../../lib/protocol/retry';

describe('isRetryable', () => {
  it('retries failures of the endpoint and answers that may change, and nothing the endpoint refused', () => {
    for (const status of [500, 502, 503, 504, 408, 409, 425, 429]) expect(isRetryable(status), String(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 413, 415, 422]) expect(isRetryable(status), String(status)).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles from 2 s with full jitter up to one cap of 5 minutes', () => {
    expect(BACKOFF).toEqual({ baseDelayMs: 2_000, maxDelayMs: 300_000 });
    expect(backoffMs(0, 0, () => 0.999)).toBeLessThan(2_000);
    expect(backoffMs(2, 0, () => 0.5)).toBe(4_000);
    expect(backoffMs(30, 0, () => 0.999)).toBe(299_700);
    expect(backoffMs(4, 0, () => 0)).toBe(0);
  });

  it('waits at least the Retry-After, but no more than four times the cap', () => {
    expect(backoffMs(0, 90_000, () => 0.5)).toBe(90_000);
    expect(backoffMs(10, 1_000, () => 0.5)).toBe(150_000);
    expect(backoffMs(0, 86_400_000, () => 0.5)).toBe(4 * BACKOFF.maxDelayMs);
    expect(backoffMs(0, 86_400_000, () => 0.5, { baseDelayMs: 1_000, maxDelayMs: 60_000 })).toBe(240_000);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');

  it('reads delay-seconds', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs('-5', now)).toBe(0);
  });

  it('reads an HTTP-date as the time from now, and a date gone by as now', () => {
    expect(retryAfterMs('Wed, 25 Nov 2026 10:02:00 GMT', now)).toBe(120_000);
    expect(retryAfterMs('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('caps both forms at 20 minutes', () => {
    expect(RETRY_AFTER_CAP_MS).toBe(20 * 60_000);
    expect(retryAfterMs('86400', now)).toBe(RETRY_AFTER_CAP_MS);
    expect(retryAfterMs('Thu, 26 Nov 2026 10:00:00 GMT', now)).toBe(RETRY_AFTER_CAP_MS);
  });

  it('gives nothing for an absent or unreadable header', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('', now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});
