/**
 * The hub's HTTP surface (ohr/1). Each handler validates at the edge with the shared schemas, calls one storage
 * function and maps its outcome to a status; every refusal is an `ApiError` body. One log line per request says the
 * route pattern, status and time under a request id; no address, header, path parameter or report content is logged.
 */
import { randomBytes } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { BlankEnv } from 'hono/types';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import { pino, type Logger } from 'pino';
import type { ZodType } from 'zod';
import { sha256Hex } from './hash';
import { clientAddress, redactedError } from './http';
import { Answer, Discovery, fieldErrors, MonitoringAnswers, SatisfactionAnswer, PATHS, PROTOCOL, Report, sha256Hex as Sha256Hex, type FieldError } from '../lib/schema';
import { resolveConfig, type HubConfig, type HubConfigInput } from './config';
import type { Database } from './db';
import { errorBody, errorResponse, HubError } from './errors';
import { unavailabilityOf, type Unavailability } from './storage/availability';
import { configureEvidenceStore } from './storage/evidence-store';
import { evidenceMediaType, imageDimensions, matchesMediaType, storeEvidence } from './domain/evidence';
import { mountConsole } from './console';
import { mountReportApp } from './report-app';
import { mountHome } from './home/routes';
import { mountWidget } from './widget';
import { canonicalJson } from './ids';
import { openApiDocument, OPENAPI_PATH } from './openapi';
import { clientLimiter, type ClientLimiter } from './ratelimit-shared';
import { readStatus, submitReport, withdrawReport, type SubmitOutcome } from './domain/intake';
import { eraseReport } from './domain/retention';
import { mountStatus } from './status/routes';
import { answerQuestion, type AnswerResult } from './domain/questions';
import { answerMonitoring, answerSatisfaction, eraseRespondent, type MonitoringResult, type SatisfactionResult } from './domain/satisfaction';
import { publishedReceiptKeys, signedReceipt } from './domain/receipts';
import { wakeTimestamps } from './domain/timestamps';

export interface AppOptions {
  db: Database;
  config?: HubConfigInput;
  /** Where request and error lines go. Default: nowhere (in-process tests); `startHub` passes a real one. */
  logger?: Logger;
  /** True once the server is shutting down: /healthz then answers 503 so a load balancer stops sending traffic. */
  isDraining?: () => boolean;
  /** The console's clock (session timeouts, lockouts); tests move it. Default: the real time. */
  consoleNow?: () => Date;
  /**
   * The origin the hub listens at (`startHub` passes it once listening). Without `publicBaseUrl` it is the hub's own
   * origin in discovery and the widget's pages; in-process (`app.request`) there is none and `http://localhost` is used.
   */
  listenOrigin?: () => string | undefined;
  /** The key TOTP secrets are sealed with (`startHub` loads it, see console/auth/totp-key.ts); in-process: a new one. */
  totpKey?: Uint8Array;
}

/**
 * Browser extensions call from these origins; their ids are unknowable in advance, so the scheme and the id's format
 * are what is trusted: Chromium's 32 letters a-p, Firefox's and Safari's UUIDs. Nothing else (`moz-extension://a.evil.example`).
 */
const UUID = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';
const EXTENSION_ORIGIN = new RegExp(`^(?:chrome-extension://[a-p]{32}|(?:moz-extension|safari-web-extension)://${UUID})$`);

/** Route patterns for PATHS (PATHS.status percent-encodes its argument, so it cannot make a pattern). */
export const ROUTES = {
  evidence: PATHS.evidence(':sha256'),
  report: `${PATHS.reports}/:reference`,
  status: `${PATHS.reports}/:reference/status`,
  answer: `${PATHS.reports}/:reference/questions/:questionId/answer`,
  satisfaction: `${PATHS.reports}/:reference/satisfaction`,
  monitoring: `${PATHS.reports}/:reference/monitoring`,
  health: '/healthz',
  openapi: OPENAPI_PATH,
} as const;

