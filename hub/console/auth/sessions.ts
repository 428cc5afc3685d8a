/**
 * Server-side sessions. The cookie holds 128 random bits; the database holds only their SHA-256, so a copy of the
 * database does not hand out live sessions. A session ends after `idle` without a request, after `absolute` whatever
 * happens, on sign-out, and when its account is disabled. Times come from the caller's clock, so tests can move it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsoleConfig } from '../../config';
import type { Database } from '../../db';
import { sha256Hex } from '../../hash';
import type { Moderator } from './accounts';

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

/** The configured timeouts (`console.idleMinutes`, `console.sessionHours`) in milliseconds. */
export function sessionTimeouts(config: Pick<ConsoleConfig, 'idleMinutes' | 'sessionHours'>): SessionTimeouts {
  return { idleMs: config.idleMinutes * 60_000, absoluteMs: config.sessionHours * 3_600_000 };
}

/** Only a request more than this long after the last one writes `last_seen_at`: a page and its stylesheet cost one write. */
const TOUCH_AFTER_MS = 30_000;

export interface Session {
  moderator: Moderator;
  csrfToken: string;
}

export async function createSession(db: Database, moderatorId: string, now: Date, timeouts: SessionTimeouts): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(16).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await db.query('INSERT INTO sessions (token_sha256, moderator_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)', [
    await sha256Hex(token),
    moderatorId,
    csrfToken,
    now,
    new Date(now.getTime() + timeouts.absoluteMs),
  ]);
  return { token, csrfToken };
}

interface SessionRow {
  id: string;
  email: string;
  role: Moderator['role'];
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
}

/** The live session for a cookie's token, refreshed; an expired one is deleted and undefined is returned. */
export async function readSession(db: Database, token: string, now: Date, timeouts: SessionTimeouts): Promise<Session | undefined> {
  if (!/^[A-Za-z0-9_-]{22}$/.test(token)) return undefined;
  const tokenSha256 = await sha256Hex(token);
  const [row] = await db.query<SessionRow>(
    `SELECT m.id::text, m.email, m.role, s.csrf_token, s.last_seen_at, s.expires_at
       FROM sessions s JOIN moderators m ON m.id = s.moderator_id
      WHERE s.token_sha256 = $1 AND m.disabled_at IS NULL`,
    [tokenSha256],
  );
  if (!row) return undefined;
  const idleFor = now.getTime() - new Date(row.last_seen_at).getTime();
  if (idleFor > timeouts.idleMs || now >= new Date(row.expires_at)) {
    await deleteSession(db, token);
    return undefined;
  }
  if (idleFor > TOUCH_AFTER_MS) await db.query('UPDATE sessions SET last_seen_at = $2 WHERE token_sha256 = $1', [tokenSha256, now]);
  return { moderator: { id: row.id, email: row.email, role: row.role }, csrfToken: row.csrf_token };
}

export async function deleteSession(db: Database, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_sha256 = $1', [await sha256Hex(token)]);
}

/** Sessions past either timeout, removed now and then so the table does not grow with abandoned sign-ins. */
export async function purgeSessions(db: Database, now: Date, timeouts: SessionTimeouts): Promise<void> {
  await db.query('DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2', [now, new Date(now.getTime() - timeouts.idleMs)]);
}

/** Constant-time comparison of a submitted CSRF token with the session's. */
export function sameToken(submitted: string, expected: string): boolean {
  const a = Buffer.from(submitted);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
