/**
 * The report model (v1): the one definition the extension, the widget and the hub all validate against.
 * docs/design.md "The report (v1)" is the prose; this file decides. Every free-text field has a length cap so that
 * no boundary has to guess, and every enum is closed so that a hub can rely on the values it receives.
 */
import { z } from 'zod';
import {
  AGE_BANDS,
  CONTACT_CHANNELS,
  contactByMessage,
  HARM_TYPES,
  LANGUAGE_TAG_PATTERN,
  LIMITS,
  MESSAGES,
  PHONE_PATTERN,
  REPORTER_ROLES,
  SCHEMA_VERSION,
  TARGETED_CHARACTERISTICS,
} from './vocabulary';

export { isUrgent, LIMITS, SCHEMA_VERSION } from './vocabulary';

/**
 * C0 controls (TAB, LF and CR among them), DEL, C1 and the Unicode line and paragraph separators: never in a short,
 * one-line field or an address. A line break there let a report print a line of its own into a DSA notice or a police
 * summary (issue 17). Long free text (what happened, captured words) keeps its lines; its outputs quote each line.
 */
const NO_CONTROL = 'This field cannot hold line breaks, tabs or other control characters';
const oneLine = <T extends z.ZodString>(schema: T) => schema.regex(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/, NO_CONTROL);
const shortText = oneLine(z.string().max(LIMITS.shortText));
const longText = z.string().max(LIMITS.longText);
/** UTC only: an offset would make two equal instants compare unequal in the hub's duplicate checks. */
export const utcDateTime = z.iso.datetime({ message: MESSAGES.utcDateTime });
/**
 * An http(s) address. Checked as sent, before the URL parser: the parser drops a raw TAB, CR or LF (and zod's check
 * passes the address on without them), so a forged line would pass unseen.
 */
export const webUrl = oneLine(z.string()).pipe(z.url({ protocol: /^https?$/, message: MESSAGES.webUrl }).max(LIMITS.url));
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 is 64 lowercase hexadecimal characters');

/** A closed list whose values are stable wire names; labels live in the i18n layer. */
function closedList<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values);
}

export const ReporterRole = closedList(REPORTER_ROLES);
export const ContactChannel = closedList(CONTACT_CHANNELS);
export const AgeBand = closedList(AGE_BANDS);
export const TargetedCharacteristic = closedList(TARGETED_CHARACTERISTICS);
export const HarmType = closedList(HARM_TYPES);
export const Platform = closedList([
  'x',
  'facebook',
  'instagram',
  'youtube',
  'tiktok',
  'reddit',
  'mastodon',
  'bluesky',
  'telegram',
  'linkedin',
  'other',
]);
export const ItemKind = closedList(['post', 'comment', 'reply', 'profile', 'message', 'image', 'video', 'page']);
export const CaptureMethod = closedList(['extension', 'widget_upload', 'manual']);
export const EvidenceKind = closedList(['screenshot', 'full_page', 'element', 'html_snapshot', 'upload']);
export const EvidenceMediaType = closedList(['image/png', 'image/jpeg', 'image/webp', 'text/html']);

export const Client = z.strictObject({
  app: oneLine(z.string().min(1).max(64)),
  version: oneLine(z.string().min(1).max(32)),
});

export const Consents = z.strictObject({
  police: z.boolean(),
  platform: z.boolean(),
  shareContact: z.boolean(),
  supportReferral: z.boolean(),
  /**
   * The reporter asks to be emailed when their report changes (a status change, a question, its closing): only with an
   * email address, and each email says only that something changed, with the reference and the status page's address.
   * Optional, so reports from clients that do not ask are valid (and mean no).
   */
  emailUpdates: z.boolean().optional(),
});

export const Contact = z.strictObject({
  channel: ContactChannel,
  safeTimes: shortText.optional(),
  /** BCP 47 tag, e.g. "cy" or "ur-PK". */
  language: z.string().regex(LANGUAGE_TAG_PATTERN, MESSAGES.languageTag).optional(),
});

/** The reporter's own details: what names or reaches them (sealed to the organisation where it publishes a key). */
export const PersonalFields = {
  name: shortText.min(1).optional(),
  email: z.email(MESSAGES.email).max(254).optional(),
  phone: z.string().regex(PHONE_PATTERN, MESSAGES.phone).optional(),
  accessNeeds: longText.optional(),
};

/** HPKE base mode: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM — all native to WebCrypto everywhere. */
export const SEAL_ALG = 'HPKE-Base-P256-SHA256-AES128GCM';
export const KeyId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'A key id is 1 to 64 letters, digits, "-" or "_"');

/**
 * The reporter's own details sealed in their browser to the organisation's published key (`lib/crypto/seal.ts`):
 * the encapsulated key (an uncompressed P-256 point) and the ciphertext with its tag. Only a moderator's browser
 * holding the organisation's private key opens it; the hub stores it as it came.
 */
export const Sealed = z.strictObject({
  alg: z.literal(SEAL_ALG),
  kid: KeyId,
  enc: z.string().regex(/^[A-Za-z0-9_-]{87}$/, 'The encapsulated key is a P-256 point (87 base64url characters)'),
  ct: z.string().regex(/^[A-Za-z0-9_-]+$/, 'Expected base64url').max(16_384),
});