export function createApp({ db, config: overrides, logger = pino({ level: 'silent' }), isDraining = () => false, consoleNow, listenOrigin, totpKey = randomBytes(32) }: AppOptions): Hono {
  const config = resolveConfig(overrides ?? {});
  // A misconfigured hub should fail at start-up, not hand clients a discovery document they will refuse.
  Discovery.parse(discovery(config, 'https://hub.invalid'));
  const openApi = JSON.stringify(openApiDocument());
  configureEvidenceStore(db, config.evidenceStore);
  const limiter = config.rateLimit.enabled ? clientLimiter(db, config.rateLimit.store, 'api', config.rateLimit, { logger }) : undefined;
  /** Idempotency keys whose first request is still being processed here (IETF httpapi idempotency-key draft: 409). */
  const inFlight = new Set<string>();
  const evidenceWrites = new Gate(config.evidenceWritesAtOnce);

  const app = new Hono();
  // The hub's own origin never comes from the request's Host header (which any client sets, and which a cache would
  // then serve to everyone) unless the operator says so: a GET is seen by every route (discovery, the widget's pages,
  // the console's links back) as made to the configured public origin, else the listening address.
  if (!config.trustHostHeader) {
    app.use(async (c, next) => {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') {
        const own = new URL(config.publicBaseUrl ?? listenOrigin?.() ?? 'http://localhost').origin;
        const url = new URL(c.req.url);
        if (url.origin !== own) c.req.raw = new Request(new URL(url.pathname + url.search, own), c.req.raw);
      }
      return next();
    });
  } else if (!config.publicBaseUrl) {
    // The widget's pages then name the request's Host: an answer for that request alone (discovery says so itself).
    for (const page of ['/', '/report']) {
      app.get(page, async (c, next) => {
        await next();
        c.header('Cache-Control', 'no-store');
      });
    }
  }
  app.use(requestId({ generator: () => crypto.randomUUID() }));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const route = routePath(c, -1);
    logger[route === ROUTES.health ? 'debug' : 'info'](
      { reqId: c.get('requestId'), method: c.req.method, route, status: c.res.status, ms: Math.round((performance.now() - started) * 10) / 10 },
      'request',
    );
  });
  // Before the API's headers, CORS and rate limit: console routes answer with their own (see hub/console/index.ts).
  mountConsole(app, { db, config, logger, now: consoleNow, totpKey, origin: () => config.publicBaseUrl ?? listenOrigin?.() });
  // Before the widget's routes: the report app answers `/report` (the widget's older report page stays unreached).
  mountReportApp(app, config);
  mountHome(app, config);
  mountWidget(app, config);
  mountStatus(app, { db, config, logger });
  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      referrerPolicy: 'no-referrer',
      xContentTypeOptions: 'nosniff',
      xFrameOptions: 'DENY',
      // HSTS belongs to whoever terminates TLS in front of the hub, not to a process that may run on plain localhost.
      strictTransportSecurity: false,
    }),
  );
  app.use(
    cors({
      origin: (origin) => (EXTENSION_ORIGIN.test(origin) || config.corsOrigins.includes(origin) ? origin : null),
      allowMethods: ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Idempotency-Key', 'Authorization'],
      exposeHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    }),
  );
  // An API answer is stored by no cache unless its route says otherwise (discovery, the OpenAPI document): receipts,
  // status answers and withdrawals carry the status token, the reference and the public note, refusals name them.
  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });
  if (limiter) app.use(rateLimit(limiter, config.rateLimit.clientIpHeader));

  app.get(ROUTES.health, async (c) => {
    c.header('Cache-Control', 'no-store');
    const problem = await unavailability(db, isDraining());
    if (!problem) return c.json({ status: 'ok' as const });
    c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return c.json({ status: 'unavailable' as const, reason: problem.reason, message: problem.message }, 503);
  });

  app.get(ROUTES.openapi, (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(openApi, 200, { 'Content-Type': 'application/json' });
  });

  app.get(PATHS.discovery, async (c) => {
    // Built from the request's Host only where the operator trusts it: then never stored by a shared cache.
    c.header('Cache-Control', config.trustHostHeader && !config.publicBaseUrl ? 'no-store' : 'public, max-age=300');
    return c.json({ ...discovery(config, config.publicBaseUrl ?? new URL(c.req.url).origin), receiptKeys: await publishedReceiptKeys(db) });
  });

  app.put(ROUTES.evidence, limitBody(config.limits.maxEvidenceBytes), async (c) => {
    // Taken before the body is read: a waiting upload's bytes stay in its socket, so a burst of large files neither
    // fills memory nor gets ahead of the reports and console pages that share the database.
    if (!(await evidenceWrites.enter(EVIDENCE_WAIT_MS))) {
      c.header('Retry-After', '2');
      throw new HubError(503, 'unavailable', 'The hub is receiving other files right now: send this one again in a moment');
    }
    try {
      return await receiveEvidence(c);
    } finally {
      evidenceWrites.leave();
    }
  });

  const receiveEvidence = async (c: Context) => {
    const sha256 = Sha256Hex.safeParse(c.req.param('sha256'));
    if (!sha256.success) throw new HubError(400, 'invalid_request', 'The address must end with the SHA-256 of the file: 64 lowercase hexadecimal characters');
    const mediaType = evidenceMediaType(c.req.header('Content-Type'));
    if (!mediaType) throw new HubError(415, 'unsupported_media_type', 'Evidence must be sent as image/png, image/jpeg, image/webp or text/html');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength === 0) throw new HubError(400, 'invalid_request', 'The file is empty');
    if ((await sha256Hex(bytes)) !== sha256.data) {
      throw new HubError(422, 'hash_mismatch', 'The file does not match its SHA-256: it may have been damaged on the way, so send it again');
    }
    if (!matchesMediaType(bytes, mediaType)) throw new HubError(415, 'unsupported_media_type', `The file is not really ${mediaType}`);
    if (mediaType !== 'text/html') checkPixels(bytes, mediaType, config.maxImagePixels);
    const created = await storeEvidence(db, sha256.data, mediaType, bytes);
    return c.json({ sha256: sha256.data, bytes: bytes.byteLength }, created ? 201 : 200);
  };

  app.post(PATHS.reports, limitBody(config.limits.maxJsonBytes), async (c) => {
    const key = c.req.header('Idempotency-Key');
    if (!key) throw new HubError(400, 'invalid_request', 'Send the report id in the Idempotency-Key header');
    if (inFlight.has(key)) {
      c.header('Retry-After', '1');
      throw new HubError(409, 'request_in_flight', 'A request with this Idempotency-Key is still being processed: wait a moment and send it again');
    }
    inFlight.add(key);
    try {
      return await fileReport(c, key);
    } finally {
      inFlight.delete(key);
    }
  });

  const fileReport = async (c: Context, key: string) => {
    if (!/^application\/(.+\+)?json$/i.test(c.req.header('Content-Type')?.split(';')[0]?.trim() ?? '')) {
      throw new HubError(415, 'unsupported_media_type', 'Send the report as application/json');
    }
    const json = parseJson(await c.req.text());
    const parsed = Report.safeParse(json);
    if (!parsed.success) throw new HubError(422, 'invalid_report', 'The report is not complete or not valid', fieldErrors(parsed.error));
    const report = parsed.data;
    const unstorable = unstorableText(report);
    if (unstorable.length > 0) throw new HubError(422, 'invalid_report', 'Some text contains characters that cannot be kept', unstorable);
    if (report.items.length > config.limits.maxItems) {
      throw new HubError(422, 'invalid_report', `This hub takes at most ${config.limits.maxItems} items in one report`, [
        { path: 'items', message: `Send at most ${config.limits.maxItems} items` },
      ]);
    }
    if (key !== report.id) throw new HubError(400, 'invalid_request', 'The Idempotency-Key header must be the report id');
    const bodySha256 = await sha256Hex(canonicalJson(json));
    const outcome = await submitReport(db, report, bodySha256, { timestampAuthorities: config.timestampAuthorities.map((tsa) => tsa.url) });
    if (outcome.kind === 'created' && config.timestampAuthorities.length > 0) wakeTimestamps(db);
    // The signed receipt only for clients that ask: older ones read the receipt with a strict schema.
    if ((outcome.kind === 'created' || outcome.kind === 'replayed') && (c.req.query('include') ?? '').split(',').includes('signedReceipt')) {
      const signed = await signedReceipt(db, { hub: config.name, reference: outcome.receipt.reference, receivedAt: outcome.receipt.receivedAt, reportSha256: bodySha256, report });
      return answerSubmission(c, { ...outcome, receipt: { ...outcome.receipt, signedReceipt: signed } });
    }
    return answerSubmission(c, outcome);
  };

  app.get(ROUTES.status, async (c) => {
    // Questions only for clients that ask: older ones refuse a status answer with a field they do not know.
    const include = (c.req.query('include') ?? '').split(',');
    const status = await readStatus(db, c.req.param('reference'), bearerToken(c), {
      questions: include.includes('questions'),
      satisfaction: include.includes('satisfaction'),
      timestamps: include.includes('timestamps'),
    });
    if (!status) throw notFound();
    return c.json(status);
  });

  // docs/design.md "The protocol (v1)": DELETE with the same token withdraws. Both the report's address and its status address accept it.
  const withdraw = async (c: Context<BlankEnv, typeof ROUTES.report | typeof ROUTES.status>) => {
    const token = bearerToken(c);
    const status = await withdrawReport(db, c.req.param('reference'), token);
    if (!status) throw notFound();
    // The reporter's monitoring answers cannot be found from the report later (satisfaction.ts): with the code in
    // hand now, they go with the withdrawal.
    if (status.outcome === 'withdrawn') await eraseRespondent(db, token);
    // Retention: a withdrawn report's personal data goes at once unless the organisation keeps it a while. The
    // withdrawal is already committed; if erasing fails here, the next retention purge erases it.
    if (status.outcome === 'withdrawn' && config.erasureWithdrawnDays === 0) {
      await eraseReport(db, { reference: c.req.param('reference'), actorId: null, reason: 'withdrawn' }).catch((error: unknown) =>
        logger.warn({ err: redactedError(error) }, 'could not erase a withdrawn report; the retention purge will'),
      );
    }
    return c.json(status);
  };
  app.delete(ROUTES.report, withdraw);
  app.delete(ROUTES.status, withdraw);

  // The reporter answers a moderator's question, with the status token; the answer id is the idempotency key.
  app.post(ROUTES.answer, limitBody(config.limits.maxJsonBytes), async (c) => {
    const statusToken = bearerToken(c);
    if (!/^application\/(.+\+)?json$/i.test(c.req.header('Content-Type')?.split(';')[0]?.trim() ?? '')) {
      throw new HubError(415, 'unsupported_media_type', 'Send the answer as application/json');
    }
    const parsed = Answer.safeParse(parseJson(await c.req.text()));
    if (!parsed.success) throw new HubError(422, 'invalid_request', 'The answer is not complete or not valid', fieldErrors(parsed.error));
    const unstorable = unstorableText(parsed.data);
    if (unstorable.length > 0) throw new HubError(422, 'invalid_request', 'Some text contains characters that cannot be kept', unstorable);
    const items = parsed.data.items ?? [];
    if (items.length > config.limits.maxItems) {
      throw new HubError(422, 'invalid_request', `This hub takes at most ${config.limits.maxItems} items at once`, [
        { path: 'items', message: `Send at most ${config.limits.maxItems} items` },
      ]);
    }
    const outcome = await answerQuestion(db, { reference: c.req.param('reference'), statusToken, questionId: c.req.param('questionId'), answer: parsed.data });
    return answerOutcome(c, outcome);
  });

  // The satisfaction question, once the report is closed; and the optional equality monitoring, any time after sending.
  app.post(ROUTES.satisfaction, limitBody(config.limits.maxJsonBytes), async (c) => {
    const statusToken = bearerToken(c);
    const answer = parseBody(c, SatisfactionAnswer, await c.req.text(), 'The satisfaction answer');
    const outcome = await answerSatisfaction(db, { reference: c.req.param('reference'), statusToken, answer });
    return satisfactionOutcome(c, outcome);
  });
  app.post(ROUTES.monitoring, limitBody(config.limits.maxJsonBytes), async (c) => {
    const statusToken = bearerToken(c);
    const answers = parseBody(c, MonitoringAnswers, await c.req.text(), 'The monitoring answers');
    const outcome = await answerMonitoring(db, { reference: c.req.param('reference'), statusToken, answers });
    return monitoringOutcome(c, outcome);
  });

  app.notFound((c) => c.json(errorBody('not_found', 'There is nothing at this address'), 404));
  app.onError((error, c) => {
    if (error instanceof HubError) return errorResponse(c, error);
    if (c.req.raw.signal.aborted) {
      // The client went away mid-request (closed the tab, lost the network): nothing is wrong with the hub, and no
      // one is left to read an answer. Whatever was committed stays; the client's retry gets the same outcome.
      logger.info({ reqId: c.get('requestId') }, 'client disconnected');
      return c.json(errorBody('invalid_request', 'The connection was closed before the request was complete'), 400);
    }
    if (error instanceof HTTPException && error.status < 500) {
      return c.json(errorBody('invalid_request', 'The request could not be read'), error.status);
    }
    const unavailable = unavailabilityOf(error);
    if (unavailable) {
      logger.warn({ reqId: c.get('requestId'), reason: unavailable.reason, detail: unavailable.message }, 'database unavailable');
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return c.json(errorBody('unavailable', 'The hub cannot take reports for a moment. Nothing was lost: please try again shortly.'), 503);
    }
    logger.error({ reqId: c.get('requestId'), err: redactedError(error) }, 'unexpected error');
    return c.json(errorBody('internal', 'Something went wrong on the hub. Please try again later.'), 500);
  });
  return app;
}

