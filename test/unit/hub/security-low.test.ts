/**
 * Issue 17's low findings, each reproduced as the attack it was and now refused (docs/security.md lists them against
 * OWASP ASVS 5.0): receipts and status answers kept out of caches, a CR/LF `next` after sign-in, IPv6 clients keyed by
 * their network, discovery and the demo page never built from the request's Host, the decoded-pixel cap, the password
 * deny-list, the extension origins, TOTP codes spent once under concurrency, the cost of an unknown account, throttling
 * rather than locking, and the second factor's protection.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Hono } from 'hono';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Moderator } from '../../../hub/console/auth/accounts';
import { loadTotpKey, openSecret, sealStoredSecrets } from '../../../hub/console/auth/totp-key';
import { sha256Hex } from '../../../lib/hash';
import { Discovery, Receipt } from '../../../lib/schema';
import { startHub } from '../../../hub/server';
import { createApp } from '../../../hub/app';
import type { Database, Queryable } from '../../../hub/db';
import { NewPassword } from '../../../hub/console/auth/password';
import { RateLimiter } from '../../../hub/ratelimit';
import { sampleReport } from '../../fixtures/report';
import { bearer, createTestApp, describing, openTestDatabase, pngBytes, postReport, putEvidence, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';
import { Browser, clock, consoleApp, makeModerator, PASSWORD, signedIn, type Clock } from './console-helpers';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await openTestDatabase();
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());
const db = () => testDb.db;

const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin' };

describe('13: receipts and status answers are never cached', () => {
  it('answers the receipt, its replay, the status, a refusal and the withdrawal with Cache-Control: no-store', async () => {
    const app = createTestApp({ db: db() });
    const { sha256, bytes } = await uploadPng(app);
    const report = describing(sampleReport(), sha256, bytes);
    const first = await postReport(app, report, report.id);
    expect(first.status).toBe(201);
    expect(first.headers.get('Cache-Control')).toBe('no-store');
    const receipt = Receipt.parse(await first.json());
    const replay = await postReport(app, report, report.id);
    expect(replay.headers.get('Cache-Control')).toBe('no-store');
    const statusUrl = `/api/v1/reports/${receipt.reference}/status`;
    const status = await app.request(statusUrl, { headers: bearer(receipt.statusToken) });
    expect(status.status).toBe(200);
    expect(status.headers.get('Cache-Control')).toBe('no-store');
    const wrong = await app.request(statusUrl, { headers: bearer('x'.repeat(43)) });
    expect(wrong.status).toBe(404);
    expect(wrong.headers.get('Cache-Control')).toBe('no-store');
    const withdrawn = await app.request(statusUrl, { method: 'DELETE', headers: bearer(receipt.statusToken) });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.headers.get('Cache-Control')).toBe('no-store');
  });
});

describe('11: the sign-in `next` field', () => {
  it('takes only a console path: CR/LF, another site or a non-path never reach the Location header (no 500)', async () => {
    const app = consoleApp(db(), clock());
    const moderator = await makeModerator(db());
    for (const next of ['/console/queue\r\nSet-Cookie: evil=1', '/console/\nx', '/console/reports/\u0000', '/console/\u00e9t\u00e9', '/console/../../etc']) {
      const response = await app.request('/console/login', {
        method: 'POST',
        headers: SAME_ORIGIN,
        body: new URLSearchParams({ email: moderator.email, password: PASSWORD, next }),
      });
      expect(response.status, JSON.stringify(next)).toBe(303);
      expect(response.headers.get('Location')).toBe('/console/queue');
      expect(response.headers.get('Set-Cookie')).not.toContain('evil');
    }
    // A good one still goes back to where the moderator was, query string included.
    const back = await app.request('/console/login', {
      method: 'POST',
      headers: SAME_ORIGIN,
      body: new URLSearchParams({ email: moderator.email, password: PASSWORD, next: '/console/queue?status=received&q=a%20b' }),
    });
    expect(back.headers.get('Location')).toBe('/console/queue?status=received&q=a%20b');
  });
});

describe('10: IPv6 clients are keyed by their network', () => {
  it('puts every address of one /64 in one bucket (200 of 200 passed before), and other /64s in their own', async () => {
    const app = createTestApp({ db: db(), config: { rateLimit: { enabled: true, burst: 5, perSecond: 0.01, clientIpHeader: 'x-forwarded-for' } } });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const address = `2001:db8:1:2:${((i * 7919) % 65_536).toString(16)}:${i.toString(16)}:ab:${(i + 1).toString(16)}`;
      statuses.push((await app.request('/.well-known/ohr', { headers: { 'X-Forwarded-For': address } })).status);
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    // Written differently, the same network: compressed, upper case, with a zone, in brackets.
    expect((await app.request('/.well-known/ohr', { headers: { 'X-Forwarded-For': '2001:DB8:1:2::1' } })).status).toBe(429);
    expect((await app.request('/.well-known/ohr', { headers: { 'X-Forwarded-For': '2001:db8:1:3::1' } })).status).toBe(200);
    // IPv4 is still one bucket per address, written plainly or mapped into IPv6.
    expect((await app.request('/.well-known/ohr', { headers: { 'X-Forwarded-For': '203.0.113.7' } })).status).toBe(200);
  });

  it('keys by the configured prefix, and maps ::ffff:a.b.c.d to its IPv4 address', () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 0.001, saltRotationSeconds: 3_600, maxClients: 100, ipv6PrefixLength: 48 }, () => 0);
    expect(limiter.take('2001:db8:1:2::1').allowed).toBe(true);
    expect(limiter.take('2001:db8:1:ffff::9').allowed).toBe(false); // same /48
    expect(limiter.take('2001:db8:2::1').allowed).toBe(true);
    expect(limiter.take('203.0.113.7').allowed).toBe(true);
    expect(limiter.take('::ffff:203.0.113.7').allowed).toBe(false);
    expect(limiter.take('[2001:db8:1::5%eth0]').allowed).toBe(false);
  });

  it('applies to the console sign-in limit too', async () => {
    const app = consoleApp(db(), clock(), { rateLimit: { enabled: false, clientIpHeader: 'x-forwarded-for' } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await app.request('/console/login', {
        method: 'POST',
        headers: { ...SAME_ORIGIN, 'X-Forwarded-For': `2001:db8:aa:bb::${(i + 1).toString(16)}` },
        body: new URLSearchParams({ email: `nobody${i}@example.org`, password: 'wrong password here' }),
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

describe('12: decoded pixels, common passwords, extension origins', () => {
  it('refuses by default a 38 KB PNG that claims 40 megapixels (160 MB decoded when a moderator presses Show)', async () => {
    const app = createTestApp({ db: db() });
    const bomb = pngBytes(38_000, 8_000, 5_000);
    const response = await putEvidence(app, bomb, await sha256Hex(bomb));
    expect(response.status).toBe(413);
    const fits = pngBytes(38_000, 5_000, 5_000);
    expect((await putEvidence(app, fits, await sha256Hex(fits))).status).toBe(201);
  });

  it('refuses the common passwords of 12 characters or more from a real leaked-password list', () => {
    for (const common of ['qazwsxedcrfv', 'leavemealone', 'LeaveMeAlone', 'sonyericsson', 'qwertyqwerty', 'finalfantasy', 'password1234']) {
      expect(NewPassword.safeParse(common).success, common).toBe(false);
    }
    expect(NewPassword.safeParse('a long enough passphrase').success).toBe(true);
    const listed = readFileSync(new URL('../../../hub/console/auth/common-passwords.txt', import.meta.url), 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));
    expect(listed.length).toBeGreaterThanOrEqual(3_000); // ASVS 5.0 6.2.4: at least the top 3,000 that fit the policy
    expect(listed.every((line) => line.length >= 12 && line === line.toLowerCase())).toBe(true);
  });

  it('allows only real extension ids as CORS origins', async () => {
    const app = createTestApp({ db: db() });
    const allowed = async (origin: string) => (await app.request('/.well-known/ohr', { headers: { Origin: origin } })).headers.get('Access-Control-Allow-Origin');
    for (const good of ['chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', 'safari-web-extension://0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0']) {
      expect(await allowed(good), good).toBe(good);
    }
    for (const bad of ['moz-extension://a.evil.example', 'chrome-extension://evil.example', 'chrome-extension://abcdefghijklmnopabcdefghijklmnoz', 'safari-web-extension://x', 'moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.evil.example']) {
      expect(await allowed(bad), bad).toBeNull();
    }
  });
});

const codeAt = (secret: string, at: Date) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });

/** Turns on the second factor for a freshly signed-in moderator; the clock moves past the code used for it. */
async function withTotp(app: Hono, time: Clock): Promise<{ browser: Browser; moderator: Moderator; secret: string }> {
  const { browser, moderator } = await signedIn(app, db());
  const secret = /data-testid="totp-secret">([A-Z2-7]{32})</.exec(await (await browser.get('/console/account')).text())![1]!;
  const on = await browser.post('/console/account/totp', { secret, code: codeAt(secret, time.now), password: PASSWORD });
  expect(on.headers.get('Location')).toBe('/console/account?done=on');
  time.advance(30_000);
  return { browser, moderator, secret };
}

