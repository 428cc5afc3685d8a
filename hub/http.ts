/**
 * HTTP helpers both of the hub's transports use, the API (app.ts) and the triage console (console/): who is asking,
 * and what of an unexpected error may be logged. Nothing here knows a route.
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** The socket's address, or the last entry of the configured proxy header; undefined in-process (app.request). */
export function clientAddress(c: Context, header: string | undefined): string | undefined {
  if (header) return c.req.header(header)?.split(',').at(-1)?.trim() || undefined;
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * What of an unexpected error may be logged. Database messages can quote the values that failed (report text), so the
 * message is left out; the type, the driver's error code and the stack frames say where to look.
 */
export function redactedError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    stack: error.stack?.split('\n').filter((line) => /^\s+at /.test(line)).join('\n'),
  };
}
