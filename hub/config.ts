/**
 * What an organisation running a hub decides: how it describes itself in discovery, what it accepts, which web origins
 * (besides browser extensions) may call it, how hard it limits each client, and how much it logs.
 *
 * One zod schema decides every value, whichever source it came from (defaults < config file < environment < flags), so
 * a bad value stops the hub at start with a message naming the variable or file key, never half-way through a request.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Discovery, HarmType, LIMITS, Limits, TargetedCharacteristic } from '../lib/schema';
import { DEFAULT_IMAGE_MATCH_DISTANCE, MAX_IMAGE_MATCH_DISTANCE } from './domain/perceptual';

const positiveInt = z.number().int().positive();

export const RateLimitConfig = z.strictObject({
  /** Off only where every client is trusted (tests, benchmarks on loopback). */
  enabled: z.boolean().default(true),
  /** Requests a client may make at once: enough for a report with many screenshots (one PUT each, then the POST). */
  burst: positiveInt.default(120),
  /** Tokens added back per second. */
  perSecond: z.number().positive().default(2),
  /** The salt of the client-address hash is replaced (and all buckets forgotten) this often. */
  saltRotationSeconds: positiveInt.default(3_600),
  /** Buckets kept at most; the least recently used are dropped first. */
  maxClients: positiveInt.default(100_000),
  /**
   * Behind a reverse proxy every request comes from the proxy: name the header it sets (e.g. `x-forwarded-for`, whose
   * last entry is used). Unset, the socket's address is used and forwarded headers are ignored, as any client can send them.
   */
  clientIpHeader: z.string().regex(/^[A-Za-z0-9-]+$/, 'Use a header name such as x-forwarded-for').optional(),
  /**
   * IPv6 clients are one client per network of this many leading bits: a subscriber gets a whole /64 (often a /56 or
   * /48) and can use a new address for every request. IPv4 addresses are always keyed one by one.
   */
  ipv6PrefixLength: z.number().int().min(16).max(128).default(64),
  /**
   * Where the counts live: `auto` in PostgreSQL when the hub uses it (so several processes share one limit, see
   * docs/hub-operations.md) and in memory on PGlite; `memory` always in this process; `database` always in the database.
   */
  store: z.enum(['auto', 'memory', 'database']).default('auto'),
});

/** The triage console's sign-in rules (see README "Triage console: accounts and workflow"). */
export const ConsoleConfig = z.strictObject({
  /** A session ends after this long without a request. */
  idleMinutes: positiveInt.max(24 * 60).default(30),
  /** A session ends this long after sign-in, however active. */
  sessionHours: positiveInt.max(7 * 24).default(12),
  /** Wrong passwords in a row that lock an account. */
  lockoutAttempts: positiveInt.max(100).default(5),
  /** How long a locked account stays locked (an admin can unlock it sooner). */
  lockoutMinutes: positiveInt.max(24 * 60).default(15),
  /**
   * The queue's time targets (docs/hub-operations.md "Queue time targets"): an urgent report still waiting for the
   * organisation (received or in review) this many hours after it arrived is shown as past its target, and as due
   * soon in the last quarter of it.
   */
  triageUrgentHours: positiveInt.max(24 * 365).default(24),
  /** The same for every other report. */
  triageNormalHours: positiveInt.max(24 * 365).default(72),
  /**
   * Harm types whose summary the queue keeps folded behind a content warning naming them, opened by a click: empty
   * (the default) shows every summary as text.
   */
  contentWarningHarmTypes: z.array(HarmType).max(HarmType.options.length).default([]),
});

/**
 * Outgoing email (password reset links now; alerts later), sent through the organisation's own mail server. Unset: the
 * hub sends no email and the admin passes each link on themselves.
 */
