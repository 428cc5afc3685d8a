/**
 * The optional second factor: RFC 6238 time-based codes (SHA-1, 6 digits, 30 seconds, as every authenticator app
 * expects) through `otpauth`. A code is accepted one step either side of now, for clocks that drift, and only once:
 * the step it matched is stored, and a code of that step or an earlier one is refused after.
 */
import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;

/** A new random secret (160 bits, RFC 4226's recommendation), base32 as apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` address an app reads from the QR code or takes typed in. */
export function totpUri(secret: string, account: string, issuer: string): string {
  return new TOTP({ issuer, label: account, secret: Secret.fromBase32(secret), period: PERIOD_SECONDS }).toString();
}

/** The time step `code` belongs to, if it is valid for `secret` at `now` (± one step); undefined otherwise. */
export function matchingStep(secret: string, code: string, now: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const totp = new TOTP({ secret: Secret.fromBase32(secret), period: PERIOD_SECONDS });
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? undefined : Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
}

/** Whether `code` is valid now and newer than the last accepted step. */
export function freshStep(secret: string, code: string, lastStep: number | null, now: Date): number | undefined {
  const step = matchingStep(secret, code, now);
  return step !== undefined && (lastStep === null || step > lastStep) ? step : undefined;
}