/** How long an evidence upload may wait for a turn to be written before it is told to come back (503). */
const EVIDENCE_WAIT_MS = 10_000;

/** At most `limit` holders at once; the others wait in turn, each for at most the time it gives. */
class Gate {
  private held = 0;
  private readonly waiting: Array<(entered: boolean) => void> = [];
  constructor(private readonly limit: number) {}

  enter(waitMs: number): Promise<boolean> {
    if (this.held < this.limit) {
      this.held++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const turn = (entered: boolean) => {
        clearTimeout(timer);
        resolve(entered);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(turn), 1);
        turn(false);
      }, waitMs);
      this.waiting.push(turn);
    });
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next) next(true);
    else this.held--;
  }
}

/** What clients are told to wait after a 503: long enough for an engine restart, short enough not to lose a reporter. */
export const RETRY_AFTER_SECONDS = 10;

/**
 * Why the hub cannot take work now, or undefined. The database is asked, briefly: PostgreSQL must answer within 2 s;
 * PGlite, one session, may be busy with a long statement, and its watchdog already vouches for it while it is.
 */
async function unavailability(db: Database, draining: boolean): Promise<Unavailability | undefined> {
  if (draining) return { reason: 'draining', message: 'The hub is shutting down' };
  const health = db.health();
  if (!health.ok) return health.reason;
  const waitMs = db.engine === 'postgres' ? 2_000 : 1_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const answered = await Promise.race([
      db.query('SELECT 1').then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
    ]);
    if (answered || db.engine !== 'postgres') return undefined;
    return { reason: 'database_unreachable', message: `The database did not answer within ${waitMs / 1000} s` };
  } catch (error) {
    return unavailabilityOf(error) ?? { reason: 'database_failed', message: 'The database refused a simple query' };
  } finally {
    clearTimeout(timer);
  }
}

