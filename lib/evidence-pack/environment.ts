/**
 * The capture environment for the person's own evidence pack: what the capture was made with and how its times were
 * taken. Only the pack carries it (`environment.json`); the report schema has no place for it, so no copy sent to an
 * organisation can (tested): a time zone and an exact browser would tell an organisation where someone is and link
 * their anonymous reports.
 */
import type { CaptureEnvironment } from './export';

/** The time source as the pack states it: captures are stamped by the computer's own clock, which nothing checked. */
export const TIME_SOURCE = "This computer's clock, as the browser reads it (not checked against a time server); times are written in UTC";

function utcOffset(at: Date): string {
  const minutes = -at.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const whole = Math.abs(minutes);
  return `${sign}${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

export function captureEnvironment(input: { tool: { app: string; version: string }; browser: string; at: Date }): CaptureEnvironment {
  return {
    tool: { app: input.tool.app, version: input.tool.version },
    browser: input.browser,
    timeSource: TIME_SOURCE,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'unknown',
    utcOffset: utcOffset(input.at),
  };
}