async function signInWith(app: Hono, email: string, password: string, code = ''): Promise<Response> {
  return await app.request('/console/login', { method: 'POST', headers: SAME_ORIGIN, body: new URLSearchParams({ email, password, code }) });
}

describe('5: a TOTP code works once, however many sign-ins race with it', () => {
  it('lets exactly one of eight concurrent sign-ins with the same code in', async () => {
    const time = clock();
    const app = consoleApp(db(), time);
    const { moderator, secret } = await withTotp(app, time);
    const code = codeAt(secret, time.now);
    const answers = await Promise.all(Array.from({ length: 8 }, () => signInWith(app, moderator.email, PASSWORD, code)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([303, 401, 401, 401, 401, 401, 401, 401]);
    const [{ sessions }] = (await db().query<{ sessions: number }>('SELECT count(*)::int AS sessions FROM sessions WHERE moderator_id = $1', [moderator.id])) as [{ sessions: number }];
    expect(sessions).toBe(2); // the one from setting it up, and the one that won
  });
});

/** A GET over real HTTP with the Host header an attacker chooses. */
function getWithHost(url: string, host: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { Host: host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('9: the Host header never names the hub unless the operator trusts it', () => {
  it('builds discovery and the demo page from the listening address, whatever Host says', async () => {
    const hub = await startHub({ port: 0, dataDir: 'memory://', config: { logLevel: 'silent', rateLimit: { enabled: false }, shutdownGraceMs: 0 } });
    try {
      for (const path of ['/.well-known/ohr', '/', '/report']) {
        const answer = await getWithHost(`${hub.url}${path}`, 'evil.example');
        expect(answer.status, path).toBe(200);
        expect(answer.body, path).not.toContain('evil.example');
      }
      const discovery = Discovery.parse(JSON.parse((await getWithHost(`${hub.url}/.well-known/ohr`, 'evil.example')).body));
      expect(discovery.submitUrl).toBe(`${hub.url}/api/v1/reports`);
    } finally {
      await hub.close();
    }
  }, SETUP_TIMEOUT_MS);

  it('uses the request origin only with trustHostHeader, and then lets no cache keep the answer', async () => {
    const plain = createTestApp({ db: db() });
    const untrusted = await plain.request('http://evil.example/.well-known/ohr');
    expect(JSON.stringify(await untrusted.json())).not.toContain('evil.example');
    expect(await (await plain.request('http://evil.example/')).text()).not.toContain('evil.example');

    const trusting = createTestApp({ db: db(), config: { trustHostHeader: true } });
    const trusted = await trusting.request('http://hub.test:8080/.well-known/ohr');
    expect(Discovery.parse(await trusted.json()).submitUrl).toBe('http://hub.test:8080/api/v1/reports');
    expect(trusted.headers.get('Cache-Control')).toBe('no-store');
    const page = await trusting.request('http://hub.test:8080/');
    expect(page.headers.get('Cache-Control')).toBe('no-store');

    const configured = createTestApp({ db: db(), config: { publicBaseUrl: 'https://report.example.org', trustHostHeader: true } });
    const pinned = await configured.request('http://evil.example/.well-known/ohr');
    expect(Discovery.parse(await pinned.json()).submitUrl).toBe('https://report.example.org/api/v1/reports');
    expect(pinned.headers.get('Cache-Control')).toBe('public, max-age=300');
  });
});

/** The database as the console sees it, with every statement's first words written down in order. */
function recording(database: Database, log: string[]): Database {
  const shape = (sql: string) => sql.trim().split(/\s+/).slice(0, 3).join(' ');
  const wrap = (target: Queryable): Queryable => ({
    query: (sql, params) => {
      log.push(shape(sql));
      return target.query(sql, params);
    },
  }) as Queryable;
  return Object.assign(Object.create(database) as Database, {
    ...wrap(database),
    transaction: <T,>(fn: (tx: Queryable) => Promise<T>) => {
      log.push('BEGIN');
      return database.transaction((tx) => fn(wrap(tx))).finally(() => log.push('END'));
    },
  });
}

describe('8: an unknown email costs what a known one does', () => {
  it('verifies a password and runs the same statements and transaction for an unknown, a disabled and a known account', async () => {
    const moderator = await makeModerator(db());
    const disabled = await makeModerator(db());
    await db().query('UPDATE moderators SET disabled_at = now() WHERE id = $1', [disabled.id]);
    const work = async (email: string) => {
      const log: string[] = [];
      const app = createApp({ db: recording(db(), log), config: { rateLimit: { enabled: false } }, consoleNow: () => new Date() });
      const answer = await signInWith(app, email, 'wrong password here');
      expect(answer.status).toBe(401);
      return log;
    };
    const known = await work(moderator.email);
    expect(known).toContain('BEGIN');
    expect(await work(`nobody-${crypto.randomUUID()}@example.org`)).toEqual(known);
    expect(await work(disabled.email)).toEqual(known);
  });
});

describe('7: wrong passwords slow whoever sends them, and never lock the owner out', () => {
  const from = (app: Hono, address: string, email: string, password: string) =>
    app.request('/console/login', { method: 'POST', headers: { ...SAME_ORIGIN, 'X-Forwarded-For': address }, body: new URLSearchParams({ email, password }) });

  it('lets the owner in with the right password right after five anonymous wrong ones, and slows the guesser more each time', async () => {
    const time = clock();
    const app = consoleApp(db(), time, { rateLimit: { enabled: false, clientIpHeader: 'x-forwarded-for' } });
    const moderator = await makeModerator(db());
    for (let i = 0; i < 5; i++) expect((await from(app, '203.0.113.66', moderator.email, 'wrong password here')).status).toBe(401);
    // Before: the account was locked for 15 minutes, whoever came next with the right password.
    expect((await from(app, '198.51.100.20', moderator.email, PASSWORD)).status).toBe(303);
    const slowed = await from(app, '203.0.113.66', moderator.email, PASSWORD);
    expect(slowed.status).toBe(429);
    expect(slowed.headers.get('Retry-After')).toBe('30');
    time.advance(30_000);
    expect((await from(app, '203.0.113.66', moderator.email, 'wrong password here')).status).toBe(401);
    expect((await from(app, '203.0.113.66', moderator.email, 'wrong password here')).headers.get('Retry-After')).toBe('60');
    // An unknown email is slowed exactly the same way: the wait tells nothing about accounts.
    for (let i = 0; i < 5; i++) await from(app, '203.0.113.66', 'nobody@example.org', 'wrong password here');
    expect((await from(app, '203.0.113.66', 'nobody@example.org', 'wrong password here')).headers.get('Retry-After')).toBe('30');
  });

  it('slows an email for everyone only after 100 failures from many addresses', async () => {
    const time = clock();
    const app = consoleApp(db(), time, { rateLimit: { enabled: false, clientIpHeader: 'x-forwarded-for' } });
    const moderator = await makeModerator(db());
    for (let i = 0; i < 100; i++) await from(app, `203.0.${Math.floor(i / 4)}.${i % 4}`, moderator.email, 'wrong password here');
    expect((await from(app, '198.51.100.20', moderator.email, PASSWORD)).status).toBe(429);
    time.advance(30_000);
    expect((await from(app, '198.51.100.20', moderator.email, PASSWORD)).status).toBe(303);
  });
});

describe('6: the second factor cannot be changed with a session alone', () => {
  const secretOf = async (browser: Browser) => /data-testid="totp-secret">([A-Z2-7]{32})</.exec(await (await browser.get('/console/account')).text())?.[1];

  it('refuses to replace a second factor that is on, or to turn one on without the password', async () => {
    const time = clock();
    const app = consoleApp(db(), time);
    const { browser, moderator, secret } = await withTotp(app, time);
    await browser.get('/console/account');
    // Someone holding only the session brings a secret of their own and a code from it.
    const theirs = new Secret({ size: 20 }).base32;
    const replaced = await browser.post('/console/account/totp', { secret: theirs, code: codeAt(theirs, time.now) });
    expect(replaced.headers.get('Location')).not.toBe('/console/account?done=on');
    const evenWithPassword = await browser.post('/console/account/totp', { secret: theirs, code: codeAt(theirs, time.now), password: PASSWORD });
    expect(evenWithPassword.headers.get('Location')).not.toBe('/console/account?done=on');
    time.advance(30_000);
    expect((await signInWith(app, moderator.email, PASSWORD, codeAt(theirs, time.now))).status).toBe(401);
    expect((await signInWith(app, moderator.email, PASSWORD, codeAt(secret, time.now))).status).toBe(303);

    const { browser: fresh } = await signedIn(app, db());
    const own = (await secretOf(fresh))!;
    const noPassword = await fresh.post('/console/account/totp', { secret: own, code: codeAt(own, time.now) });
    expect(noPassword.headers.get('Location')).toBe('/console/account?problem=wrong_password');
    const wrongPassword = await fresh.post('/console/account/totp', { secret: own, code: codeAt(own, time.now), password: 'not the password at all' });
    expect(wrongPassword.headers.get('Location')).toBe('/console/account?problem=wrong_password');
  });

  it('ends every other session of the account when its second factor changes, and all of them on an admin reset', async () => {
    const time = clock();
    const app = consoleApp(db(), time);
    const { browser, moderator } = await signedIn(app, db());
    const elsewhere = new Browser(app);
    expect((await elsewhere.signIn(moderator.email)).status).toBe(303);
    const secret = (await secretOf(browser))!;
    expect((await browser.post('/console/account/totp', { secret, code: codeAt(secret, time.now), password: PASSWORD })).headers.get('Location')).toBe('/console/account?done=on');
    expect((await elsewhere.get('/console/queue')).status).toBe(303); // signed out
    expect((await browser.get('/console/queue')).status).toBe(200); // the one that made the change stays

    const { browser: admin } = await signedIn(app, db(), 'admin');
    await admin.post(`/console/admin/moderators/${moderator.id}`, { change: 'resetTotp' });
    expect((await browser.get('/console/queue')).status).toBe(303);
  });
});

describe('6: TOTP secrets are sealed at rest', () => {
  it('stores the secret encrypted, bound to its account, and reads and seals secrets stored in clear', async () => {
    const time = clock();
    const key = randomBytes(32);
    const app = createApp({ db: db(), config: { rateLimit: { enabled: false } }, consoleNow: () => time.now, totpKey: key });
    const { moderator, secret } = await withTotp(app, time);
    const [row] = await db().query<{ totp_secret: string }>('SELECT totp_secret FROM moderators WHERE id = $1', [moderator.id]);
    expect(row!.totp_secret).toMatch(/^v1\./);
    expect(row!.totp_secret).not.toContain(secret);
    expect(openSecret(key, moderator.id, row!.totp_secret)).toBe(secret);
    expect(openSecret(key, crypto.randomUUID(), row!.totp_secret)).toBeUndefined(); // moved to another row: does not open
    expect(openSecret(randomBytes(32), moderator.id, row!.totp_secret)).toBeUndefined();
    expect((await signInWith(app, moderator.email, PASSWORD, codeAt(secret, time.now))).status).toBe(303);

    // A secret an earlier version stored in clear still works, and is sealed at the next start.
    const legacy = await makeModerator(db());
    const clear = new Secret({ size: 20 }).base32;
    await db().query('UPDATE moderators SET totp_secret = $2 WHERE id = $1', [legacy.id, clear]);
    expect((await signInWith(app, legacy.email, PASSWORD, codeAt(clear, time.now))).status).toBe(303);
    expect(await sealStoredSecrets(db(), key)).toBeGreaterThanOrEqual(1);
    const [sealed] = await db().query<{ totp_secret: string }>('SELECT totp_secret FROM moderators WHERE id = $1', [legacy.id]);
    expect(openSecret(key, legacy.id, sealed!.totp_secret)).toBe(clear);
  });

  it('keeps the key in the data folder (mode 0600, made once) unless OHR_TOTP_KEY gives it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ohr-totp-key-'));
    try {
      const first = loadTotpKey(folder, {});
      expect(statSync(join(folder, 'totp.key')).mode & 0o777).toBe(0o600);
      expect(Buffer.from(loadTotpKey(folder, {}))).toEqual(Buffer.from(first));
      const given = randomBytes(32);
      expect(Buffer.from(loadTotpKey(folder, { OHR_TOTP_KEY: given.toString('base64') }))).toEqual(given);
      expect(() => loadTotpKey(folder, { OHR_TOTP_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