/** 429 with Retry-After once a client's bucket is empty. /healthz is exempt: probes must not be throttled. */
function rateLimit(limiter: ClientLimiter, header: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path === ROUTES.health || c.req.method === 'OPTIONS') return next();
    const decision = await limiter.take(clientAddress(c, header) ?? 'unknown');
    if (!decision.allowed) {
      c.header('Retry-After', String(decision.retryAfterSeconds));
      throw new HubError(429, 'rate_limited', `Too many requests from this connection: try again in ${decision.retryAfterSeconds} seconds`);
    }
    return next();
  };
}

/** Refuses an image whose header claims more pixels than the limit, or whose header cannot be read. */
function checkPixels(bytes: Uint8Array, mediaType: string, maxPixels: number): void {
  const size = imageDimensions(bytes);
  if (!size) throw new HubError(415, 'unsupported_media_type', `The file starts like ${mediaType} but its size cannot be read: it may be damaged or cut short`);
  if (size.width * size.height > maxPixels) {
    throw new HubError(
      413,
      'payload_too_large',
      `The image is ${size.width} × ${size.height} pixels; this hub takes images of at most ${(maxPixels / 1e6).toLocaleString('en')} megapixels`,
    );
  }
}

function discovery(config: HubConfig, base: string): Discovery {
  return {
    protocol: PROTOCOL,
    name: config.name,
    description: config.description,
    submitUrl: base + PATHS.reports,
    // RFC 6570 templates: a client fills in the hash or the reference.
    evidenceUrl: base + ROUTES.evidence.replace(':sha256', '{sha256}'),
    statusUrl: base + ROUTES.status.replace(':reference', '{reference}'),
    categories: config.categories,
    acceptsAnonymous: config.acceptsAnonymous,
    perceptualHashes: ['pdq'],
    limits: config.limits,
    ...(config.privacyPolicyUrl ? { privacyPolicyUrl: config.privacyPolicyUrl } : {}),
    supportLinks: config.supportLinks.map(({ label, url }) => ({ label, url })),
    ...(config.supportLinks.some((link) => link.characteristics || link.harms)
      ? { supportLinkTags: config.supportLinks.flatMap(({ url, characteristics, harms }) => (characteristics || harms ? [{ url, ...(characteristics ? { characteristics } : {}), ...(harms ? { harms } : {}) }] : [])) }
      : {}),
    ...(config.emergencyNumbers ? { emergencyNumbers: config.emergencyNumbers } : {}),
    ...(config.encryptionKey ? { encryptionKey: config.encryptionKey } : {}),
  };
}

