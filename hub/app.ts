/**
 * The hub's HTTP surface (ohr/1). Each handler validates at the edge with the shared schemas, calls one storage
 * function and maps its outcome to a status; every refusal is an `ApiError` body. Nothing here logs a request, an
 * address or a report: the only log line is the stack of an unexpected failure.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { BlankEnv } from 'hono/types';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { sha256Hex } from '../lib/hash';
import { Discovery, fieldErrors, PATHS, PROTOCOL, Report, sha256Hex as Sha256Hex } from '../lib/schema';
import { resolveConfig, type HubConfig } from './config';
import type { Database } from './db';
import { errorBody, errorResponse, HubError } from './errors';
import { evidenceMediaType, matchesMediaType, storeEvidence } from './evidence';
import { canonicalJson } from './ids';
import { readStatus, submitReport, withdrawReport, type SubmitOutcome } from './reports';

export interface AppOptions {
  db: Database;
  config?: Partial<HubConfig>;
}

/** Browser extensions call from these origins; their ids are unknowable in advance, so the scheme is what is trusted. */
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension):\/\/[A-Za-z0-9._-]+$/;

/** Route patterns for PATHS (PATHS.status percent-encodes its argument, so it cannot make a pattern). */
const ROUTES = {
  evidence: PATHS.evidence(':sha256'),
  report: `${PATHS.reports}/:reference`,
  status: `${PATHS.reports}/:reference/status`,
} as const;

export function createApp({ db, config: overrides }: AppOptions): Hono {
  const config = resolveConfig(overrides);
  // A misconfigured hub should fail at start-up, not hand clients a discovery document they will refuse.
  Discovery.parse(discovery(config, 'https://hub.invalid'));

  const app = new Hono();
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
      maxAge: 600,
    }),
  );

  app.get(PATHS.discovery, (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(discovery(config, config.publicBaseUrl ?? new URL(c.req.url).origin));
  });

  app.put(ROUTES.evidence, limitBody(config.limits.maxEvidenceBytes), async (c) => {
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
    const created = await storeEvidence(db, sha256.data, mediaType, bytes);
    return c.json({ sha256: sha256.data, bytes: bytes.byteLength }, created ? 201 : 200);
  });

  app.post(PATHS.reports, limitBody(config.limits.maxJsonBytes), async (c) => {
    const key = c.req.header('Idempotency-Key');
    if (!key) throw new HubError(400, 'invalid_request', 'Send the report id in the Idempotency-Key header');
    if (!/^application\/(.+\+)?json$/i.test(c.req.header('Content-Type')?.split(';')[0]?.trim() ?? '')) {
      throw new HubError(415, 'unsupported_media_type', 'Send the report as application/json');
    }
    const json = parseJson(await c.req.text());
    const parsed = Report.safeParse(json);
    if (!parsed.success) throw new HubError(422, 'invalid_report', 'The report is not complete or not valid', fieldErrors(parsed.error));
    const report = parsed.data;
    if (report.items.length > config.limits.maxItems) {
      throw new HubError(422, 'invalid_report', `This hub takes at most ${config.limits.maxItems} items in one report`, [
        { path: 'items', message: `Send at most ${config.limits.maxItems} items` },
      ]);
    }
    if (key !== report.id) throw new HubError(400, 'invalid_request', 'The Idempotency-Key header must be the report id');
    return answerSubmission(c, await submitReport(db, report, await sha256Hex(canonicalJson(json))));
  });

  app.get(ROUTES.status, async (c) => {
    const status = await readStatus(db, c.req.param('reference'), bearerToken(c));
    if (!status) throw notFound();
    return c.json(status);
  });

  // DESIGN.md: "DELETE with the same token" withdraws. Both the report's address and its status address accept it.
  const withdraw = async (c: Context<BlankEnv, typeof ROUTES.report | typeof ROUTES.status>) => {
    const status = await withdrawReport(db, c.req.param('reference'), bearerToken(c));
    if (!status) throw notFound();
    return c.json(status);
  };
  app.delete(ROUTES.report, withdraw);
  app.delete(ROUTES.status, withdraw);

  app.notFound((c) => c.json(errorBody('not_found', 'There is nothing at this address'), 404));
  app.onError((error, c) => {
    if (error instanceof HubError) return errorResponse(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      return c.json(errorBody('invalid_request', 'The request could not be read'), error.status);
    }
    console.error('OHR hub: unexpected error', error instanceof Error ? error.stack : String(error));
    return c.json(errorBody('internal', 'Something went wrong on the hub. Please try again later.'), 500);
  });
  return app;
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
    limits: config.limits,
    ...(config.privacyPolicyUrl ? { privacyPolicyUrl: config.privacyPolicyUrl } : {}),
    supportLinks: config.supportLinks,
  };
}

/** 413 from the Content-Length alone when it is declared, otherwise counted while reading and stopped at the limit. */
function limitBody(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (c) => errorResponse(c, new HubError(413, 'payload_too_large', `The body is larger than this hub's limit of ${maxSize} bytes`)),
  });
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
