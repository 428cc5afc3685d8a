/**
 * The wire protocol (ohr/1) between a reporting client (extension, widget) and a receiving endpoint (hub).
 * docs/design.md "The protocol (v1)" is the prose; these schemas decide, on both sides of the wire.
 */
import { z } from 'zod';
import { STATUS_CODE_PATTERN } from '../status-code';
import { SATISFACTION_COMMENT_MAX } from './monitoring';
import { EncryptionKey } from './sealed';
import { EvidenceMediaType, HarmType, Item, LIMITS, PublicKeyJwk, sha256Hex, TargetedCharacteristic, utcDateTime, webUrl } from './report';

export const PROTOCOL = 'ohr/1';

export const PATHS = {
  discovery: '/.well-known/ohr',
  evidence: (sha256: string) => `/api/v1/evidence/${sha256}`,
  reports: '/api/v1/reports',
  status: (reference: string) => `/api/v1/reports/${encodeURIComponent(reference)}/status`,
  /** Where the reporter answers one of the report's questions (POST, the status token as Bearer). */
  answer: (reference: string, questionId: string) =>
    `/api/v1/reports/${encodeURIComponent(reference)}/questions/${encodeURIComponent(questionId)}/answer`,
  /** Where the reporter answers the satisfaction question once the report is closed (POST, the status token as Bearer). */
  satisfaction: (reference: string) => `/api/v1/reports/${encodeURIComponent(reference)}/satisfaction`,
  /** Where the reporter may answer the equality monitoring questions after sending (POST, the status token as Bearer). */
  monitoring: (reference: string) => `/api/v1/reports/${encodeURIComponent(reference)}/monitoring`,
  /** The endpoint's OpenAPI 3.1 description of all of the above. */
  openapi: '/api/v1/openapi.json',
} as const;

export const Limits = z.strictObject({
  maxJsonBytes: z.number().int().positive(),
  maxEvidenceBytes: z.number().int().positive(),
  maxItems: z.number().int().positive(),
});

/** A number to dial: digits, spaces and an optional leading +, as people read it out ("999", "112", "+44 101"). */
const dialNumber = z.string().regex(/^\+?[0-9][0-9 ]{1,19}$/, 'Use digits, spaces and an optional leading +');

/**
 * The police numbers where the organisation works, which the report form tells a person in danger to call. Absent:
 * the UK's, 999 and 101. `nonEmergency` is optional: not every country has a national non-emergency number.
 */
export const EmergencyNumbers = z.strictObject({ emergency: dialNumber, nonEmergency: dialNumber.optional() });

/** A hub's receipt-signing public key as published in discovery: ECDSA P-256 JWK with its key id (RFC 7638 thumbprint). */
export const HubPublicKeyJwk = PublicKeyJwk.extend({
  kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  alg: z.literal('ES256'),
  use: z.literal('sig'),
});

export const RECEIPT_FORMAT = 'ohr-receipt/1';