/** 413 from the Content-Length alone when it is declared, otherwise counted while reading and stopped at the limit. */
function limitBody(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (c) => errorResponse(c, new HubError(413, 'payload_too_large', `The body is larger than this hub's limit of ${maxSize} bytes`)),
  });
}

/** NUL, and a UTF-16 surrogate without its pair: valid in JSON, but not text PostgreSQL (or most tools) can store. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Where a value holds a string with an unstorable character, as field paths (refused rather than silently altered). */
function unstorableText(value: unknown, path: string[] = []): FieldError[] {
  if (typeof value === 'string') {
    return UNSTORABLE.test(value) ? [{ path: path.join('.') || '(body)', message: 'Remove the NUL or broken (unpaired surrogate) character' }] : [];
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => unstorableText(inner, [...path, key]));
  }
  return [];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HubError(400, 'invalid_request', 'The body is not valid JSON');
  }
}

/** A missing or malformed header is 401; a well-formed but wrong token is treated like an unknown reference (404). */
function bearerToken(c: Context): string {
  const match = /^Bearer\s+([A-Za-z0-9_-]{1,128})\s*$/i.exec(c.req.header('Authorization') ?? '');
  if (!match?.[1]) {
    c.header('WWW-Authenticate', 'Bearer');
    throw new HubError(401, 'unauthorized', 'Send the status token from the receipt as "Authorization: Bearer <token>"');
  }
  return match[1];
}

