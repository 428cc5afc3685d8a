/**
 * The console's accounts without a terminal (issue 18), through the real routes on a real database: the first-run
 * setup link (hashed, single use, expiring, raced by two browsers, dead once any account exists), changing one's own
 * password, the reset links an admin issues (shown once, emailed through a real SMTP server started here), and the
 * confirmation before an account is disabled.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Secret, TOTP } from 'otpauth';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModeratorCommand } from '../../../hub/console/auth/cli';
import { issueSetupLink, SETUP_LINK_HOURS } from '../../../hub/console/auth/links';
import { sha256Hex } from '../../../hub/hash';
import { createMailer } from '../../../hub/mail';
import { Browser, clock, consoleApp, form, makeModerator, PASSWORD, signedIn } from './console-helpers';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin' };
const NEW_PASSWORD = 'a different long passphrase';

let shared: TestDatabase;
beforeAll(async () => {
  shared = await openTestDatabase();
}, SETUP_TIMEOUT_MS);
afterAll(() => shared?.dispose());

async function audit(db: TestDatabase['db'], action: string): Promise<Array<{ actor_id: string | null; after: Record<string, unknown> }>> {
  return db.query('SELECT actor_id::text, after FROM audit_log WHERE action = $1 ORDER BY id', [action]);
}

describe('first run: the setup link', () => {
  // A database of its own: these tests need a hub with no account, then watch the first one appear.
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await openTestDatabase();
  }, SETUP_TIMEOUT_MS);
  afterAll(() => fresh?.dispose());

  const setupPost = (app: ReturnType<typeof consoleApp>, fields: Record<string, string>) =>
    app.request('/console/setup', { method: 'POST', headers: SAME_ORIGIN, body: form(fields) });
  const secretOf = (html: string) => /name="secret" value="([A-Z2-7]{32})"/.exec(html)?.[1] ?? '';

  it('keeps only the hash of a link, refuses an unknown, a forged-origin or an expired one, and checks the form', async () => {
    const time = clock();
    const app = consoleApp(fresh.db, time);
    const token = (await issueSetupLink(fresh.db, time.now))!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await fresh.db.query<{ token_sha256: string }>(`SELECT token_sha256 FROM account_links WHERE purpose = 'setup'`);
    expect(stored).toEqual([{ token_sha256: await sha256Hex(token) }]);
    expect(JSON.stringify(await fresh.db.query('SELECT * FROM account_links'))).not.toContain(token);

    const page = await app.request(`/console/setup?token=${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Set up the first admin account');
    expect(page.headers.get('Cache-Control')).toBe('no-store');
    expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');

    const unknown = await app.request(`/console/setup?token=${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Restart the hub');
    const forged = await app.request('/console/setup', { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' }, body: form({ token, email: 'a@example.org', password: PASSWORD, secret: secretOf(html) }) });
    expect(forged.status).toBe(403);
    const common = await setupPost(app, { token, email: 'first@example.org', password: 'Password1234', secret: secretOf(html) });
    expect(common.status).toBe(422);
    expect(await common.text()).toContain('most common');
    const badCode = await setupPost(app, { token, email: 'first@example.org', password: PASSWORD, secret: secretOf(html), code: '000000' });
    expect(await badCode.text()).toContain('That code is not right');
    expect(await fresh.db.query('SELECT 1 FROM moderators')).toHaveLength(0);

    time.advance(SETUP_LINK_HOURS * 3_600_000 + 1_000);
    const expired = await app.request(`/console/setup?token=${token}`);
    expect(expired.status).toBe(404);
    expect(await expired.text()).toContain(`more than ${SETUP_LINK_HOURS} hours old`);
  });

  it('creates exactly one first admin when two browsers race with the links of two hub starts, with two-step sign-in', async () => {
    const time = clock();
    const app = consoleApp(fresh.db, time);
    const [first, second] = [(await issueSetupLink(fresh.db, time.now))!, (await issueSetupLink(fresh.db, time.now))!];
    const html = await (await app.request(`/console/setup?token=${first}`)).text();
    const secret = secretOf(html);
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: time.now.getTime() });
    const racing = await Promise.all([
      setupPost(app, { token: first, email: 'ana@example.org', password: PASSWORD, secret, code }),
      setupPost(app, { token: second, email: 'ben@example.org', password: PASSWORD, secret, code }),
    ]);
    expect(racing.map((response) => response.status).sort()).toEqual([200, 409]);
    const accounts = await fresh.db.query<{ id: string; email: string; role: string; totp: boolean }>('SELECT id::text, email, role, totp_secret IS NOT NULL AS totp FROM moderators');
    expect(accounts).toHaveLength(1);
    expect(accounts[0]!.role).toBe('admin');
    expect(await audit(fresh.db, 'moderator.setup')).toEqual([{ actor_id: accounts[0]!.id, after: expect.objectContaining({ email: accounts[0]!.email, role: 'admin' }) }]);

    // Two-step sign-in was turned on at setup: the password alone is refused, the password and a new code let them in.
    expect(accounts[0]!.totp).toBe(true);
    time.advance(30_000);
    const nextCode = new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: time.now.getTime() });
    const withoutCode = await app.request('/console/login', { method: 'POST', headers: SAME_ORIGIN, body: form({ email: accounts[0]!.email, password: PASSWORD }) });
    expect(withoutCode.status).toBe(401);
    const signIn = await app.request('/console/login', { method: 'POST', headers: SAME_ORIGIN, body: form({ email: accounts[0]!.email, password: PASSWORD, code: nextCode }) });
    expect(signIn.status).toBe(303);
  });

  it('is dead once any account exists: every link, a new start, the same link again', async () => {
    const time = clock();
    const app = consoleApp(fresh.db, time);
    expect(await issueSetupLink(fresh.db, time.now)).toBeUndefined();
    const rows = await fresh.db.query(`SELECT 1 FROM account_links WHERE purpose = 'setup' AND used_at IS NULL`);
    expect(rows).toHaveLength(0);
    const page = await app.request(`/console/setup?token=${'B'.repeat(43)}`);
    expect(page.status).toBe(409);
    const text = await page.text();
    expect(text).toContain('This hub is already set up');
    expect(text).toContain('href="/console/login"');
  });

  it('is made by a hub start with no account, printed by the command line, and never written to the log', async () => {
    const { startHub } = await import('../../../hub/server');
    const { banner } = await import('../../../hub/cli');
    const empty = await openTestDatabase();
    const logged: string[] = [];
    const { pino } = await import('pino');
    const logger = pino({ level: 'trace' }, { write: (line: string) => void logged.push(line) });
    const hub = await startHub({ port: 0, db: empty.db, logger, config: { rateLimit: { enabled: false }, shutdownGraceMs: 0 } });
    try {
      expect(hub.consoleUrl).toBe(`${hub.url}/console`);
      expect(hub.setupUrl).toMatch(new RegExp(`^${hub.url}/console/setup\\?token=[A-Za-z0-9_-]{43}$`));
      const lines = banner(hub, 'PGlite in memory');
      expect(lines).toContain(`Triage console: ${hub.consoleUrl}`);
      expect(lines).toContain(`  ${hub.setupUrl}`);
      const page = await fetch(hub.setupUrl!);
      expect(page.status).toBe(200);
      const token = new URL(hub.setupUrl!).searchParams.get('token')!;
      // The request was logged (by route pattern, never the path with its query) and the token is nowhere in the log.
      expect(logged.some((line) => line.includes('"msg":"request"') && line.includes('"status":200'))).toBe(true);
      expect(logged.join('\n')).not.toContain(token);
      await makeModerator(empty.db, 'admin');
      expect((await fetch(hub.setupUrl!)).status).toBe(409);
    } finally {
      // The hub closes the database it was given; on PostgreSQL its schema is dropped first.
      const [where] = await empty.db.query<{ schema: string }>('SELECT current_schema() AS schema');
      if (process.env.DATABASE_URL) await empty.db.query(`DROP SCHEMA ${where!.schema} CASCADE`);
      await hub.close();
    }
  }, SETUP_TIMEOUT_MS);
});

describe('changing your own password', () => {
  it('needs the current password, follows the password rules, ends the other sessions and keeps this one', async () => {
    const app = consoleApp(shared.db);
    const { browser, moderator } = await signedIn(app, shared.db);
    const elsewhere = new Browser(app);
    expect((await elsewhere.signIn(moderator.email)).status).toBe(303);

    const wrong = await browser.post('/console/account/password', { current: 'not my password at all', password: NEW_PASSWORD });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('That password is not right');
    const weak = await browser.post('/console/account/password', { current: PASSWORD, password: 'short' });
    expect(await weak.text()).toContain('Use at least 12 characters');
    expect((await elsewhere.get('/console/queue')).status).toBe(200);

    const changed = await browser.post('/console/account/password', { current: PASSWORD, password: NEW_PASSWORD });
    expect(changed.headers.get('Location')).toBe('/console/account?done=password');
    expect(await (await browser.get('/console/account?done=password')).text()).toContain('Your password is changed');
    expect((await elsewhere.get('/console/queue')).status).toBe(303);
    expect((await new Browser(app).signIn(moderator.email, PASSWORD)).status).toBe(401);
    expect((await new Browser(app).signIn(moderator.email, NEW_PASSWORD)).status).toBe(303);
    const [entry] = (await audit(shared.db, 'password.change')).filter((row) => row.actor_id === moderator.id);
    expect(entry!.after).toEqual({ moderatorId: moderator.id, otherSessionsEnded: 1 });
    expect(JSON.stringify(entry)).not.toContain(NEW_PASSWORD);
  });
});

describe('guessing the current password through an open session', () => {
  it('is slowed as wrong sign-ins are: after five wrong tries the next must wait', async () => {
    const time = clock();
    const app = consoleApp(shared.db, time);
    const { browser, moderator } = await signedIn(app, shared.db);
    for (let i = 0; i < 5; i++) {
      expect((await browser.post('/console/account/password', { current: `wrong guess number ${i}`, password: NEW_PASSWORD })).status).toBe(422);
    }
    const slowed = await browser.post('/console/account/password', { current: PASSWORD, password: NEW_PASSWORD });
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await slowed.text()).toContain('Too many wrong tries');
    time.advance(60_000);
    expect((await browser.post('/console/account/password', { current: PASSWORD, password: NEW_PASSWORD })).headers.get('Location')).toBe('/console/account?done=password');
    expect((await new Browser(app).signIn(moderator.email, NEW_PASSWORD)).status).toBe(303);
  });
});

describe('password reset links', () => {
  it('are shown once to an admin, work once within the hour, end every session and clear the wrong-password count', async () => {
    const time = clock();
    const app = consoleApp(shared.db, time);
    const { browser: admin, moderator: self } = await signedIn(app, shared.db, 'admin');
    const target = await makeModerator(shared.db);
    const signedInTarget = new Browser(app);
    await signedInTarget.signIn(target.email);
    await new Browser(app).signIn(target.email, 'a wrong password here');

    expect((await admin.post(`/console/admin/moderators/${self.id}/reset-link`)).headers.get('Location')).toBe('/console/admin?problem=self');
    const issued = await admin.post(`/console/admin/moderators/${target.id}/reset-link`);
    expect(issued.status).toBe(200);
    const html = await issued.text();
    expect(html).toContain('no mail server is set');
    const link = /data-testid="reset-link"[^>]*>([^<]+)</.exec(html)![1]!;
    expect(link).toMatch(/^http:\/\/localhost\/console\/reset\?token=[A-Za-z0-9_-]{43}$/);
    const token = new URL(link).searchParams.get('token')!;
    expect(JSON.stringify(await shared.db.query('SELECT * FROM account_links'))).not.toContain(token);
    expect(JSON.stringify(await audit(shared.db, 'password.reset_link'))).not.toContain(token);

    // A second link replaces the first.
    const again = /data-testid="reset-link"[^>]*>([^<]+)</.exec(await (await admin.post(`/console/admin/moderators/${target.id}/reset-link`)).text())![1]!;
    expect((await app.request(new URL(link).pathname + new URL(link).search)).status).toBe(404);
    const path = new URL(again).pathname + new URL(again).search;
    const page = await app.request(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(target.email);
    const latest = new URL(again).searchParams.get('token')!;
    const weak = await app.request('/console/reset', { method: 'POST', headers: SAME_ORIGIN, body: form({ token: latest, password: 'short' }) });
    expect(weak.status).toBe(422);
    const used = await app.request('/console/reset', { method: 'POST', headers: SAME_ORIGIN, body: form({ token: latest, password: NEW_PASSWORD }) });
    expect(used.status).toBe(200);
    expect(await used.text()).toContain('Password changed');
    expect((await signedInTarget.get('/console/queue')).status).toBe(303);
    const [row] = await shared.db.query<{ failed_logins: number }>('SELECT failed_logins FROM moderators WHERE id = $1', [target.id]);
    expect(row!.failed_logins).toBe(0);
    expect((await new Browser(app).signIn(target.email, NEW_PASSWORD)).status).toBe(303);
    const reuse = await app.request('/console/reset', { method: 'POST', headers: SAME_ORIGIN, body: form({ token: latest, password: 'yet another long passphrase' }) });
    expect(reuse.status).toBe(404);
    expect(await reuse.text()).toContain('Ask an admin for a new link');
    expect((await audit(shared.db, 'password.reset')).filter((entry) => entry.actor_id === target.id)).toHaveLength(1);

    // Expired after the hour.
    const late = /data-testid="reset-link"[^>]*>([^<]+)</.exec(await (await admin.post(`/console/admin/moderators/${target.id}/reset-link`)).text())![1]!;
    time.advance(61 * 60_000);
    await admin.get('/console/admin');
    expect((await app.request(new URL(late).pathname + new URL(late).search)).status).toBe(404);
  });

  it('are emailed through the configured SMTP server with only the link, and still shown when sending fails', async () => {
    const received: Array<{ to: string[]; text: string }> = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((entry) => entry.address), text: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    server.listen(0, '127.0.0.1');
    await once(server.server, 'listening');
    const port = (server.server.address() as AddressInfo).port;
    try {
      const app = consoleApp(shared.db, clock(), { smtp: { url: `smtp://127.0.0.1:${port}`, from: 'Report hub <no-reply@example.org>' }, publicBaseUrl: 'https://hub.example.org' });
      const { browser: admin } = await signedIn(app, shared.db, 'admin');
      const target = await makeModerator(shared.db);
      const html = await (await admin.post(`/console/admin/moderators/${target.id}/reset-link`)).text();
      expect(html).toContain(`It was also emailed to ${target.email}`);
      const link = /data-testid="reset-link"[^>]*>([^<]+)</.exec(html)![1]!;
      expect(link).toMatch(/^https:\/\/hub\.example\.org\/console\/reset\?token=/);
      expect(received).toHaveLength(1);
      expect(received[0]!.to).toEqual([target.email]);
      // Quoted-printable, as nodemailer sends it: soft line breaks out, =XX escapes decoded.
      const body = received[0]!.text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      expect(body).toContain(link);
      expect(body).toContain('From: Report hub <no-reply@example.org>');
      // Nothing else about the hub or the account: no role, no other address, no organisation name.
      expect(body).not.toMatch(/moderator|admin|OHR reference hub/i);

      const broken = consoleApp(shared.db, clock(), { smtp: { url: 'smtp://127.0.0.1:1', from: 'no-reply@example.org' } });
      const { browser: other } = await signedIn(broken, shared.db, 'admin');
      const failed = await (await other.post(`/console/admin/moderators/${target.id}/reset-link`)).text();
      expect(failed).toContain('could not be sent, so pass the link on yourself');
      expect(failed).toMatch(/data-testid="reset-link"[^>]*>http:\/\/localhost\/console\/reset\?token=/);
    } finally {
      server.close();
    }
  });

  it('createMailer sends nothing without a mail server set', () => {
    expect(createMailer(undefined)).toBeUndefined();
  });
});

describe('disabling an account', () => {
  it('asks first on a page of its own, then ends every session of the account', async () => {
    const app = consoleApp(shared.db);
    const { browser: admin, moderator: self } = await signedIn(app, shared.db, 'admin');
    const { browser: user, moderator: target } = await signedIn(app, shared.db);
    const list = await (await admin.get('/console/admin')).text();
    expect(list).toContain(`href="/console/admin/moderators/${target.id}/disable"`);

    const unconfirmed = await admin.post(`/console/admin/moderators/${target.id}`, { change: 'disable' });
    expect(unconfirmed.headers.get('Location')).toBe(`/console/admin/moderators/${target.id}/disable`);
    expect((await user.get('/console/queue')).status).toBe(200);
    const confirm = await admin.get(`/console/admin/moderators/${target.id}/disable`);
    const page = await confirm.text();
    expect(page).toContain(`Disable ${target.email}?`);
    expect(page).toContain('name="confirm" value="yes"');
    expect((await admin.get(`/console/admin/moderators/${self.id}/disable`)).headers.get('Location')).toBe('/console/admin?problem=self');

    const done = await admin.post(`/console/admin/moderators/${target.id}`, { change: 'disable', confirm: 'yes' });
    expect(done.headers.get('Location')).toBe('/console/admin?done=disabled_done');
    expect(await shared.db.query('SELECT 1 FROM sessions WHERE moderator_id = $1', [target.id])).toHaveLength(0);
    expect((await user.get('/console/queue')).status).toBe(303);
    expect((await admin.post(`/console/admin/moderators/${target.id}/reset-link`)).headers.get('Location')).toBe('/console/admin?problem=disabled');
  });

  it('cannot leave the hub without an admin: two admins demoting each other at once, one is refused', async () => {
    const app = consoleApp(shared.db);
    const { browser: a, moderator: adminA } = await signedIn(app, shared.db, 'admin');
    const { browser: b, moderator: adminB } = await signedIn(app, shared.db, 'admin');
    const [first, second] = await Promise.all([
      a.post(`/console/admin/moderators/${adminB.id}`, { change: 'role', role: 'moderator' }),
      b.post(`/console/admin/moderators/${adminA.id}`, { change: 'role', role: 'moderator' }),
    ]);
    // The later one is refused either by the admin check of its request or, when both got past it, by the row lock.
    const outcomes = [first, second].map((response) => response.headers.get('Location') ?? String(response.status));
    expect(outcomes.filter((outcome) => outcome === '/console/admin?done=changed')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === '/console/admin?problem=not_admin' || outcome === '403')).toHaveLength(1);
    const roles = await shared.db.query<{ role: string }>('SELECT role FROM moderators WHERE id IN ($1, $2)', [adminA.id, adminB.id]);
    expect(roles.map((row) => row.role).sort()).toEqual(['admin', 'moderator']);
  });
});

describe('create-moderator help', () => {
  it('points to the setup link in the browser', async () => {
    const lines: string[] = [];
    expect(await createModeratorCommand(['--help'], {}, { log: (line) => lines.push(line), error: (line) => lines.push(line) })).toBe(0);
    expect(lines.join('\n')).toContain('/console/setup');
  });
});