/** What the hub vouches for when it files a report (docs/hub-api.md "Signed receipts"). */
export const SignedReceiptPayload = z.strictObject({
  format: z.literal(RECEIPT_FORMAT),
  /** The hub's name as discovery gives it. */
  hub: z.string().min(1).max(200),
  reference: z.string().regex(/^OHR-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
  reportId: z.uuid(),
  receivedAt: utcDateTime,
  /** SHA-256 of the report's canonical JSON (lib/integrity/canonical.ts) as received. */
  reportSha256: sha256Hex,
  /** Every evidence file the report names, by SHA-256, sorted. */
  evidence: z.array(sha256Hex).max(LIMITS.items * LIMITS.evidencePerItem),
});

/** The hub's signature (ES256, raw r‖s in base64url) over the payload's canonical JSON, and the key that made it. */
export const SignedReceipt = z.strictObject({
  payload: SignedReceiptPayload,
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
  publicKey: HubPublicKeyJwk,
});

/** What an endpoint says about itself at /.well-known/ohr. Unknown keys are allowed so endpoints can add to it. */
export const Discovery = z.object({
  protocol: z.literal(PROTOCOL),
  name: z.string().min(1).max(200),
  description: z.string().max(2_000).optional(),
  submitUrl: webUrl,
  evidenceUrl: webUrl,
  statusUrl: webUrl,
  categories: z.array(TargetedCharacteristic).min(1),
  acceptsAnonymous: z.boolean(),
  /**
   * The perceptual hashes the hub keeps and matches (`Item.perceptualHashes`): a client sends a picture's fingerprint
   * instead of the picture only to a hub that lists the algorithm (an older hub refuses the field it does not know).
   */
  perceptualHashes: z.array(z.literal('pdq')).max(4).optional(),
  limits: Limits,
  privacyPolicyUrl: webUrl.optional(),
  supportLinks: z.array(z.strictObject({ label: z.string().min(1).max(200), url: webUrl })).max(20),
  /**
   * Which reports each support link is for (lib/support-links.ts), by the link's URL. A key of its own rather than
   * fields on each link: clients released before it read `supportLinks` with a strict schema and would refuse a link
   * with fields they do not know, while an unknown key at the top is ignored. Absent: every link is for everyone.
   */
  supportLinkTags: z
    .array(z.strictObject({ url: webUrl, characteristics: z.array(TargetedCharacteristic).max(20).optional(), harms: z.array(HarmType).max(20).optional() }))
    .max(20)
    .optional(),
  publicKey: PublicKeyJwk.optional(),
  /**
   * The organisation's key for sealing a reporter's personal data (`Reporter.sealed`): clients that know it seal name,
   * email, phone and access needs to it in the browser, so the hub holds only ciphertext. Unknown to older clients.
   */
  encryptionKey: EncryptionKey.optional(),
  emergencyNumbers: EmergencyNumbers.optional(),
  /**
   * The keys the hub signs receipts with (`SignedReceipt`), the current one first, earlier ones after it so receipts
   * they signed still check. Unknown to older clients, who ignore the key.
   */
  receiptKeys: z.array(HubPublicKeyJwk).max(20).optional(),
});

export const Receipt = z.strictObject({
  reference: z.string().regex(/^OHR-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
  /** The grouped status code (lib/status-code.ts); reports filed before it got a long token (32–128 characters). */
  statusToken: z
    .union([z.string().regex(STATUS_CODE_PATTERN), z.string().min(32).max(128)])
    .describe('The status code, XXXX-XXXX-XXXX-XXXX (Crockford base32, 80 bits); older receipts: a 32-128 character token. Send it back as received.'),
  receivedAt: utcDateTime,
  /** The hub's signed receipt: sent only to a client that asks with `?include=signedReceipt` (older strict clients refuse fields they do not know). */
  signedReceipt: SignedReceipt.optional(),
});

export const ReportStatus = z.enum(['received', 'in_review', 'referred', 'needs_info', 'closed']);
export const Outcome = z.enum([
  'actioned',
  'removed_by_platform',
  'referred_to_police',
  'no_further_action',
  'duplicate',
  'withdrawn',
]);

/** The longest question a moderator may ask. */
export const QUESTION_MAX = 2_000;
/** Text a person must write: something other than spaces (checked, not trimmed, so a resent answer hashes the same). */
const written = (max: number, empty: string) => z.string().max(max).regex(/\S/, empty);

/** The reporter's answer to one question, as the hub keeps it and shows it back. */
export const AnswerView = z.strictObject({
  id: z.uuid(),
  text: z.string().max(LIMITS.summary),
  answeredAt: utcDateTime,
  /** How many items (captures, uploads) came with the answer. */
  items: z.number().int().nonnegative(),
});

/** A moderator's question to the reporter, with the reporter's answer once given. */
export const QuestionView = z.strictObject({
  id: z.uuid(),
  askedAt: utcDateTime,
  text: z.string().max(QUESTION_MAX),
  answer: AnswerView.optional(),
});

export const StatusResponse = z.strictObject({
  status: ReportStatus,
  outcome: Outcome.optional(),
  updatedAt: utcDateTime,
  publicNote: z.string().max(2_000).optional(),
  /**
   * The moderators' questions, oldest first, answered or not. Only sent to a client that asks with
   * `?include=questions`: clients older than questions refuse a status answer with fields they do not know.
   */
  questions: z.array(QuestionView).max(100).optional(),
  /**
   * The satisfaction question: `open` once the report is closed (other than withdrawn) and not yet answered,
   * `answered` after. Absent before closing, for a withdrawn report, and to a client that did not ask with
   * `?include=satisfaction` (older strict clients refuse fields they do not know).
   */
  satisfaction: z.enum(['open', 'answered']).optional(),
  /**
   * The RFC 3161 timestamp tokens the hub holds over the report's SHA-256 (hub-api.md "Trusted timestamps"), for the
   * reporter's evidence pack. Only sent to a client that asks with `?include=timestamps`.
   */
  timestamps: z
    .array(z.strictObject({ authority: z.string().max(500), genTime: utcDateTime, serial: z.string().regex(/^[0-9a-f]{1,64}$/), token: z.base64().max(100_000) }))
    .max(4)
    .optional(),
});

/**
 * The satisfaction question ("How satisfied are you with how your report was handled?"), answered once per report.
 * `score`: 1 very dissatisfied, 2 dissatisfied, 3 neither, 4 satisfied, 5 very satisfied. The comment is optional.
 */
export const SatisfactionAnswer = z.strictObject({
  score: z.number({ error: 'Choose how satisfied you are, from 1 to 5' }).int('Choose a whole number from 1 to 5').min(1, 'Choose a number from 1 to 5').max(5, 'Choose a number from 1 to 5'),
  comment: z.string().max(SATISFACTION_COMMENT_MAX, `Write at most ${SATISFACTION_COMMENT_MAX} characters`).optional(),
});

/** The hub's receipt for a satisfaction answer (201 the first time, 200 for the same answer sent again). */
export const SatisfactionReceipt = z.strictObject({ score: z.number().int().min(1).max(5), comment: z.boolean(), month: z.string().regex(/^\d{4}-\d{2}$/) });

/** The hub's receipt for monitoring answers: which questions were answered (201 first, 200 for the same sent again). */
export const MonitoringReceipt = z.strictObject({ answered: z.array(z.string()), month: z.string().regex(/^\d{4}-\d{2}$/) });

/**
 * What the reporter sends to answer a question. `id` is made by the client once, when the answer is written, and is
 * the idempotency key: a resend of the same answer gets the first receipt, never a second answer. `items` are new
 * captures or uploads, described as in a report; their evidence files are uploaded first, as for a report.
 */
export const Answer = z.strictObject({
  id: z.uuidv4('The answer id must be a UUID v4'),
  text: written(LIMITS.summary, 'Write an answer'),
  items: z.array(Item).max(LIMITS.items).optional(),
});

/** The hub's receipt for an answer (201, for the first send and every resend alike). */
export const AnswerReceipt = z.strictObject({
  id: z.uuid(),
  questionId: z.uuid(),
  answeredAt: utcDateTime,
  items: z.number().int().nonnegative(),
});

export const ErrorCode = z.enum([
  'invalid_request',
  'invalid_report',
  'hash_mismatch',
  'unsupported_media_type',
  'payload_too_large',
  'missing_evidence',
  'idempotency_key_reused',
  'request_in_flight',
  'not_found',
  'unauthorized',
  /** The question already has a different answer (another answer id). */
  'already_answered',
  /** The report is closed: it takes no more answers. */
  'report_closed',
  /** The satisfaction question is asked only once a report is closed (and not withdrawn). */
  'not_closed',
  'rate_limited',
  /** The hub cannot take work for a while (full disk, database restarting, shutting down): 503 with Retry-After. */
  'unavailable',
  'internal',
]);

export const FieldError = z.strictObject({ path: z.string(), message: z.string() });

/** Every 4xx/5xx body: errors are data, and `fields` points at what to fix. */
export const ApiError = z.strictObject({
  error: z.strictObject({ code: ErrorCode, message: z.string(), fields: z.array(FieldError).optional() }),
});

export const MissingEvidenceError = z.strictObject({
  error: z.strictObject({ code: z.literal('missing_evidence'), message: z.string(), missing: z.array(z.string()) }),
});

/** The answer to an evidence upload: the bytes stored under the hash (201 when new, 200 when already there). */
export const EvidenceReceipt = z.strictObject({ sha256: sha256Hex, bytes: z.number().int().positive() });

/** An endpoint's liveness and readiness, for load balancers and monitors (not part of what clients need). */
export const Health = z.strictObject({
  status: z.enum(['ok', 'unavailable']),
  /** Why not, for operators and load balancers: e.g. `draining`, `disk_full`, `read_only`, `database_failed`. */
  reason: z.string().optional(),
  message: z.string().optional(),
});

export type Limits = z.infer<typeof Limits>;
export type EvidenceReceipt = z.infer<typeof EvidenceReceipt>;
export type Health = z.infer<typeof Health>;
export type Discovery = z.infer<typeof Discovery>;
export type EmergencyNumbers = z.infer<typeof EmergencyNumbers>;
export type Receipt = z.infer<typeof Receipt>;
export type SignedReceipt = z.infer<typeof SignedReceipt>;
export type SignedReceiptPayload = z.infer<typeof SignedReceiptPayload>;
export type HubPublicKeyJwk = z.infer<typeof HubPublicKeyJwk>;
export type ReportStatus = z.infer<typeof ReportStatus>;
export type SupportLinkTags = NonNullable<z.infer<typeof Discovery>['supportLinkTags']>;
export type Outcome = z.infer<typeof Outcome>;
export type StatusResponse = z.infer<typeof StatusResponse>;
export type QuestionView = z.infer<typeof QuestionView>;
export type AnswerView = z.infer<typeof AnswerView>;
export type Answer = z.infer<typeof Answer>;
export type AnswerReceipt = z.infer<typeof AnswerReceipt>;
export type SatisfactionAnswer = z.infer<typeof SatisfactionAnswer>;
export type SatisfactionReceipt = z.infer<typeof SatisfactionReceipt>;
export type MonitoringReceipt = z.infer<typeof MonitoringReceipt>;
export type ErrorCode = z.infer<typeof ErrorCode>;
export type FieldError = z.infer<typeof FieldError>;
export type ApiError = z.infer<typeof ApiError>;

export const EVIDENCE_MEDIA_TYPES = EvidenceMediaType.options;

/** Turns zod issues into the protocol's `fields`: a dotted path a form can map back to its input, and words. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
}
