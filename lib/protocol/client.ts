/**
 * The client half of ohr/1: upload evidence by hash, post the report under its idempotency key, read its status,
 * withdraw it. Errors come back as data (`SendFailure`) rather than exceptions, so the outbox can decide between
 * "try again later" and "needs the person's attention", and the UI can say what happened in words.
 */
import type { z } from 'zod';
import type { Artefact } from '../report/artefact';
import {
  AnswerReceipt,
  ApiError,
  Discovery,
  MissingEvidenceError,
  MonitoringReceipt,
  PATHS,
  Receipt,
  SatisfactionReceipt,
  StatusResponse,
  type Answer,
  type MonitoringAnswers,
  type SatisfactionAnswer,
  type FieldError,
  type Report,
} from '../schema';
import { isRetryable, retryAfterMs } from './retry';

export type Fetch = typeof fetch;

export type SendFailure =
  /** Nothing usable came back: offline, refused, reset, timed out. Worth retrying later. */
  | { kind: 'network'; message: string }
  /** The endpoint is busy or failing (5xx, 408, 409, 429, or an answer that breaks the protocol). Retry later. */
  | { kind: 'retry'; status: number; message: string; retryAfterSeconds?: number }
  /** The endpoint refused the content (400, 401, 403, 404, 413, 415, 422…). Resending the same will not help. */
  | { kind: 'rejected'; status: number; code: string; message: string; fields?: FieldError[] };

export type Result<T> = { ok: true; value: T } | { ok: false; failure: SendFailure };

export interface ClientOptions {
  fetch?: Fetch;
  /** Per request: a hub that never answers must not hold a report in `sending` forever. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export async function sendReport(endpoint: string, report: Report, artefacts: Artefact[], options: ClientOptions = {}): Promise<Result<Receipt>> {
  const http = client(endpoint, options);
  return guarded(async () => {
    for (const artefact of artefacts) {
      const failure = await uploadEvidence(http, artefact);
      if (failure) return { ok: false, failure };
    }
    const first = await postReport(http, report);
    if (first.ok || first.missing.length === 0) return first.result;
    // The endpoint lost or never kept some evidence (a restore, a purge): upload what it names and try once more.
    for (const artefact of artefacts.filter((candidate) => first.missing.includes(candidate.sha256))) {
      const failure = await uploadEvidence(http, artefact);
      if (failure) return { ok: false, failure };
    }
    return (await postReport(http, report)).result;
  });
}

/**
 * Answers a moderator's question on a report, with the report's status token, uploading the evidence of any added
 * items first (and once more if the endpoint says some is missing). `answer.id` is the idempotency key: a resend gets
 * the first receipt. A question already answered otherwise, or a closed report, is refused for good, not retried.
 */
export async function sendAnswer(
  endpoint: string,
  receipt: Receipt,
  questionId: string,
  answer: Answer,
  artefacts: Artefact[],
  options: ClientOptions = {},
): Promise<Result<AnswerReceipt>> {
  const http = client(endpoint, options);
  const post = async (): Promise<{ result: Result<AnswerReceipt>; missing: string[] }> => {
    const response = await http.request(PATHS.answer(receipt.reference, questionId), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${receipt.statusToken}` },
      body: JSON.stringify(answer),
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 201 || response.status === 200) {
      const parsed = AnswerReceipt.safeParse(body);
      if (parsed.success) return { result: { ok: true, value: parsed.data }, missing: [] };
      return { result: { ok: false, failure: { kind: 'retry', status: response.status, message: 'The receipt did not follow the protocol' } }, missing: [] };
    }
    const code = ApiError.safeParse(body).data?.error.code;
    const failure = classify(response, body);
    const final = code === 'already_answered' || code === 'report_closed';
    const missing = MissingEvidenceError.safeParse(body);
    return {
      result: { ok: false, failure: final ? { kind: 'rejected', status: response.status, code, message: failure.message } : failure },
      missing: missing.success ? missing.data.error.missing : [],
    };
  };
  return guarded(async () => {
    for (const artefact of artefacts) {
      const failure = await uploadEvidence(http, artefact);
      if (failure) return { ok: false, failure };
    }
    const first = await post();
    if (first.result.ok || first.missing.length === 0) return first.result;
    for (const artefact of artefacts.filter((candidate) => first.missing.includes(candidate.sha256))) {
      const failure = await uploadEvidence(http, artefact);
      if (failure) return { ok: false, failure };
    }
    return (await post()).result;
  });
}

export async function fetchDiscovery(endpoint: string, options: ClientOptions = {}): Promise<Result<Discovery>> {
  const http = client(endpoint, options);
  return guarded(async () => {
    const response = await http.request(PATHS.discovery, { headers: { Accept: 'application/json' } });
    if (!response.ok) return { ok: false, failure: await failureFrom(response) };
    const discovery = Discovery.safeParse(await response.json().catch(() => undefined));
    if (discovery.success) return { ok: true, value: discovery.data };
    return { ok: false, failure: { kind: 'rejected', status: response.status, code: 'not_ohr', message: 'This address does not describe an OHR reporting service' } };
  });
}

/**
 * Answers the satisfaction question once the report is closed, with the report's status token. The hub keeps one answer
 * per report: the same answer sent again gets the first receipt; a different one is refused for good.
 */
export async function sendSatisfaction(endpoint: string, receipt: Receipt, answer: SatisfactionAnswer, options: ClientOptions = {}): Promise<Result<SatisfactionReceipt>> {
  return postAnswer(endpoint, PATHS.satisfaction(receipt.reference), receipt, answer, SatisfactionReceipt, options);
}

/** Sends the optional equality monitoring answers for a sent report (once per report, as satisfaction). */
export async function sendMonitoring(endpoint: string, receipt: Receipt, answers: MonitoringAnswers, options: ClientOptions = {}): Promise<Result<MonitoringReceipt>> {
  return postAnswer(endpoint, PATHS.monitoring(receipt.reference), receipt, answers, MonitoringReceipt, options);
}

async function postAnswer<T>(endpoint: string, path: string, receipt: Receipt, body: unknown, schema: z.ZodType<T>, options: ClientOptions): Promise<Result<T>> {
  const http = client(endpoint, options);
  return guarded(async () => {
    const response = await http.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${receipt.statusToken}` },
      body: JSON.stringify(body),
    });
    if (!response.ok) return { ok: false, failure: await failureFrom(response) };
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (parsed.success) return { ok: true, value: parsed.data };
    return { ok: false, failure: { kind: 'retry', status: response.status, message: 'The answer did not follow the protocol' } };
  });
}