export const Reporter = z
  .strictObject({
    role: ReporterRole,
    anonymous: z.boolean(),
    name: PersonalFields.name,
    email: PersonalFields.email,
    phone: PersonalFields.phone,
    contact: Contact,
    ageBand: AgeBand.optional(),
    accessNeeds: PersonalFields.accessNeeds,
    /** Name, email, phone and access needs sealed to the organisation, in place of those fields in clear. */
    sealed: Sealed.optional(),
    consents: Consents,
    wantsSupport: z.boolean(),
  })
  .superRefine((reporter, ctx) => {
    if (reporter.anonymous) {
      for (const field of ['name', 'email', 'phone', 'sealed'] as const) {
        if (reporter[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: MESSAGES.anonymousDetails });
        }
      }
      if (reporter.contact.channel !== 'none') {
        ctx.addIssue({ code: 'custom', path: ['contact', 'channel'], message: MESSAGES.anonymousContact });
      }
      return;
    }
    if (reporter.sealed) {
      // Sealed means none of it in clear; only an email the reporter asked to be updated at stays readable, since
      // the hub itself must send to it.
      for (const field of ['name', 'phone', 'accessNeeds'] as const) {
        if (reporter[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: MESSAGES.sealedInClear });
      }
      if (reporter.email !== undefined && !reporter.consents.emailUpdates) {
        ctx.addIssue({ code: 'custom', path: ['email'], message: MESSAGES.sealedInClear });
      }
      return;
    }
    const channel = reporter.contact.channel;
    if (channel !== 'none' && reporter[channel] === undefined) {
      ctx.addIssue({ code: 'custom', path: [channel], message: contactByMessage(channel) });
    }
  });

/** Asked first. Any yes means the person is told to call 999 now and the report is marked urgent. */
export const Urgency = z.strictObject({
  immediateDanger: z.boolean(),
  perpetratorIdentityKnown: z.boolean(),
  relatesToFutureEvent: z.boolean(),
});

export const PriorActions = z.strictObject({
  reportedToPlatform: z
    .strictObject({ at: utcDateTime.optional(), reference: shortText.optional(), response: longText.optional() })
    .optional(),
  policeReference: shortText.optional(),
});

export const Incident = z
  .strictObject({
    summary: z.string().min(1, MESSAGES.summary).max(LIMITS.summary),
    targetedCharacteristics: z.array(TargetedCharacteristic).max(TargetedCharacteristic.options.length),
    targetedCharacteristicOther: shortText.optional(),
    harmTypes: z.array(HarmType).max(HarmType.options.length),
    harmTypeOther: shortText.optional(),
    firstSeenAt: utcDateTime.optional(),
    ongoing: z.boolean(),
    impact: longText.optional(),
    priorActions: PriorActions.optional(),
  })
  .superRefine((incident, ctx) => {
    for (const key of ['targetedCharacteristics', 'harmTypes'] as const) {
      if (new Set(incident[key]).size !== incident[key].length) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'Each choice may appear only once' });
      }
    }
  });

export const Author = z.strictObject({
  handle: shortText.optional(),
  displayName: shortText.optional(),
  profileUrl: webUrl.optional(),
  platformId: shortText.optional(),
});

/** A neighbouring post shown for context: the parent it replies to, or others in the thread. */
export const ContextPost = z.strictObject({
  author: Author.optional(),
  text: z.string().max(LIMITS.capturedText).optional(),
  permalink: webUrl.optional(),
  postedAt: utcDateTime.optional(),
});

export const HIDDEN_REASONS = ['account', 'own_post', 'marked'] as const;

/**
 * An area blacked out of a picture before it was hashed (issue 23), in the picture's pixels: the reporter's own
 * account (`account`), a post they wrote (`own_post`), or an area they marked themselves (`marked`).
 */
export const HiddenArea = z.strictObject({
  x: z.number().int().nonnegative(),
  y: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  reason: z.enum(HIDDEN_REASONS),
});
const HiddenAreas = z.array(HiddenArea).min(1).max(LIMITS.hiddenAreas);

export const Evidence = z.strictObject({
  sha256: sha256Hex,
  mediaType: EvidenceMediaType,
  bytes: z.number().int().positive(),
  kind: EvidenceKind,
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  /** Areas hidden in this picture before it was hashed: what was hidden is in no copy that leaves the computer. */
  hidden: HiddenAreas.optional(),
});

/**
 * A picture's perceptual fingerprint, computed on the person's device (lib/pdq): for intimate-image abuse the picture
 * itself is not sent, so the organisation can tell that the same picture is reported again without ever seeing it.
 * PDQ (Meta's, as StopNCII uses): 256 bits as 64 hex digits, and its quality 0–100 (below 50 the hash says little).
 */
export const PerceptualHash = z.strictObject({
  algorithm: z.literal('pdq'),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'A PDQ hash is 64 lowercase hexadecimal characters'),
  quality: z.number().int().min(0).max(100),
});

