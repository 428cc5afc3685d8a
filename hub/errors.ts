/**
 * Errors as data: every refusal is `{error: {code, message, fields?}}` in plain words, with the protocol's codes, so a
 * client can show the message and point at the field without knowing this hub.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiError, ErrorCode, FieldError } from '../lib/schema';

/** Thrown by a handler to end the request with a protocol error. */
export class HubError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    /** Extra members of `error` that a code defines, e.g. `missing` for `missing_evidence`. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export function errorBody(code: ErrorCode, message: string, fields?: FieldError[]): ApiError {
  return { error: { code, message, ...(fields ? { fields } : {}) } };
}

export function errorResponse(c: Context, error: HubError): Response {
  const body = errorBody(error.code, error.message, error.fields);
  return c.json({ error: { ...body.error, ...error.extra } }, error.status);
}