export const SmtpConfig = z.strictObject({
  /** e.g. `smtps://user:password@mail.example.org:465`, or `smtp://…:587` (STARTTLS); nodemailer's URL options apply. */
  url: z.url({ protocol: /^smtps?$/, message: 'Use an address such as smtps://user:password@mail.example.org:465' }),
  /** The sender, e.g. `Report hub <no-reply@example.org>`. */
  from: z.string().trim().min(3).max(320).regex(/@/, 'Give the sender as an email address, e.g. Report hub <no-reply@example.org>'),
});

const LOOPBACK = /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i;

/**
 * Where urgent reports are announced (docs/hub-operations.md "Alerts and notifications"), and how hard the hub tries.
 * An alert carries the reference, the urgency answers, the time and a console link: never the report's content.
 */
export const AlertsConfig = z.strictObject({
  /** Addresses that get an email for each urgent report (needs `smtp`). */
  emails: z.array(z.email('Give each alert address as an email address, e.g. duty@example.org')).max(20).default([]),
  /**
   * URLs that get a signed JSON POST for each urgent report. https only: the body names a report and the signature
   * proves only who sent it, not who read it on the way; plain http is allowed to a loopback address (a relay on the
   * same machine, tests).
   */
  webhooks: z
    .array(
      z
        .url({ protocol: /^https?$/, message: 'Use an address such as https://alerts.example.org/ohr' })
        .refine((url) => url.startsWith('https:') || LOOPBACK.test(url), 'Use https (plain http only to localhost)'),
    )
    .max(20)
    .default([]),
  /** The shared secret webhook receivers check the HMAC-SHA256 signature with; at least 32 characters. */
  webhookSecret: z.string().min(32, 'Use a webhook secret of at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  /** Tries per delivery (alerts and reporter notifications) before it is marked failed; with backoff, 10 span about a day. */
  maxAttempts: positiveInt.max(50).default(10),
});

/**
 * Where evidence bytes are kept (hub/storage/evidence-store.ts): `database` (the default: in the hub's database, nothing
 * more to run) or `s3`, any S3-compatible object store (docs/hub-operations.md "Evidence in an object store").
 */
const EvidenceStoreFields = z.strictObject({
  kind: z.enum(['database', 's3']).default('database'),
  /** The store's address, e.g. `https://s3.eu-west-2.amazonaws.com` or `http://127.0.0.1:9000` (MinIO, Garage). */
  endpoint: z.url({ protocol: /^https?$/, message: 'Use an address such as https://s3.eu-west-2.amazonaws.com' }).optional(),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'Use the bucket name: 3 to 63 lowercase letters, digits, dots or hyphens').optional(),
  /** The signing region (`garage` for Garage's default, `us-east-1` for MinIO's). */
  region: z.string().min(1).default('us-east-1'),
  accessKeyId: z.string().min(1).optional(),
  secretAccessKey: z.string().min(1).optional(),
  /** Put before each file's SHA-256 in its object name, e.g. `evidence/`, so one bucket can serve other things too. */
  prefix: z.string().regex(/^[A-Za-z0-9!_.*'()/-]*$/, 'Use letters, digits and / - _ . only').max(200).default(''),
  /** `https://endpoint/bucket/key` (MinIO, Garage, most self-hosted stores) rather than `https://bucket.endpoint/key`. */
  pathStyle: z.boolean().default(true),
});
export const EvidenceStoreConfig = EvidenceStoreFields.superRefine((store, context) => {
  if (store.kind !== 's3') return;
  for (const key of ['endpoint', 'bucket', 'accessKeyId', 'secretAccessKey'] as const) {
    if (!store[key]) context.addIssue({ code: 'custom', path: [key], message: `An s3 evidence store needs ${key}` });
  }
});

export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const HubConfig = z.strictObject({
  name: Discovery.shape.name.default('OHR reference hub'),
  description: z
    .string()
    .max(2_000)
    .default('The Online Harms Reporter reference endpoint: it receives reports of online hate and their evidence.'),
  /** Where the organisation takes reports from, in its own words ("Wales", "Greater Manchester"): said on the hub's page at `/`. */
  area: z.string().trim().min(1).max(200).optional(),
  /** Targeted characteristics this hub takes reports about. */
  categories: Discovery.shape.categories.default([...TargetedCharacteristic.options]),
  acceptsAnonymous: z.boolean().default(true),
  limits: z
    .strictObject({
      maxJsonBytes: Limits.shape.maxJsonBytes.default(1_000_000),
      maxEvidenceBytes: Limits.shape.maxEvidenceBytes.default(10_000_000),
      maxItems: Limits.shape.maxItems.max(LIMITS.items, `The report schema allows at most ${LIMITS.items} items`).default(LIMITS.items),
    })
    .prefault({}),
  /**
   * Width × height above which an image is refused, read from its header (a small file can claim a huge canvas: a
   * 38 KB PNG of 40 megapixels decodes to 160 MB in the moderator's browser when they press Show). 25 megapixels
   * (100 MB decoded as RGBA) takes any screen's screenshot (a 5K screen is 14.7) and a full-page capture of about
   * twelve 1080p screens, and halves what one hostile file can make a console tab hold.
   */
  maxImagePixels: positiveInt.default(25_000_000),
  privacyPolicyUrl: Discovery.shape.privacyPolicyUrl,
  /**
   * Support services shown to reporters, each optionally for some targeted characteristics and/or harm types only
   * (docs/triage-console.md "Support links that match"); discovery sends the tags as `supportLinkTags`.
   */
  supportLinks: z
    .array(
      z.strictObject({
        label: z.string().min(1).max(200),
        url: Discovery.shape.statusUrl,
        characteristics: z.array(TargetedCharacteristic).max(20).optional(),
        harms: z.array(HarmType).max(20).optional(),
      }),
    )
    .max(20)
    .default([]),
  /** The police numbers the report form gives where the hub's organisation works; unset: the UK's, 999 and 101. */
  emergencyNumbers: Discovery.shape.emergencyNumbers,
  /**
   * The organisation's public key for sealing reporters' personal data (`npm run org-key -- new`, run on a
   * moderator's own computer: the private key never comes to the hub). Published in discovery; clients that know it
   * send name, email, phone and access needs sealed, so this hub stores only ciphertext of them.
   */
  encryptionKey: Discovery.shape.encryptionKey,
  /**
   * The address clients reach the hub at, e.g. `https://report.example.org`. Discovery builds its absolute URLs from
   * it. Unset: the address the hub listens at (or the request's Host, with `trustHostHeader`); forwarded headers are
   * never trusted, since any client can send them.
   */
  publicBaseUrl: z
    .url({ protocol: /^https?$/, message: 'Use an address such as https://report.example.org' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /**
   * Whether the request's Host header may name the hub (in discovery and the widget's pages) when `publicBaseUrl` is
   * unset. Off: the listening address is used, since any client can send any Host and a cache would keep its answer.
   * On only behind a proxy that sets Host itself; such answers are then `Cache-Control: no-store`.
   */
  trustHostHeader: z.boolean().default(false),
  /** Exact web origins allowed by CORS in addition to browser extensions, e.g. the site hosting the widget. */
  corsOrigins: z
    .array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'Use an origin such as https://reports.example.org, with no path'))
    .default([]),
  rateLimit: RateLimitConfig.prefault({}),
  evidenceStore: EvidenceStoreConfig.prefault({}),
  console: ConsoleConfig.prefault({}),
  smtp: SmtpConfig.optional(),
  alerts: AlertsConfig.prefault({}),
  logLevel: LogLevel.default('info'),
  /** On SIGTERM, open requests get this long to finish before their connections are cut. */
  shutdownTimeoutMs: z.number().int().nonnegative().default(10_000),
  /**
   * On SIGTERM, the hub first keeps serving for this long with /healthz at 503, so a load balancer sees it leaving and
   * stops sending before it stops accepting connections.
   */
  shutdownGraceMs: z.number().int().nonnegative().default(3_000),
  /** A database statement running longer than this means the embedded engine is stuck: it is restarted (PGlite). */
  databaseStuckMs: z.number().int().min(1_000).default(30_000),
  /** How long the hub keeps trying to reopen a failed embedded database before it exits non-zero (PGlite). */
  databaseGiveUpMs: z.number().int().min(1_000).default(60_000),
  /** Evidence uploads written at once; more get 503 + Retry-After, so a burst of large files cannot stall the hub. */
  evidenceWritesAtOnce: positiveInt.max(64).default(4),
  /**
   * Evidence no report refers to is deleted after this many hours (an upload whose report never came). A client files
   * its report seconds after uploading, and one that comes back later is told the file is missing and uploads it again,
   * so a day is plenty; keeping a stranger's unfiled screenshot longer has no purpose (docs/hub-operations.md).
   */
  unreferencedEvidenceHours: positiveInt.default(24),
  /**
   * Two fingerprinted pictures (intimate-image abuse, sent as PDQ hashes instead of the picture) are the same picture
   * when at most this many of their 256 bits differ. 31 is PDQ's own default; lower misses more re-encoded, resized or
   * cropped copies, higher groups more unrelated pictures (hub/domain/perceptual.ts says why 47 is the most).
   */
  imageMatchDistance: z.number().int().min(0).max(MAX_IMAGE_MATCH_DISTANCE).default(DEFAULT_IMAGE_MATCH_DISTANCE),
  /**
   * Retention (docs/hub-operations.md "Retention and erasure"): a withdrawn report's personal data and evidence are
   * erased this many days after withdrawal; 0, the default, erases them at once.
   */
  erasureWithdrawnDays: z.number().int().min(0).max(3_650).default(0),
  /**
   * A closed report (any other outcome) is erased this many months after it was closed. 12 by default: long enough to
   * answer a follow-up, a repeat report or a complaint about how it was handled; each organisation sets its own to
   * match its privacy policy and any legal duty to keep records longer.
   */
  erasureClosedMonths: positiveInt.max(1_200).default(12),
  /**
   * RFC 3161 timestamp authorities asked for a token over each report's SHA-256 when it is filed (one or two; none:
   * no timestamps). Asked in the background and retried while unreachable, never delaying the receipt
   * (docs/hub-operations.md "Trusted timestamps").
   */
  timestampAuthorities: z
    .array(z.strictObject({ url: z.url({ protocol: /^https?$/, message: 'Use an address such as https://freetsa.example/tsr' }) }))
    .max(2, 'Name at most two timestamp authorities')
    .default([]),
});

export type HubConfig = z.output<typeof HubConfig>;
export type RateLimitConfig = z.output<typeof RateLimitConfig>;
export type EvidenceStoreConfig = z.output<typeof EvidenceStoreConfig>;
export type ConsoleConfig = z.output<typeof ConsoleConfig>;
export type SmtpConfig = z.output<typeof SmtpConfig>;
export type AlertsConfig = z.output<typeof AlertsConfig>;

/** What a caller may override: any top-level key, and any single key of `limits` or `rateLimit`. */
export type HubConfigInput = Partial<Omit<z.input<typeof HubConfig>, 'limits' | 'rateLimit' | 'evidenceStore' | 'console' | 'smtp' | 'alerts'>> & {
  limits?: Partial<HubConfig['limits']>;
  rateLimit?: Partial<z.input<typeof RateLimitConfig>>;
  evidenceStore?: Partial<z.input<typeof EvidenceStoreFields>>;
  console?: Partial<ConsoleConfig>;
  smtp?: Partial<SmtpConfig>;
  alerts?: Partial<z.input<typeof AlertsConfig>>;
};

export const DEFAULT_CONFIG: HubConfig = HubConfig.parse({});

/** Thrown for a configuration the hub must not start with; `problems` has one line per bad value. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid hub configuration:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Layers `overrides` over the defaults (limits and rateLimit key by key) and validates the result, or throws. */
export function resolveConfig(...layers: HubConfigInput[]): HubConfig {
  const merged = mergeLayers(layers);
  const parsed = HubConfig.safeParse(merged);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, (path) => path || '(configuration)'));
  return parsed.data;
}

