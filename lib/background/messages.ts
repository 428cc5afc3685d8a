/**
 * Runtime messages between extension pages and the background. Both directions are validated: a page can be
 * stale after an update, and the background must never act on a request it does not understand.
 */
import { z } from 'zod';
import { LIMITS, Receipt } from '../schema';
import type { MessageKey } from '../i18n';

export const BackgroundRequest = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('capture-tab'), tabId: z.number().int().nonnegative() }),
  z.strictObject({ type: z.literal('send-draft'), draftId: z.uuidv4(), summary: z.string().min(1).max(LIMITS.summary) }),
]);
export type BackgroundRequest = z.infer<typeof BackgroundRequest>;

/** A user-facing problem as an i18n key and its values: the page that shows it translates it. */
export const Problem = z.strictObject({
  key: z.string() as z.ZodType<MessageKey>,
  values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  details: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;

const Failed = z.strictObject({ ok: z.literal(false), problem: Problem });

export const CaptureResponse = z.union([z.strictObject({ ok: z.literal(true), draftId: z.uuidv4() }), Failed]);
export type CaptureResponse = z.infer<typeof CaptureResponse>;

export const SendResponse = z.union([
  z.strictObject({ ok: z.literal(true), receipt: Receipt, endpoint: z.string() }),
  Failed,
]);
export type SendResponse = z.infer<typeof SendResponse>;
