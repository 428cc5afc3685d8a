/**
 * Chromium refuses more than 2 `tabs.captureVisibleTab` calls a second per extension
 * (MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND). Every capture — menu, shortcut, toolbar, full-page frames — goes through
 * one pacer, so two quick right-clicks wait their turn instead of failing with a quota error.
 */
import { MIN_CAPTURE_INTERVAL_MS } from '../screenshot/full-page';

/**
 * 500 ms apart is exactly the limit, and the browser counts calls when they reach it, not when the worker made them:
 * two calls 500 ms apart here can land 499 ms apart there and the third of three is refused. So a margin.
 */
export const PACED_INTERVAL_MS = MIN_CAPTURE_INTERVAL_MS + 100;

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Wraps `capture` so calls run one at a time, each starting at least `interval` ms (default 600) after the previous one started. */
export function paced<A extends unknown[], T>(capture: (...args: A) => Promise<T>, clock: PacerClock = realClock, interval = PACED_INTERVAL_MS) {
  let last = -Infinity;
  let queue: Promise<unknown> = Promise.resolve();
  return (...args: A): Promise<T> => {
    const turn = queue.then(async () => {
      const wait = last + interval - clock.now();
      if (wait > 0) await clock.sleep(wait);
      last = clock.now();
      return capture(...args);
    });
    queue = turn.catch(() => undefined);
    return turn;
  };
}
