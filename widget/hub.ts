/**
 * The widget's half of ohr/1: discovery, evidence uploads, the report under its idempotency key, and the status.
 * Outcomes are data: a wait (offline, busy, failing) keeps the report for later; a problem (400/422 and the like)
 * stops and shows the hub's words, with `fields` pointing at the inputs to fix.
 */
import { isRetryable, retryAfterMs } from '@/lib/protocol/retry';
import type { Discovery, FieldError, Receipt, Report, StatusResponse } from '@/lib/schema';
import { t } from './i18n';
import type { Upload } from './uploads';

/** The parts of discovery a sent report needs again later, kept with it in the outbox. */
export type Routes = Pick<Discovery, 'submitUrl' | 'evidenceUrl' | 'statusUrl'>;

/** The hub's refusal, in its words, with `fields` pointing at the inputs to fix. */
export interface Problem {
  message: string;
  fields?: FieldError[];
}

/** What a delivery changes in the outbox entry: the receipt, the hub's problem, or, to send again, nothing (or a Retry-After). */
export type Outcome = { receipt: Receipt } | { problem: Problem } | { retryAfterMs?: number };

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: FieldError[]; missing?: string[] };
}

const TIMEOUT_MS = 30_000;

const call = (url: string, init: RequestInit = {}) => fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
const json = (response: Response): Promise<unknown> => response.json().catch(() => undefined);

/**
 * The endpoint's discovery document, or in words why it cannot be had. A hub that refuses this site's origin (not in
 * its `corsOrigins`) fails the request exactly as an unreachable one does. A `no-cors` request, which needs no
 * permission and whose answer the page may not read, tells them apart: only a hub that is up answers it. It asks for
 * the hub's `/widget.js`, the one answer the hub lets any origin have (`Cross-Origin-Resource-Policy: cross-origin`;
 * the API's answers say `same-origin`, which fails a `no-cors` request as if the hub were down), from the network, not
 * the cache that may hold the script this page loaded. The person is told which it is, and the site's owner, in the
 * console, what to configure.
 */
export async function discover(endpoint: string): Promise<Discovery | string> {
  const base = endpoint.replace(/\/+$/, '');
  try {
    const response = await call(`${base}/.well-known/ohr`);
    const body = (await json(response)) as Discovery | undefined;
    if (response.ok && body?.protocol === 'ohr/1') return body;
  } catch {
    if (await call(`${base}/widget.js`, { mode: 'no-cors', cache: 'no-store' }).then(Boolean, () => false)) {
      console.error(t('widget.notAllowedConsole', { endpoint, origin: location.origin }));
      return t('widget.notAllowed', { endpoint });
    }
  }
  return t('widget.unreachable', { endpoint });
}

/** Uploads the evidence, posts the report, and once more for whatever a 409 `missing_evidence` names. */
export async function deliver(routes: Routes, report: Report, uploads: readonly Upload[], again = true): Promise<Outcome> {
  try {
    for (const upload of uploads) {
      const put = await call(routes.evidenceUrl.replace('{sha256}', upload.sha256), {
        method: 'PUT',
        headers: { 'Content-Type': upload.mediaType },
        body: upload.blob,
      });
      if (!put.ok) return failure(put, (await json(put)) as ErrorBody);
    }
    // The hub's signed receipt comes with the receipt and is kept with it (widget/outbox.ts), not checked here.
    const post = await call(`${routes.submitUrl}?include=signedReceipt`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
      body: JSON.stringify(report),
    });
    const body = (await json(post)) as ErrorBody | undefined;
    if (post.status === 201) return { receipt: body as Receipt };
    const missing = body?.error?.code === 'missing_evidence' ? body.error.missing ?? [] : undefined;
    if (!again || !missing) return failure(post, body);
    return await deliver(routes, report, uploads.filter((upload) => missing.includes(upload.sha256)), false);
  } catch {
    // Offline, refused, reset or timed out: nothing was decided, so the report waits.
    return {};
  }
}

function failure(response: Response, body: ErrorBody | undefined): Outcome {
  const { status } = response;
  if (isRetryable(status)) return { retryAfterMs: retryAfterMs(response.headers.get('Retry-After')) };
  const { message = `HTTP ${status}`, fields } = body?.error ?? {};
  return { problem: { message, fields } };
}

/** The report's status, with the token from its receipt; an error's words otherwise. */
export async function readStatus(routes: Routes, receipt: Receipt): Promise<StatusResponse | string> {
  try {
    const response = await call(routes.statusUrl.replace('{reference}', encodeURIComponent(receipt.reference)), {
      headers: { Authorization: `Bearer ${receipt.statusToken}` },
    });
    const body = await json(response);
    return response.ok ? (body as StatusResponse) : ((body as ErrorBody | undefined)?.error?.message ?? `HTTP ${response.status}`);
  } catch (error) {
    return String(error);
  }
}