/** Same answer for an unknown reference and a wrong token, so references cannot be discovered by guessing. */
function notFound(): HubError {
  return new HubError(404, 'not_found', 'No report with this reference and status token');
}

/** A JSON body checked against `schema`, or a refusal in words naming what (`what`) and each field to fix. */
function parseBody<T>(c: Context, schema: ZodType<T>, text: string, what: string): T {
  if (!/^application\/(.+\+)?json$/i.test(c.req.header('Content-Type')?.split(';')[0]?.trim() ?? '')) {
    throw new HubError(415, 'unsupported_media_type', `Send ${what.toLowerCase()} as application/json`);
  }
  const parsed = schema.safeParse(parseJson(text));
  if (!parsed.success) throw new HubError(422, 'invalid_request', `${what} is not complete or not valid`, fieldErrors(parsed.error));
  const unstorable = unstorableText(parsed.data);
  if (unstorable.length > 0) throw new HubError(422, 'invalid_request', 'Some text contains characters that cannot be kept', unstorable);
  return parsed.data;
}

function satisfactionOutcome(c: Context, outcome: SatisfactionResult): Response {
  switch (outcome.kind) {
    case 'answered':
      return c.json(outcome.receipt, 201);
    case 'replayed':
      return c.json(outcome.receipt, 200);
    case 'not_found':
      throw notFound();
    case 'not_closed':
      throw new HubError(409, 'not_closed', 'The satisfaction question is asked once the report is closed');
    case 'already_answered':
      throw new HubError(409, 'already_answered', 'A different satisfaction answer was already given for this report');
  }
}

