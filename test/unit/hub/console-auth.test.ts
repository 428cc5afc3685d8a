/**
 * Console accounts, sessions and CSRF through the real routes (`app.request`) on a real database, with the console's
 * clock moved by the test: sign-in and its one generic refusal, lockout and unlock, rate limiting, idle and absolute
 * timeouts, sign-out, CSRF refusals, the admin-only pages, and the headers every console page carries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModeratorCommand } from '../../../hub/console/auth/cli';
import { main } from '../../../hub/cli';
import { ConfigError, configFromEnv, DEFAULT_CONFIG } from '../../../hub/config';
import { sessionTimeouts } from '../../../hub/console/auth/sessions';
import { Secret, TOTP } from 'otpauth';
import { sha256Hex } from '../../../hub/hash';
import { Browser, clock, consoleApp, makeModerator, PASSWORD, signedIn } from './console-helpers';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await openTestDatabase();
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

const db = () => testDb.db;
const WRONG = 'The email or password is wrong.';
const LOCKOUT = { maxFailures: DEFAULT_CONFIG.console.lockoutAttempts, minutes: DEFAULT_CONFIG.console.lockoutMinutes };
const SESSION_TIMEOUTS = sessionTimeouts(DEFAULT_CONFIG.console);

async function auditActions(moderatorId: string): Promise<string[]> {
  const rows = await db().query<{ action: string }>(
    `SELECT action FROM audit_log WHERE actor_id = $1 OR after->>'moderatorId' = $1::text ORDER BY id`,
    [moderatorId],
  );
  return rows.map((row) => row.action);
}

describe('signing in', () => {
  it('sets a __Host- session cookie (Secure, HttpOnly, SameSite=Strict, Path=/) and keeps only its SHA-256', async () => {
    const app = consoleApp(db());
    const moderator = await makeModerator(db());
    const browser = new Browser(app);
    const response = await browser.signIn(moderator.email.toUpperCase());
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/console/queue');
    const cookie = response.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/^__Host-ohr_session=[A-Za-z0-9_-]{22};/);
    for (const attribute of ['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']) expect(cookie).toContain(attribute);
    expect(cookie).not.toContain('Domain');
    const token = /^__Host-ohr_session=([^;]+)/.exec(cookie)![1]!;
    const stored = await db().query<{ token_sha256: string }>('SELECT token_sha256 FROM sessions WHERE moderator_id = $1', [moderator.id]);
    expect(stored).toEqual([{ token_sha256: await sha256Hex(token) }]);
    expect(JSON.stringify(await db().query('SELECT * FROM sessions'))).not.toContain(token);
    expect((await browser.get('/console/queue')).status).toBe(200);
  });

  it('gives one generic answer for a wrong password and an unknown email, and sets no cookie', async () => {
    const app = consoleApp(db());
    const moderator = await makeModerator(db());
    for (const [email, password] of [
      [moderator.email, 'not the password at all'],
      ['nobody@example.org', PASSWORD],
      ['not an email', PASSWORD],
    ] as const) {
      const response = await new Browser(app).signIn(email, password);
      expect(response.status).toBe(401);
      expect(response.headers.get('Set-Cookie')).toBeNull();
      expect(await response.text()).toContain(WRONG);
    }
  });

  it(`slows, never locks: after ${LOCKOUT.maxFailures} wrong passwords the same connection waits, the owner elsewhere does not`, async () => {
    const time = clock();
    const app = consoleApp(db(), time);
    const moderator = await makeModerator(db());
    for (let i = 0; i < LOCKOUT.maxFailures; i++) expect((await new Browser(app).signIn(moderator.email, 'wrong password here')).status).toBe(401);
    // In-process every request comes from one unknown address: that "connection" is slowed, right password or not.
    const slowed = await new Browser(app).signIn(moderator.email);
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('Retry-After'))).toBe(30);
    time.advance(30_000);
    expect((await new Browser(app).signIn(moderator.email)).status).toBe(303);
    expect(await auditActions(moderator.id)).toEqual(['lockout', 'login']);
  });

  it('an admin can unlock an account locked under the earlier rules at once', async () => {
    const app = consoleApp(db());
    const moderator = await makeModerator(db());
    await db().query(`UPDATE moderators SET locked_until = now() + interval '1 hour' WHERE id = $1`, [moderator.id]);
    expect((await new Browser(app).signIn(moderator.email)).status).toBe(401);
    const { browser: admin } = await signedIn(app, db(), 'admin');
    const page = await (await admin.get('/console/admin')).text();
    expect(page).toContain(`Unlock ${moderator.email}`);
    const unlock = await admin.post(`/console/admin/moderators/${moderator.id}`, { change: 'unlock' });
    expect(unlock.headers.get('Location')).toBe('/console/admin?done=changed');
    expect((await new Browser(app).signIn(moderator.email)).status).toBe(303);
  });

  it('limits sign-in attempts per client with 429 and Retry-After', async () => {
    const app = consoleApp(db());
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 12; i++) {
      last = await new Browser(app).signIn(`nobody${i}@example.org`, 'wrong password here');
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(Number(last!.headers.get('Retry-After'))).toBeGreaterThan(0);
  });

  it('goes back to the page asked for, but never to another site', async () => {
    const app = consoleApp(db());
    const moderator = await makeModerator(db());
    const redirect = await app.request('/console/reports/OHR-AAAA-BBBB');
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('Location')).toBe('/console/login?next=%2Fconsole%2Freports%2FOHR-AAAA-BBBB');
    for (const [next, expected] of [
      ['/console/reports/OHR-AAAA-BBBB', '/console/reports/OHR-AAAA-BBBB'],
      ['//evil.example/console/', '/console/queue'],
      ['https://evil.example/', '/console/queue'],
      ['/console/\\evil', '/console/queue'],
    ]) {
      const response = await app.request('/console/login', {
        method: 'POST',
        headers: { 'Sec-Fetch-Site': 'same-origin' },
        body: new URLSearchParams({ email: moderator.email, password: PASSWORD, next: next! }),
      });
      expect(response.headers.get('Location')).toBe(expected);
    }
  });
});

describe('sessions', () => {
  it(`end after ${SESSION_TIMEOUTS.idleMs / 60_000} idle minutes`, async () => {
    const time = clock();
    const app = consoleApp(db(), time);
    const { browser, moderator } = await signedIn(app, db());
    time.advance(SESSION_TIMEOUTS.idleMs - 60_000);
    expect((await browser.get('/console/queue')).status).toBe(200);
    time.advance(SESSION_TIMEOUTS.idleMs + 1_000);
    const expired = await browser.get('/console/queue');
    expect(expired.status).toBe(303);
    expect(expired.headers.get('Location')).toMatch(/^\/console\/login\?next=/);
    expect(await db().query('SELECT 1 FROM sessions WHERE moderator_id = $1', [moderator.id])).toHaveLength(0);
  });

  it(`end ${SESSION_TIMEOUTS.absoluteMs / 3_600_000} hours after sign-in however active`, async () => {
    const time = clock();
    const app = consoleApp(db(), time);
    const { browser } = await signedIn(app, db());
    const step = SESSION_TIMEOUTS.idleMs / 2;
    for (let elapsed = step; elapsed < SESSION_TIMEOUTS.absoluteMs; elapsed += step) {
      time.advance(step);
      expect((await browser.get('/console/queue')).status).toBe(200);
    }
    time.advance(step);
    expect((await browser.get('/console/queue')).status).toBe(303);
  });

  it('a form posted after the session ended changes nothing and says so', async () => {
    const time = clock();
    const app = consoleApp(db(), time);
    const { browser } = await signedIn(app, db());
    time.advance(SESSION_TIMEOUTS.idleMs + 1_000);
    const response = await browser.post('/console/reports/OHR-AAAA-BBBB/notes', { body: 'late' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('Your session has ended');
  });

  it('sign-out deletes the session', async () => {
    const app = consoleApp(db());
    const { browser, moderator } = await signedIn(app, db());
    const out = await browser.post('/console/logout');
    expect(out.status).toBe(303);
    expect(out.headers.get('Set-Cookie')).toMatch(/__Host-ohr_session=;.*Max-Age=0/);
    expect(await db().query('SELECT 1 FROM sessions WHERE moderator_id = $1', [moderator.id])).toHaveLength(0);
    expect((await browser.get('/console/queue')).status).toBe(303);
  });
});

describe('configured sign-in rules', () => {
  it('honours console.lockoutAttempts, lockoutMinutes and idleMinutes, from the environment too', async () => {
    const config = configFromEnv({ OHR_CONSOLE_LOCKOUT_ATTEMPTS: '2', OHR_CONSOLE_LOCKOUT_MINUTES: '1', OHR_CONSOLE_IDLE_MINUTES: '5' });
    expect(config).toEqual({ console: { lockoutAttempts: 2, lockoutMinutes: 1, idleMinutes: 5 } });
    const time = clock();
    const app = consoleApp(db(), time, config);
    const moderator = await makeModerator(db());
    for (let i = 0; i < 2; i++) await new Browser(app).signIn(moderator.email, 'wrong password here');
    const wrong = await new Browser(app).signIn(moderator.email, 'wrong password here');
    expect(wrong.status).toBe(429);
    time.advance(30_000);
    expect(await (await new Browser(app).signIn(moderator.email, 'wrong password here')).text()).toContain('After 2 wrong tries in a row from one connection, each further try from there has to wait longer, up to 1 minutes');
    expect((await new Browser(app).signIn(moderator.email)).status).toBe(429); // 60 s now, capped at lockoutMinutes
    time.advance(61_000);
    const browser = new Browser(app);
    expect((await browser.signIn(moderator.email)).status).toBe(303);
    time.advance(5 * 60_000 + 1_000);
    expect((await browser.get('/console/queue')).status).toBe(303);
    expect(() => configFromEnv({ OHR_CONSOLE_IDLE_MINUTES: 'soon' })).toThrow(ConfigError);
  });
});

describe('CSRF', () => {
  it('refuses a state change without the token, with a wrong one, or from another site; accepts a matching Origin', async () => {
    const app = consoleApp(db());
    const { browser, moderator } = await signedIn(app, db(), 'admin');
    const other = await makeModerator(db());
    const target = `/console/admin/moderators/${other.id}`;
    const refused = [
      await browser.post(target, { change: 'disable', confirm: 'yes', csrf: '' }),
      await browser.post(target, { change: 'disable', confirm: 'yes', csrf: browser.csrf.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }),
      await browser.post(target, { change: 'disable', confirm: 'yes' }, { 'Sec-Fetch-Site': 'cross-site' }),
      await browser.post(target, { change: 'disable', confirm: 'yes' }, { 'Sec-Fetch-Site': 'same-site' }),
      await browser.post(target, { change: 'disable', confirm: 'yes' }, {}),
      await browser.post(target, { change: 'disable', confirm: 'yes' }, { Origin: 'https://evil.example' }),
    ];
    for (const response of refused) {
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('nothing was changed');
    }
    expect(await db().query('SELECT 1 FROM moderators WHERE id = $1 AND disabled_at IS NULL', [other.id])).toHaveLength(1);
    const sameOrigin = await browser.post(target, { change: 'disable', confirm: 'yes' }, { Origin: 'http://localhost' });
    expect(sameOrigin.status).toBe(303);
    expect(await auditActions(moderator.id)).toContain('moderator.disable');
  });

  it('answers a body that is not a readable form in words, never with a 500', async () => {
    const app = consoleApp(db());
    const { browser } = await signedIn(app, db(), 'admin');
    const broken = { 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'multipart/form-data; boundary=xx' };
    const login = await app.request('/console/login', { method: 'POST', headers: broken, body: '--xx\r\nbroken' });
    expect(login.status).toBe(401);
    const json = await app.request('/console/login', { method: 'POST', headers: { 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json' }, body: '{"email":' });
    expect(json.status).toBe(401);
    const change = await app.request('/console/admin/moderators', { method: 'POST', headers: { ...broken, Cookie: browser.cookie }, body: '--xx\r\nbroken' });
    expect(change.status).toBe(403);
    const large = await app.request('/console/login', { method: 'POST', headers: { 'Sec-Fetch-Site': 'same-origin' }, body: 'x'.repeat(100_000) });
    expect(large.status).toBe(413);
  });

  it('refuses a sign-in posted from another site', async () => {
    const app = consoleApp(db());
    const moderator = await makeModerator(db());
    const response = await app.request('/console/login', {
      method: 'POST',
      headers: { 'Sec-Fetch-Site': 'cross-site' },
      body: new URLSearchParams({ email: moderator.email, password: PASSWORD }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('Set-Cookie')).toBeNull();
  });
});

describe('admin pages', () => {
  it('are 403 for a moderator, read or write', async () => {
    const app = consoleApp(db());
    const { browser } = await signedIn(app, db());
    expect((await browser.get('/console/admin')).status).toBe(403);
    const created = await browser.post('/console/admin/moderators', { email: 'sneaky@example.org', password: PASSWORD });
    expect(created.status).toBe(403);
    expect(await db().query("SELECT 1 FROM moderators WHERE email = 'sneaky@example.org'")).toHaveLength(0);
    expect(await (await browser.get('/console/queue')).text()).not.toContain('href="/console/admin"');
  });

  it('let an admin add accounts (checked), change a role and disable an account, which ends its sessions', async () => {
    const app = consoleApp(db());
    const { browser: admin, moderator: self } = await signedIn(app, db(), 'admin');
    const email = `new-${crypto.randomUUID().slice(0, 8)}@example.org`;
    const short = await admin.post('/console/admin/moderators', { email, password: 'short', role: 'moderator' });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain('Use at least 12 characters');
    const common = await admin.post('/console/admin/moderators', { email, password: 'Password1234', role: 'moderator' });
    expect(await common.text()).toContain('most common');
    const created = await admin.post('/console/admin/moderators', { email: email.toUpperCase(), password: PASSWORD, role: 'moderator' });
    expect(created.headers.get('Location')).toBe('/console/admin?done=created');
    expect((await admin.post('/console/admin/moderators', { email, password: PASSWORD, role: 'admin' })).status).toBe(409);

    const [account] = await db().query<{ id: string; password_hash: string }>('SELECT id::text, password_hash FROM moderators WHERE email = $1', [email]);
    expect(account!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const user = new Browser(app);
    expect((await user.signIn(email)).status).toBe(303);
    expect((await user.get('/console/queue')).status).toBe(200);

    await admin.post(`/console/admin/moderators/${account!.id}`, { change: 'role', role: 'admin' });
    expect((await user.get('/console/admin')).status).toBe(200);
    await admin.post(`/console/admin/moderators/${account!.id}`, { change: 'disable', confirm: 'yes' });
    expect((await user.get('/console/queue')).status).toBe(303);
    expect((await new Browser(app).signIn(email)).status).toBe(401);

    const self403 = await admin.post(`/console/admin/moderators/${self.id}`, { change: 'disable', confirm: 'yes' });
    expect(self403.headers.get('Location')).toBe('/console/admin?problem=self');
    const trail = await db().query<{ action: string; actor_id: string }>(`SELECT action, actor_id::text FROM audit_log WHERE after->>'moderatorId' = $1 OR after->>'id' = $1 ORDER BY id`, [account!.id]);
    expect(trail).toEqual([
      { action: 'moderator.create', actor_id: self.id },
      { action: 'moderator.role', actor_id: self.id },
      { action: 'moderator.disable', actor_id: self.id },
    ]);
  });
});

describe('headers', () => {
  it('console pages carry the console CSP (no script at all); the API keeps its own', async () => {
    const app = consoleApp(db());
    const page = await app.request('/console/login');
    expect(page.headers.get('Content-Security-Policy')).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(page.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(page.headers.get('X-Frame-Options')).toBe('DENY');
    expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(page.headers.get('Cache-Control')).toBe('no-store');
    expect(page.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const css = await app.request('/console/console.css');
    expect(css.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    const api = await app.request('/healthz');
    expect(api.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('/console goes to the queue; an unknown console address is an HTML 404 for the signed-in', async () => {
    const app = consoleApp(db());
    expect((await app.request('/console')).headers.get('Location')).toBe('/console/queue');
    const { browser } = await signedIn(app, db());
    const missing = await browser.get('/console/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('Content-Type')).toMatch(/^text\/html/);
  });
});

describe('npm run hub -- create-moderator', () => {
  const io = () => {
    const lines = { log: [] as string[], error: [] as string[] };
    return { lines, io: { log: (line: string) => void lines.log.push(line), error: (line: string) => void lines.error.push(line) } };
  };

  it('creates an account with the password from the prompt or OHR_MODERATOR_PASSWORD, once', async () => {
    const email = `cli-${crypto.randomUUID().slice(0, 8)}@example.org`;
    const first = io();
    expect(await createModeratorCommand([email.toUpperCase(), '--admin'], {}, first.io, { db: db(), readPassword: async () => PASSWORD })).toBe(0);
    expect(first.lines.log).toEqual([`Created admin account ${email}. They can sign in at /console/login.`]);
    const again = io();
    expect(await createModeratorCommand([email], { OHR_MODERATOR_PASSWORD: PASSWORD }, again.io, { db: db() })).toBe(1);
    expect(again.lines.error[0]).toContain('already an account');
    expect((await new Browser(consoleApp(db())).signIn(email)).status).toBe(303);
  });

  it('refuses a weak password or a bad email in words, and changes nothing', async () => {
    const out = io();
    expect(await createModeratorCommand(['not-an-email'], { OHR_MODERATOR_PASSWORD: 'short' }, out.io, { db: db() })).toBe(2);
    expect(out.lines.error).toEqual(['email: Enter an email address such as name@example.org', 'password: Use at least 12 characters']);
    expect(await db().query("SELECT 1 FROM moderators WHERE email = 'not-an-email'")).toHaveLength(0);
  });

  it('is reached through the hub command and shows its usage', async () => {
    const out = io();
    expect(await main(['create-moderator'], {}, out.io)).toEqual({ exitCode: 2 });
    expect(out.lines.error[0]).toContain('Usage: npm run hub -- create-moderator <email>');
  });
});

describe('two-step sign-in (TOTP)', () => {
  const codeAt = (secret: string, at: Date) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });

  it('is set up with a code from the app, then asked for at every sign-in; each code works once', async () => {
    const time = clock();
    const app = consoleApp(db(), time);
    const { browser, moderator } = await signedIn(app, db());
    const page = await (await browser.get('/console/account')).text();
    expect(page).toContain('Two-step sign-in is off');
    expect(page).toMatch(/<svg class="qr"[^>]*role="img"/);
    const secret = /data-testid="totp-secret">([A-Z2-7]{32})</.exec(page)![1]!;

    const wrong = await browser.post('/console/account/totp', { secret, code: '000000' === codeAt(secret, time.now) ? '111111' : '000000', password: PASSWORD });
    expect(wrong.headers.get('Location')).toBe('/console/account?problem=wrong_code');
    const on = await browser.post('/console/account/totp', { secret, code: codeAt(secret, time.now), password: PASSWORD });
    expect(on.headers.get('Location')).toBe('/console/account?done=on');
    expect(await (await browser.get('/console/account')).text()).toContain('Two-step sign-in is on');

    const signIn = (code: string) =>
      app.request('/console/login', { method: 'POST', headers: { 'Sec-Fetch-Site': 'same-origin' }, body: new URLSearchParams({ email: moderator.email, password: PASSWORD, code }) });
    // The code used to turn it on is spent; without a code, or with a wrong one, the same generic refusal.
    expect((await signIn(codeAt(secret, time.now))).status).toBe(401);
    expect((await signIn('')).status).toBe(401);
    time.advance(30_000);
    const code = codeAt(secret, time.now);
    expect((await signIn(code)).status).toBe(303);
    expect((await signIn(code)).status).toBe(401);
    time.advance(30_000);
    expect((await signIn(codeAt(secret, new Date(time.now.getTime() - 30_000 * 3)))).status).toBe(401);
    expect(await auditActions(moderator.id)).toEqual(['login', 'totp.enable', 'login']);
  });

  it('is turned off with a current code, or reset by an admin when the phone is lost', async () => {
    const time = clock();
    const app = consoleApp(db(), time);
    const { browser, moderator } = await signedIn(app, db());
    const secret = /data-testid="totp-secret">([A-Z2-7]{32})</.exec(await (await browser.get('/console/account')).text())![1]!;
    await browser.post('/console/account/totp', { secret, code: codeAt(secret, time.now), password: PASSWORD });
    await browser.get('/console/account');
    expect((await browser.post('/console/account/totp/off', { code: codeAt(secret, time.now) })).headers.get('Location')).toContain('problem=wrong_code');
    time.advance(30_000);
    expect((await browser.post('/console/account/totp/off', { code: codeAt(secret, time.now) })).headers.get('Location')).toBe('/console/account?done=off');

    const again = /data-testid="totp-secret">([A-Z2-7]{32})</.exec(await (await browser.get('/console/account')).text())![1]!;
    await browser.post('/console/account/totp', { secret: again, code: codeAt(again, time.now), password: PASSWORD });
    const { browser: admin } = await signedIn(app, db(), 'admin');
    expect(await (await admin.get('/console/admin')).text()).toContain(`Reset two-step sign-in of ${moderator.email}`);
    await admin.post(`/console/admin/moderators/${moderator.id}`, { change: 'resetTotp' });
    expect((await new Browser(app).signIn(moderator.email)).status).toBe(303);
    expect(await auditActions(moderator.id)).toEqual(['login', 'totp.enable', 'totp.disable', 'totp.enable', 'moderator.totp_reset', 'login']);
  });
});