export const Item = z.strictObject({
  url: webUrl,
  canonicalUrl: webUrl.optional(),
  pageTitle: oneLine(z.string().max(LIMITS.title)).optional(),
  platform: Platform,
  kind: ItemKind,
  author: Author.optional(),
  postedAt: utcDateTime.optional(),
  /**
   * The post's own title as its author wrote it (a Reddit post, a YouTube video, an article): on a link post the only
   * words the poster wrote. Not the page's title (`pageTitle`, which the platform composes). Optional and additive.
   */
  title: oneLine(z.string().max(LIMITS.title)).optional(),
  text: z.string().max(LIMITS.capturedText).optional(),
  permalink: webUrl.optional(),
  lang: Contact.shape.language,
  context: z
    .strictObject({ parent: ContextPost.optional(), thread: z.array(ContextPost).max(LIMITS.threadPosts).optional() })
    .optional(),
  capturedAt: utcDateTime,
  captureMethod: CaptureMethod,
  evidence: z.array(Evidence).max(LIMITS.evidencePerItem),
  /** Fingerprints of pictures that were not sent; only to a hub whose discovery lists `perceptualHashes` (see protocol.ts). */
  perceptualHashes: z.array(PerceptualHash).min(1).max(LIMITS.evidencePerItem).optional(),
});

/** DSA Article 16 notice content: the reasons and the good-faith statement. */
export const Grounds = z.strictObject({
  explanation: z.string().min(1).max(LIMITS.summary),
  goodFaith: z.strictObject({
    accepted: z.literal(true, { message: MESSAGES.goodFaith }),
    at: utcDateTime,
  }),
});

/** Public half of the ECDSA P-256 key made for this one copy of the report (one per copy, never per install), as a JWK. */
export const PublicKeyJwk = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  y: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/**
 * What a capture manifest can vouch for: every evidence kind, plus `text` — the SHA-256 of the item's captured text
 * (UTF-8), which travels in the report JSON rather than as an uploaded file (the "+ 1" in the artefact cap).
 */
export const ManifestArtefactKind = z.enum([...EvidenceKind.options, 'text']);

/** What was captured, when and with what, signed so that later changes are detectable. */
export const CaptureManifest = z.strictObject({
  itemIndex: z.number().int().nonnegative(),
  pageUrl: webUrl,
  capturedAt: utcDateTime,
  tool: Client,
  browser: shortText,
  artefacts: z
    .array(z.strictObject({ sha256: sha256Hex, kind: ManifestArtefactKind, hidden: HiddenAreas.optional() }))
    .max(LIMITS.evidencePerItem + 1),
  /** Base64url ECDSA P-256 / SHA-256 signature over the manifest's canonical JSON without this field. */
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/).optional(),
});

export const Report = z
  .strictObject({
    id: z.uuidv4('The report id must be a UUID v4'),
    schemaVersion: z.literal(SCHEMA_VERSION),
    createdAt: utcDateTime,
    client: Client,
    reporter: Reporter,
    urgency: Urgency,
    incident: Incident,
    items: z.array(Item).min(1, MESSAGES.items).max(LIMITS.items),
    grounds: Grounds.optional(),
    captureManifests: z.array(CaptureManifest).max(LIMITS.items).optional(),
    publicKey: PublicKeyJwk.optional(),
  })
  .superRefine((report, ctx) => {
    report.captureManifests?.forEach((manifest, index) => {
      if (manifest.itemIndex >= report.items.length) {
        ctx.addIssue({ code: 'custom', path: ['captureManifests', index, 'itemIndex'], message: 'No item has this index' });
      }
    });
  });

export type ReporterRole = z.infer<typeof ReporterRole>;
export type TargetedCharacteristic = z.infer<typeof TargetedCharacteristic>;
export type HarmType = z.infer<typeof HarmType>;
export type Platform = z.infer<typeof Platform>;
export type ItemKind = z.infer<typeof ItemKind>;
export type EvidenceKind = z.infer<typeof EvidenceKind>;
export type EvidenceMediaType = z.infer<typeof EvidenceMediaType>;
export type Reporter = z.infer<typeof Reporter>;
export type Urgency = z.infer<typeof Urgency>;
export type Incident = z.infer<typeof Incident>;
export type Author = z.infer<typeof Author>;
export type Evidence = z.infer<typeof Evidence>;
export type HiddenArea = z.infer<typeof HiddenArea>;
export type PerceptualHash = z.infer<typeof PerceptualHash>;
export type Item = z.infer<typeof Item>;
export type Grounds = z.infer<typeof Grounds>;
export type CaptureManifest = z.infer<typeof CaptureManifest>;
export type ManifestArtefactKind = z.infer<typeof ManifestArtefactKind>;
export type PublicKeyJwk = z.infer<typeof PublicKeyJwk>;
export type Sealed = z.infer<typeof Sealed>;
export type Report = z.infer<typeof Report>;

/** Every distinct evidence hash a report refers to: what a client must upload before the report. */
export function evidenceHashes(report: Pick<Report, 'items'>): string[] {
  return [...new Set(report.items.flatMap((item) => item.evidence.map((evidence) => evidence.sha256)))];
}