export async function fetchStatus(endpoint: string, receipt: Receipt, options: ClientOptions = {}): Promise<Result<StatusResponse>> {
  return statusCall(endpoint, receipt, 'GET', options);
}

export async function withdrawReport(endpoint: string, receipt: Receipt, options: ClientOptions = {}): Promise<Result<StatusResponse>> {
  return statusCall(endpoint, receipt, 'DELETE', options);
}

/**
 * What a status GET asks for beyond the status: the moderators' questions, and whether the satisfaction question is
 * open (once the report is closed). The same for every client, so it says nothing about who asks; an endpoint older
 * than questions ignores the query.
 */
export const STATUS_INCLUDE = 'questions,satisfaction,timestamps';
/** What a report's POST asks for besides the receipt: the hub's signed receipt (hub-api.md "Signed receipts"). */
export const SUBMIT_INCLUDE = 'signedReceipt';

async function statusCall(endpoint: string, receipt: Receipt, method: 'GET' | 'DELETE', options: ClientOptions): Promise<Result<StatusResponse>> {
  const http = client(endpoint, options);
  // docs/design.md "The protocol (v1)": the status URL answers GET with the status and DELETE (the reporter withdrawing) with the new one.
  const path = method === 'GET' ? `${PATHS.status(receipt.reference)}?include=${STATUS_INCLUDE}` : PATHS.status(receipt.reference);
  return guarded(async () => {
    const response = await http.request(path, { method, headers: { Authorization: `Bearer ${receipt.statusToken}` } });
    if (!response.ok) return { ok: false, failure: await failureFrom(response) };
    const status = StatusResponse.safeParse(await response.json().catch(() => undefined));
    if (status.success) return { ok: true, value: status.data };
    return { ok: false, failure: { kind: 'retry', status: response.status, message: 'The status answer did not follow the protocol' } };
  });
}

interface Http {
  request(path: string, init?: RequestInit): Promise<Response>;
}

function client(endpoint: string, { fetch: fetchFn = fetch, timeoutMs = DEFAULT_TIMEOUT_MS }: ClientOptions): Http {
  const base = endpoint.replace(/\/+$/, '');
  return { request: (path, init = {}) => fetchFn(base + path, { ...init, signal: AbortSignal.timeout(timeoutMs) }) };
}

/** Anything thrown on the way (offline, reset, aborted by the time-out) is a network failure: keep the report and retry. */
async function guarded<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (error) {
    return { ok: false, failure: { kind: 'network', message: error instanceof Error ? error.message : String(error) } };
  }
}

async function uploadEvidence(http: Http, artefact: Artefact): Promise<SendFailure | undefined> {
  const response = await http.request(PATHS.evidence(artefact.sha256), {
    method: 'PUT',
    headers: { 'Content-Type': artefact.mediaType },
    body: artefact.bytes,
  });
  return response.ok ? undefined : failureFrom(response);
}

async function postReport(http: Http, report: Report): Promise<{ ok: boolean; result: Result<Receipt>; missing: string[] }> {
  // With the hub's signed receipt (a hub that does not sign ignores the query; one that does, sends it only when asked).
  const response = await http.request(`${PATHS.reports}?include=${SUBMIT_INCLUDE}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
    body: JSON.stringify(report),
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status === 201 || response.status === 200) {
    const receipt = Receipt.safeParse(body);
    if (receipt.success) return { ok: true, result: { ok: true, value: receipt.data }, missing: [] };
    const failure: SendFailure = { kind: 'retry', status: response.status, message: 'The receipt did not follow the protocol' };
    return { ok: false, result: { ok: false, failure }, missing: [] };
  }
  const missing = MissingEvidenceError.safeParse(body);
  return {
    ok: false,
    result: { ok: false, failure: classify(response, body) },
    missing: missing.success ? missing.data.error.missing : [],
  };
}

async function failureFrom(response: Response): Promise<SendFailure> {
  return classify(response, await response.json().catch(() => undefined));
}

function classify(response: Response, body: unknown): SendFailure {
  const error = ApiError.safeParse(body).data?.error ?? MissingEvidenceError.safeParse(body).data?.error;
  const message = error?.message ?? (`HTTP ${response.status} ${response.statusText}`.trim());
  if (isRetryable(response.status)) {
    const retryAfter = retryAfterMs(response.headers.get('Retry-After'));
    return { kind: 'retry', status: response.status, message, ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter / 1000 } : {}) };
  }
  const fields = error && 'fields' in error ? error.fields : undefined;
  return { kind: 'rejected', status: response.status, code: error?.code ?? 'unknown', message, ...(fields ? { fields } : {}) };
}