export function mergeLayers(layers: readonly HubConfigInput[]): HubConfigInput {
  return layers.reduce<HubConfigInput>(
    (into, layer) => ({
      ...into,
      ...layer,
      limits: { ...into.limits, ...layer.limits },
      rateLimit: { ...into.rateLimit, ...layer.rateLimit },
      evidenceStore: { ...into.evidenceStore, ...layer.evidenceStore },
      console: { ...into.console, ...layer.console },
      alerts: { ...into.alerts, ...layer.alerts },
      // Set key by key too (OHR_SMTP_URL over a file's `smtp.from`); absent when no layer has it, as it is optional.
      ...(into.smtp || layer.smtp ? { smtp: { ...into.smtp, ...layer.smtp } } : {}),
    }),
    {},
  );
}

function describeIssues(error: z.ZodError, name: (path: string) => string): string[] {
  return error.issues.map((issue) => `${name(issue.path.map(String).join('.'))}: ${issue.message}`);
}

/** Settings of the process rather than of the hub's behaviour; they may come from the same file. */
export const ServerSettings = z.strictObject({
  port: z.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1).optional(),
  dataDir: z.string().min(1).optional(),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'Use a URL such as postgres://user:pass@host:5432/db').optional(),
});
export type ServerSettings = z.output<typeof ServerSettings>;

