/**
 * When the database cannot take work for a while (a full or read-only disk, an engine being replaced, a server
 * restarting), the honest answer is 503 with Retry-After — "try again soon, nothing was kept" — never 500. This module
 * names those conditions and tells them apart from real faults, for both engines.
 */
import { randomBytes } from 'node:crypto';
import { open, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export type UnavailableReason = 'disk_full' | 'read_only' | 'database_failed' | 'database_unreachable' | 'draining' | 'busy';

export interface Unavailability {
  reason: UnavailableReason;
  /** For operators: /healthz and the log say this. Never shown to reporters as is. */
  message: string;
}

/** Thrown instead of a database error when the database cannot take work now; the API answers 503 + Retry-After. */
export class DatabaseUnavailableError extends Error {
  constructor(readonly unavailability: Unavailability) {
    super(unavailability.message);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * SQLSTATE classes that mean "not now" rather than "this request is wrong": 53 insufficient resources (53100
 * disk_full), 58 system error (58030 io_error), 57P operator intervention (shutdown, cannot connect now), 08 connection
 * exception; and 25006, a read-only transaction (a standby, or a database set read-only).
 */
const UNAVAILABLE_SQLSTATE = /^(53|58|57P|08)|^25006$/;
/** Node's socket errors from `pg` when the server is gone. */
const UNREACHABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/** The unavailability an error from either engine stands for, or undefined for a real fault. */
export function unavailabilityOf(error: unknown): Unavailability | undefined {
  if (error instanceof DatabaseUnavailableError) return error.unavailability;
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') {
    // pg reports a connection it lost without a code.
    return /Connection terminated|connection timeout/i.test(error.message)
      ? { reason: 'database_unreachable', message: 'The database server cannot be reached' }
      : undefined;
  }
  if (code === '53100') return { reason: 'disk_full', message: 'The database disk is full' };
  if (code === '25006') return { reason: 'read_only', message: 'The database is read-only' };
  if (UNAVAILABLE_SQLSTATE.test(code)) return { reason: 'database_unreachable', message: `The database cannot take work now (${code})` };
  if (UNREACHABLE_ERRNO.has(code)) return { reason: 'database_unreachable', message: `The database server cannot be reached (${code})` };
  return undefined;
}

/** Bytes a probe writes: enough to show the disk can still take a page and its WAL record. */
const PROBE_BYTES = 64 * 1024;

/**
 * Why a data folder cannot be written, found by trying: a small file written, synced and removed. Running as root
 * ignores permission bits, so only a real write tells a read-only mount or a full disk. Undefined if the write works.
 */
export async function diagnoseFolder(folder: string): Promise<Unavailability | undefined> {
  const probe = join(folder, `.ohr-probe-${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(probe, 'wx');
    try {
      await handle.write(new Uint8Array(PROBE_BYTES));
      await handle.sync();
    } finally {
      await handle.close();
      await unlink(probe).catch(() => undefined);
    }
  } catch (error) {
    return folderProblem(folder, error);
  }
  const free = await freeBytes(folder);
  if (free !== undefined && free < MIN_FREE_BYTES) {
    return { reason: 'disk_full', message: `The disk holding ${folder} is full (${Math.floor(free / 2 ** 20)} MB free): free some space` };
  }
  return undefined;
}

/** Below this, PostgreSQL cannot start a new WAL segment (16 MB) with room to spare, so the disk counts as full. */
export const MIN_FREE_BYTES = 32 * 2 ** 20;

function folderProblem(folder: string, error: unknown): Unavailability {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return { reason: 'disk_full', message: `The disk holding ${folder} is full: free some space` };
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return { reason: 'read_only', message: `The data folder ${folder} cannot be written (${code}): make it writable` };
  }
  return { reason: 'database_failed', message: `The data folder ${folder} cannot be written (${String(code ?? error)})` };
}

/** Free bytes for an unprivileged writer on the file system holding `folder`, or undefined where it cannot be read. */
export async function freeBytes(folder: string): Promise<number | undefined> {
  try {
    const stats = await statfs(folder);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}
