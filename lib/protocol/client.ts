/**
 * The client half of ohr/1: upload evidence by hash, then post the report under its idempotency key.
 * Errors come back as data (`SendFailure`) rather than exceptions, so callers can show them in words and
 * decide whether a retry makes sense.
 */
import type { Artefact } from '../capture/page';
import { ApiError, MissingEvidenceError, PATHS, Receipt, type FieldError, type Report } from '../schema';

export type Fetch = typeof fetch;

export type SendFailure =
  /** Nothing usable came back: offline, refused, reset. Worth retrying later. */
  | { kind: 'network'; message: string }
  /** The endpoint refused the content (4xx). Retrying the same thing will not help. */
  | { kind: 'rejected'; status: number; code: string; message: string; fields?: FieldError[] }
  /** The endpoint failed (5xx, 429, or an answer that breaks the protocol). Worth retrying later. */
  | { kind: 'server'; status: number; message: string; retryAfterSeconds?: number };

export type SendResult = { ok: true; receipt: Receipt } | { ok: false; failure: SendFailure };

export async function sendReport(endpoint: string, report: Report, artefacts: Artefact[], fetchFn: Fetch = fetch): Promise<SendResult> {
  const base = endpoint.replace(/\/+$/, '');
  try {
    for (const artefact of artefacts) {
      const failure = await uploadEvidence(base, artefact, fetchFn);
      if (failure) return { ok: false, failure };
    }
    return await postReport(base, report, fetchFn);
  } catch (error) {
    return { ok: false, failure: { kind: 'network', message: error instanceof Error ? error.message : String(error) } };
  }
}

async function uploadEvidence(base: string, artefact: Artefact, fetchFn: Fetch): Promise<SendFailure | undefined> {
  const response = await fetchFn(base + PATHS.evidence(artefact.sha256), {
    method: 'PUT',
    headers: { 'Content-Type': artefact.mediaType },
    body: artefact.bytes,
  });
  return response.ok ? undefined : failureFrom(response);
}

async function postReport(base: string, report: Report, fetchFn: Fetch): Promise<SendResult> {
  const response = await fetchFn(base + PATHS.reports, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
    body: JSON.stringify(report),
  });
  if (response.status === 201 || response.status === 200) {
    const receipt = Receipt.safeParse(await response.json().catch(() => undefined));
    if (receipt.success) return { ok: true, receipt: receipt.data };
    return { ok: false, failure: { kind: 'server', status: response.status, message: 'The receipt did not follow the protocol' } };
  }
  return { ok: false, failure: await failureFrom(response) };
}

async function failureFrom(response: Response): Promise<SendFailure> {
  const body: unknown = await response.json().catch(() => undefined);
  const retryAfter = Number(response.headers.get('Retry-After'));
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    return {
      kind: 'server',
      status: response.status,
      message: ApiError.safeParse(body).data?.error.message ?? response.statusText,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
    };
  }
  const missing = MissingEvidenceError.safeParse(body);
  if (missing.success) {
    const { code, message, missing: hashes } = missing.data.error;
    return { kind: 'rejected', status: response.status, code, message: `${message} (${hashes.join(', ')})` };
  }
  const error = ApiError.safeParse(body);
  if (error.success) {
    const { code, message, fields } = error.data.error;
    return { kind: 'rejected', status: response.status, code, message, ...(fields ? { fields } : {}) };
  }
  return { kind: 'rejected', status: response.status, code: 'unknown', message: `HTTP ${response.status} ${response.statusText}`.trim() };
}