function monitoringOutcome(c: Context, outcome: MonitoringResult): Response {
  switch (outcome.kind) {
    case 'answered':
      return c.json(outcome.receipt, 201);
    case 'replayed':
      return c.json(outcome.receipt, 200);
    case 'not_found':
      throw notFound();
    case 'already_answered':
      throw new HubError(409, 'already_answered', 'Different monitoring answers were already given for this report');
  }
}

function answerOutcome(c: Context, outcome: AnswerResult): Response {
  switch (outcome.kind) {
    case 'answered':
    case 'replayed':
      return c.json(outcome.receipt, 201);
    case 'not_found':
      throw new HubError(404, 'not_found', 'No question with this id on a report with this reference and status token');
    case 'key_reused':
      throw new HubError(422, 'idempotency_key_reused', 'A different answer was already sent with this id: give the new answer a new id');
    case 'already_answered':
      throw new HubError(409, 'already_answered', 'This question has already been answered');
    case 'report_closed':
      throw new HubError(409, 'report_closed', 'This report is closed, so it takes no more answers');
    case 'missing_evidence':
      throw new HubError(409, 'missing_evidence', 'Upload the evidence files first, then send the answer again', undefined, { missing: outcome.missing });
    case 'evidence_mismatch':
      throw new HubError(422, 'invalid_request', 'The answer describes its evidence differently from the files uploaded', outcome.fields);
  }
}

function answerSubmission(c: Context, outcome: SubmitOutcome): Response {
  switch (outcome.kind) {
    case 'created':
    case 'replayed':
      return c.json(outcome.receipt, 201);
    case 'key_reused':
      throw new HubError(422, 'idempotency_key_reused', 'A different report was already sent with this id: give the new report a new id');
    case 'missing_evidence':
      throw new HubError(409, 'missing_evidence', 'Upload the evidence files first, then send the report again', undefined, {
        missing: outcome.missing,
      });
    case 'evidence_mismatch':
      throw new HubError(422, 'invalid_report', 'The report describes its evidence differently from the files uploaded', outcome.fields);
  }
}
