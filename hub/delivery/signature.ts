/**
 * Webhook signatures: `OHR-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the shared
 * secret>`, as Stripe signs its webhooks. The timestamp is inside the MAC, so a receiver that refuses a stale `t` (five
 * minutes) cannot be fed an old alert again; docs/hub-operations.md shows a receiver's check in a few lines.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'OHR-Signature';
export const DELIVERY_HEADER = 'OHR-Delivery';
/** How old a signature's timestamp may be when checked (either way, for clocks that disagree a little). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

function mac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value for `body` sent at `at`. */
export function signWebhook(secret: string, body: string, at: Date): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
}

/** What a receiver does (and the tests do): true only for a signature of this body, made with `secret`, lately. */
export function verifyWebhookSignature(secret: string, header: string | null | undefined, body: string, now: Date): boolean {
  const parts = new Map((header ?? '').split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(mac(secret, timestamp, body), 'hex'));
}