/** A config file: any hub setting and any server setting, all optional. */
const ConfigFile = HubConfig.partial()
  .extend({
    limits: HubConfig.shape.limits.unwrap().partial().optional(),
    rateLimit: RateLimitConfig.partial().optional(),
    evidenceStore: EvidenceStoreFields.partial().optional(),
    console: ConsoleConfig.partial().optional(),
    smtp: SmtpConfig.partial().optional(),
    alerts: AlertsConfig.partial().optional(),
  })
  .extend(ServerSettings.shape)
  .strict();

export interface LoadedConfig {
  hub: HubConfigInput;
  server: ServerSettings;
}

/** Reads and checks a JSON config file; every problem is named by file and key. */
export function readConfigFile(path: string, read: (path: string) => string = (file) => readFileSync(file, 'utf8')): LoadedConfig {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    throw new ConfigError([`config file ${path}: cannot be read (${error instanceof Error ? error.message : String(error)})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`config file ${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`]);
  }
  const parsed = ConfigFile.safeParse(json);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, (key) => `config file ${path}: ${key || '(top level)'}`));
  // The checked input, not zod's output: a partial schema fills in defaults, which would hide the layers below.
  const { port, host, dataDir, databaseUrl, ...hub } = json as ServerSettings & HubConfigInput;
  return { hub, server: stripUndefined({ port, host, dataDir, databaseUrl }) };
}

type Env = Record<string, string | undefined>;

type EnvKind = 'int' | 'number' | 'bool' | 'list' | 'string';
/** Each environment variable, the setting it fills and how its text is read. */
const ENV_VARS: ReadonlyArray<{ name: string; path: readonly [string] | readonly [string, string]; kind: EnvKind }> = [
  { name: 'OHR_NAME', path: ['name'], kind: 'string' },
  { name: 'OHR_DESCRIPTION', path: ['description'], kind: 'string' },
  { name: 'OHR_AREA', path: ['area'], kind: 'string' },
  { name: 'OHR_CATEGORIES', path: ['categories'], kind: 'list' },
  { name: 'OHR_ACCEPTS_ANONYMOUS', path: ['acceptsAnonymous'], kind: 'bool' },
  { name: 'OHR_PRIVACY_POLICY_URL', path: ['privacyPolicyUrl'], kind: 'string' },
  { name: 'OHR_PUBLIC_URL', path: ['publicBaseUrl'], kind: 'string' },
  { name: 'OHR_TRUST_HOST_HEADER', path: ['trustHostHeader'], kind: 'bool' },
  { name: 'OHR_CORS_ORIGINS', path: ['corsOrigins'], kind: 'list' },
  { name: 'OHR_MAX_JSON_BYTES', path: ['limits', 'maxJsonBytes'], kind: 'int' },
  { name: 'OHR_MAX_EVIDENCE_BYTES', path: ['limits', 'maxEvidenceBytes'], kind: 'int' },
  { name: 'OHR_MAX_ITEMS', path: ['limits', 'maxItems'], kind: 'int' },
  { name: 'OHR_MAX_IMAGE_PIXELS', path: ['maxImagePixels'], kind: 'int' },
  { name: 'OHR_IMAGE_MATCH_DISTANCE', path: ['imageMatchDistance'], kind: 'int' },
  { name: 'OHR_RATE_LIMIT', path: ['rateLimit', 'enabled'], kind: 'bool' },
  { name: 'OHR_RATE_LIMIT_BURST', path: ['rateLimit', 'burst'], kind: 'int' },
  { name: 'OHR_RATE_LIMIT_PER_SECOND', path: ['rateLimit', 'perSecond'], kind: 'number' },
  { name: 'OHR_RATE_LIMIT_SALT_ROTATION_SECONDS', path: ['rateLimit', 'saltRotationSeconds'], kind: 'int' },
  { name: 'OHR_CLIENT_IP_HEADER', path: ['rateLimit', 'clientIpHeader'], kind: 'string' },
  { name: 'OHR_RATE_LIMIT_IPV6_PREFIX', path: ['rateLimit', 'ipv6PrefixLength'], kind: 'int' },
  { name: 'OHR_RATE_LIMIT_STORE', path: ['rateLimit', 'store'], kind: 'string' },
  { name: 'OHR_EVIDENCE_STORE', path: ['evidenceStore', 'kind'], kind: 'string' },
  { name: 'OHR_S3_ENDPOINT', path: ['evidenceStore', 'endpoint'], kind: 'string' },
  { name: 'OHR_S3_BUCKET', path: ['evidenceStore', 'bucket'], kind: 'string' },
  { name: 'OHR_S3_REGION', path: ['evidenceStore', 'region'], kind: 'string' },
  { name: 'OHR_S3_ACCESS_KEY_ID', path: ['evidenceStore', 'accessKeyId'], kind: 'string' },
  { name: 'OHR_S3_SECRET_ACCESS_KEY', path: ['evidenceStore', 'secretAccessKey'], kind: 'string' },
  { name: 'OHR_S3_PREFIX', path: ['evidenceStore', 'prefix'], kind: 'string' },
  { name: 'OHR_S3_PATH_STYLE', path: ['evidenceStore', 'pathStyle'], kind: 'bool' },
  { name: 'OHR_CONSOLE_IDLE_MINUTES', path: ['console', 'idleMinutes'], kind: 'int' },
  { name: 'OHR_CONSOLE_SESSION_HOURS', path: ['console', 'sessionHours'], kind: 'int' },
  { name: 'OHR_CONSOLE_LOCKOUT_ATTEMPTS', path: ['console', 'lockoutAttempts'], kind: 'int' },
  { name: 'OHR_CONSOLE_LOCKOUT_MINUTES', path: ['console', 'lockoutMinutes'], kind: 'int' },
  { name: 'OHR_CONSOLE_TRIAGE_URGENT_HOURS', path: ['console', 'triageUrgentHours'], kind: 'int' },
  { name: 'OHR_CONSOLE_TRIAGE_NORMAL_HOURS', path: ['console', 'triageNormalHours'], kind: 'int' },
  { name: 'OHR_CONSOLE_CONTENT_WARNINGS', path: ['console', 'contentWarningHarmTypes'], kind: 'list' },
  { name: 'OHR_SMTP_URL', path: ['smtp', 'url'], kind: 'string' },
  { name: 'OHR_SMTP_FROM', path: ['smtp', 'from'], kind: 'string' },
  { name: 'OHR_ALERT_EMAILS', path: ['alerts', 'emails'], kind: 'list' },
  { name: 'OHR_ALERT_WEBHOOKS', path: ['alerts', 'webhooks'], kind: 'list' },
  { name: 'OHR_ALERT_WEBHOOK_SECRET', path: ['alerts', 'webhookSecret'], kind: 'string' },
  { name: 'OHR_DELIVERY_MAX_ATTEMPTS', path: ['alerts', 'maxAttempts'], kind: 'int' },
  { name: 'OHR_LOG_LEVEL', path: ['logLevel'], kind: 'string' },
  { name: 'OHR_SHUTDOWN_TIMEOUT_MS', path: ['shutdownTimeoutMs'], kind: 'int' },
  { name: 'OHR_SHUTDOWN_GRACE_MS', path: ['shutdownGraceMs'], kind: 'int' },
  { name: 'OHR_DATABASE_STUCK_MS', path: ['databaseStuckMs'], kind: 'int' },
  { name: 'OHR_DATABASE_GIVE_UP_MS', path: ['databaseGiveUpMs'], kind: 'int' },
  { name: 'OHR_EVIDENCE_WRITES_AT_ONCE', path: ['evidenceWritesAtOnce'], kind: 'int' },
  { name: 'OHR_UNREFERENCED_EVIDENCE_HOURS', path: ['unreferencedEvidenceHours'], kind: 'int' },
  { name: 'OHR_ERASURE_WITHDRAWN_DAYS', path: ['erasureWithdrawnDays'], kind: 'int' },
  { name: 'OHR_ERASURE_CLOSED_MONTHS', path: ['erasureClosedMonths'], kind: 'int' },
];

export const ENV_VAR_NAMES = ENV_VARS.map((variable) => variable.name);

/** Text to the value a setting wants; text that does not fit is passed on as is, so zod names what was expected. */
function fromText(text: string, kind: EnvKind): unknown {
  switch (kind) {
    case 'int':
      return /^\d+$/.test(text.replace(/_/g, '')) ? Number(text.replace(/_/g, '')) : text;
    case 'number':
      return /^\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    case 'bool':
      return /^(true|1|yes|on)$/i.test(text) ? true : /^(false|0|no|off)$/i.test(text) ? false : text;
    case 'list':
      return text.split(',').map((part) => part.trim()).filter(Boolean);
    case 'string':
      return text;
  }
}

/** The hub settings given by environment variables; every problem is named by its variable. Empty variables count as unset. */
export function configFromEnv(env: Env): HubConfigInput {
  const layer: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  for (const { name, path, kind } of ENV_VARS) {
    const text = env[name]?.trim();
    if (!text) continue;
    const value = fromText(text, kind);
    const [head, tail] = path;
    if (tail === undefined) layer[head] = value;
    else layer[head] = { ...(layer[head] as Record<string, unknown> | undefined), [tail]: value };
    origin.set(path.join('.'), `${name}=${JSON.stringify(text)}`);
  }
  const parsed = ConfigFile.safeParse(layer);
  if (!parsed.success) {
    throw new ConfigError(
      describeIssues(parsed.error, (key) => origin.get(key) ?? [...origin].find(([path]) => key.startsWith(path))?.[1] ?? key),
    );
  }
  return layer as HubConfigInput;
}

function stripUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
