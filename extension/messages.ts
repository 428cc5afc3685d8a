/**
 * Runtime messages between extension pages and the background. Both directions are validated: a page can be
 * stale after an update, and the background must never act on a request it does not understand.
 */
import { z } from 'zod';
import { Discovery, LIMITS, MonitoringAnswers, SatisfactionAnswer } from '@/lib/schema';
import type { MessageKey } from '@/lib/i18n';
import type { OutboxEntry } from './outbox';

const reportId = z.uuidv4();
const endpointUrl = z.string().url().max(LIMITS.url);

export const BackgroundRequest = z.discriminatedUnion('type', [
  /** The toolbar's "Report this page": added to the report being built, or to a new one when `newReport`. */
  z.strictObject({ type: z.literal('capture-tab'), tabId: z.number().int().nonnegative(), newReport: z.boolean().optional() }),
  z.strictObject({
    type: z.literal('send-draft'),
    draftId: reportId,
    summary: z.string().min(1).max(LIMITS.summary),
    endpoints: z.array(endpointUrl).min(1).max(20),
  }),
  z.strictObject({ type: z.literal('list-reports') }),
  /** A page saw the browser come back online: whatever waits for the network can go now. */
  z.strictObject({ type: z.literal('kick-outbox') }),
  z.strictObject({ type: z.literal('retry-now'), reportId }),
  z.strictObject({ type: z.literal('check-status'), reportId: reportId.optional() }),
  z.strictObject({ type: z.literal('withdraw'), reportId, endpoint: endpointUrl }),
  /** The person answers a question the organisation at `endpoint` asked about this report (kept, then sent). */
  z.strictObject({
    type: z.literal('answer-question'),
    reportId,
    endpoint: endpointUrl,
    questionId: z.uuid(),
    text: z.string().max(LIMITS.summary).regex(/\S/),
    /** An unsent report whose captures go with the answer. */
    addDraftId: reportId.optional(),
  }),
  /** The person answers the satisfaction question about a closed report (sent at once; one answer per report). */
  z.strictObject({ type: z.literal('answer-satisfaction'), reportId, endpoint: endpointUrl, answer: SatisfactionAnswer }),
  /** The person's optional equality monitoring answers for a sent report, to each organisation it went to. */
  z.strictObject({ type: z.literal('answer-monitoring'), reportId, answers: MonitoringAnswers }),
  z.strictObject({ type: z.literal('delete-report'), reportId }),
  z.strictObject({ type: z.literal('lookup-endpoint'), url: z.string().max(LIMITS.url) }),
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
const Done = z.strictObject({ ok: z.literal(true) });

export const CaptureResponse = z.union([z.strictObject({ ok: z.literal(true), draftId: reportId }), Failed]);
export type CaptureResponse = z.infer<typeof CaptureResponse>;

/**
 * Outbox entries cross the message boundary as the outbox wrote them; the pages only read them. They are checked
 * for shape at the top level so a stale page fails loudly rather than rendering half a report.
 */
const Entries = z.array(z.custom<OutboxEntry>((value) => typeof value === 'object' && value !== null && 'draft' in value && 'deliveries' in value));

export const EntriesResponse = z.union([z.strictObject({ ok: z.literal(true), entries: Entries }), Failed]);
export type EntriesResponse = z.infer<typeof EntriesResponse>;

export const DoneResponse = z.union([Done, Failed]);
export type DoneResponse = z.infer<typeof DoneResponse>;

export const LookupResponse = z.union([z.strictObject({ ok: z.literal(true), url: z.string(), discovery: Discovery }), Failed]);
export type LookupResponse = z.infer<typeof LookupResponse>;

