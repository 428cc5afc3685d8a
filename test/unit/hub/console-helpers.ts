/**
 * Console test helpers: a hub app whose console runs on a clock the test moves, moderators made through the real
 * account code, and a browser-like client that signs in, keeps the session cookie and posts forms with the page's
 * CSRF token and `Sec-Fetch-Site: same-origin`, as Chromium does.
 */
import type { Hono } from 'hono';
import { createApp } from '../../../hub/app';
import type { HubConfigInput } from '../../../hub/config';
import { createModerator, NewModerator, type Moderator, type Role } from '../../../hub/console/auth/accounts';
import type { Database } from '../../../hub/db';
import { UNLIMITED } from './helpers';

export const PASSWORD = 'a long enough passphrase';

export interface Clock {
  now: Date;
  advance(ms: number): void;
}

export function clock(start = new Date()): Clock {
  return {
    now: start,
    advance(ms) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
}

/** The whole hub app (API and console) with the console on `time`'s clock. */
export function consoleApp(db: Database, time: Clock = clock(), config: HubConfigInput = {}): Hono {
  return createApp({ db, config: { ...UNLIMITED, ...config }, consoleNow: () => time.now });
}

let counter = 0;
export async function makeModerator(db: Database, role: Role = 'moderator', email = `mod${++counter}-${crypto.randomUUID().slice(0, 8)}@example.org`): Promise<Moderator> {
  const outcome = await createModerator(db, NewModerator.parse({ email, password: PASSWORD, role }), null);
  if (outcome.kind !== 'created') throw new Error(`could not create ${email}`);
  return outcome.moderator;
}

const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin' };

export function form(fields: Record<string, string>): URLSearchParams {
  return new URLSearchParams(fields);
}

/** A signed-in browser: its cookie, and the CSRF token read from the last page it loaded. */
export class Browser {
  cookie = '';
  csrf = '';
  constructor(private readonly app: Hono) {}

  async signIn(email: string, password = PASSWORD): Promise<Response> {
    const response = await this.app.request('/console/login', { method: 'POST', headers: SAME_ORIGIN, body: form({ email, password }) });
    const set = response.headers.get('Set-Cookie');
    const match = set && /(__Host-ohr_session=[^;]+)/.exec(set);
    if (match?.[1]) this.cookie = match[1];
    return response;
  }

  async get(path: string): Promise<Response> {
    const response = await this.app.request(path, { headers: { Cookie: this.cookie } });
    if (response.headers.get('Content-Type')?.startsWith('text/html')) {
      const html = await response.clone().text();
      const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
      if (token) this.csrf = token;
    }
    return response;
  }

  /** Posts a form as a console page would; `headers` and `fields` override what a real page sends. */
  async post(path: string, fields: Record<string, string> = {}, headers: Record<string, string> = SAME_ORIGIN): Promise<Response> {
    return this.app.request(path, { method: 'POST', headers: { Cookie: this.cookie, ...headers }, body: form({ csrf: this.csrf, ...fields }) });
  }
}

/** Signs in a fresh moderator of `role` and loads a page so the browser holds a CSRF token. */
export async function signedIn(app: Hono, db: Database, role: Role = 'moderator'): Promise<{ browser: Browser; moderator: Moderator }> {
  const moderator = await makeModerator(db, role);
  const browser = new Browser(app);
  const response = await browser.signIn(moderator.email);
  if (response.status !== 303) throw new Error(`sign-in failed: ${response.status}`);
  await browser.get('/console/queue');
  return { browser, moderator };
}
