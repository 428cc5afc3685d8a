/**
 * Alerts for urgent reports and notifications to reporters (issue 20 items 3 and 4), against a real SMTP server
 * (smtp-server) and a real HTTP receiver (node:http) started here. The worker is run by hand (`runUntilIdle`) with no
 * backoff, so a retry comes due at once and nothing waits on a timer.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, configFromEnv, resolveConfig } from '../../../hub/config';
import { openDatabase, type Database } from '../../../hub/db';
import { DELIVERY_HEADER, SIGNATURE_HEADER, verifyWebhookSignature } from '../../../hub/delivery/signature';
import { alertDestinations, DeliveryWorker, type UrgentAlert } from '../../../hub/delivery/worker';
import { syncAlertDestinations } from '../../../hub/domain/deliveries';
import { askQuestion } from '../../../hub/domain/questions';
import { changeStatus } from '../../../hub/domain/workflow';
import { startHub } from '../../../hub/server';
import { createMailer, type Mailer } from '../../../hub/mail';
import type { Report } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';
import { consoleApp, makeModerator, signedIn } from './console-helpers';
import { createTestApp, describing, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

const SECRET = 'a webhook secret of at least thirty-two characters';
const BASE = 'https://hub.example.org';
// Words only the report carries: none may appear in anything sent.
const SUMMARY = 'Summary words that must never leave the hub 7f3a';
const NAME = 'Reporter Name Q9';
const EMAIL = 'reporter-q9@example.net';
const PHONE = '+44 7700 900123';

interface Mail {
  to: string[];
  /** The message as sent, its quoted-printable body decoded (a soft line break could split a word otherwise). */
  raw: string;
}

/** Quoted-printable to text: soft line breaks joined, `=XX` bytes decoded as UTF-8. */
function unquote(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  return Buffer.from(joined.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
}
interface Hook {
  headers: IncomingMessage['headers'];
  body: string;
  status: number;
}

let database: TestDatabase;
let smtp: SMTPServer;
let receiver: Server;
let smtpPort: number;
let hookUrl: string;
const mails: Mail[] = [];
const hooks: Hook[] = [];
/** The next answers to give: each entry is used once, then everything is accepted. */
const smtpFailures: number[] = [];
const hookFailures: number[] = [];
let mailer: Mailer;
const silent = pino({ level: 'silent' });

function alertsConfig() {
  return resolveConfig({
    smtp: { url: `smtp://127.0.0.1:${smtpPort}`, from: 'Report hub <no-reply@example.org>' },
    alerts: { emails: ['duty@example.org'], webhooks: [hookUrl], webhookSecret: SECRET },
    publicBaseUrl: BASE,
  });
}

function worker(db: Database): DeliveryWorker {
  const config = alertsConfig();
  return new DeliveryWorker({ db, alerts: config.alerts, mailer, baseUrl: BASE, organisation: 'Test Org', logger: silent, backoffMs: () => 0 });
}

beforeAll(async () => {
  database = await openTestDatabase();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const code = smtpFailures.shift();
        if (code) return callback(Object.assign(new Error('Try again later'), { responseCode: code }));
        mails.push({ to: session.envelope.rcptTo.map((entry) => entry.address), raw: unquote(Buffer.concat(chunks).toString('utf8')) });
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  smtpPort = (smtp.server.address() as AddressInfo).port;
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = hookFailures.shift() ?? 204;
      hooks.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status).end(status >= 300 ? 'receiver says: reference and secrets echoed here' : undefined);
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ohr-alerts`;
  mailer = createMailer(alertsConfig().smtp)!;
  await syncAlertDestinations(database.db, alertDestinations(alertsConfig().alerts));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  mailer?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  await database?.dispose();
});

beforeEach(() => {
  mails.length = 0;
  hooks.length = 0;
});

/** Files a report through the API and returns its reference. */
async function file(overrides: Partial<Report>): Promise<string> {
  return (await filed(overrides)).reference;
}

async function filed(overrides: Partial<Report>): Promise<{ reference: string; statusToken: string }> {
  const app = createTestApp({ db: database.db, config: alertsConfig() });
  const { sha256, bytes } = await uploadPng(app);
  const report = describing(sampleReport({ ...overrides, incident: { ...sampleReport().incident, summary: SUMMARY } }), sha256, bytes);
  const response = await postReport(app, report, report.id);
  if (response.status !== 201) throw new Error(`not filed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { reference: string; statusToken: string };
}

const URGENT = { urgency: { immediateDanger: true, perpetratorIdentityKnown: false, relatesToFutureEvent: true } };

function identified(consents: Partial<Report['reporter']['consents']>, language?: string): Pick<Report, 'reporter'> {
  return {
    reporter: {
      role: 'victim',
      anonymous: false,
      name: NAME,
      email: EMAIL,
      phone: PHONE,
      contact: { channel: 'email', ...(language ? { language } : {}) },
      consents: { police: true, platform: true, shareContact: true, supportReferral: false, ...consents },
      wantsSupport: false,
    },
  };
}

function expectNothingPersonal(text: string): void {
  for (const secret of [SUMMARY, NAME, EMAIL, PHONE, 'example.org/posts/1', 'A post']) expect(text).not.toContain(secret);
}

async function attempts(db: Database, reference: string) {
  return db.query<{ channel: string; state: string; attempt: number; ok: boolean; code: number | null }>(
    `SELECT d.channel, d.state, a.attempt, a.ok, a.code FROM deliveries d JOIN delivery_attempts a ON a.delivery_id = d.id
      WHERE d.reference = $1 ORDER BY d.channel, a.attempt`,
    [reference],
  );
}

describe('alerts for urgent reports', () => {
  it('sends one email and one signed webhook, each retried once after a failure and delivered once, carrying nothing from the report', async () => {
    smtpFailures.push(451);
    hookFailures.push(500);
    const reference = await file({ ...URGENT, ...identified({}) });
    expect(await worker(database.db).runUntilIdle()).toBe(4);

    // Each destination: the failed try, then the accepted one, both recorded with their codes.
    expect(await attempts(database.db, reference)).toEqual([
      { channel: 'email', state: 'sent', attempt: 1, ok: false, code: 451 },
      { channel: 'email', state: 'sent', attempt: 2, ok: true, code: 250 },
      { channel: 'webhook', state: 'sent', attempt: 1, ok: false, code: 500 },
      { channel: 'webhook', state: 'sent', attempt: 2, ok: true, code: 204 },
    ]);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['duty@example.org']);
    expect(hooks.map((hook) => hook.status)).toEqual([500, 204]);
    // The retry is the same delivery: the receiver can drop a duplicate by its id.
    const [failed, accepted] = hooks;
    expect(accepted!.headers[DELIVERY_HEADER.toLowerCase()]).toBe(failed!.headers[DELIVERY_HEADER.toLowerCase()]);
    expect(verifyWebhookSignature(SECRET, accepted!.headers[SIGNATURE_HEADER.toLowerCase()] as string, accepted!.body, new Date())).toBe(true);
    expect(verifyWebhookSignature('another secret of at least thirty-two chars', accepted!.headers[SIGNATURE_HEADER.toLowerCase()] as string, accepted!.body, new Date())).toBe(false);
    expect(verifyWebhookSignature(SECRET, accepted!.headers[SIGNATURE_HEADER.toLowerCase()] as string, accepted!.body.replace(reference, 'X'), new Date())).toBe(false);

    const alert = JSON.parse(accepted!.body) as UrgentAlert;
    expect(alert).toEqual({
      type: 'report.urgent',
      deliveryId: accepted!.headers[DELIVERY_HEADER.toLowerCase()],
      reference,
      urgency: { immediateDanger: true, perpetratorIdentityKnown: false, relatesToFutureEvent: true },
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      url: `${BASE}/console/reports/${reference}`,
    });
    expect(mails[0]!.raw).toContain(reference);
    expect(mails[0]!.raw).toContain(`${BASE}/console/reports/${reference}`);
    const [email] = await database.db.query<{ id: string }>(`SELECT id::text FROM deliveries WHERE reference = $1 AND channel = 'email'`, [reference]);
    expect(mails[0]!.raw).toMatch(new RegExp(`Message-ID: <${email!.id}@ohr\\.invalid>`, 'i'));
    for (const text of [accepted!.body, failed!.body, mails[0]!.raw]) expectNothingPersonal(text);

    // Nothing more to send: a second look finds nothing.
    expect(await worker(database.db).runUntilIdle()).toBe(0);
    expect(mails).toHaveLength(1);
    expect(hooks).toHaveLength(2);
  });

  it('sends nothing for a report that is not urgent', async () => {
    const reference = await file(identified({ emailUpdates: true }));
    expect(await database.db.query('SELECT 1 FROM deliveries WHERE reference = $1', [reference])).toEqual([]);
    await worker(database.db).runUntilIdle();
    expect(mails).toEqual([]);
    expect(hooks).toEqual([]);
  });

  it('stops after the configured number of tries and marks the delivery failed', async () => {
    const config = resolveConfig({ ...alertsConfig(), alerts: { ...alertsConfig().alerts, maxAttempts: 2 } });
    hookFailures.push(503, 503);
    const reference = await file(URGENT);
    const limited = new DeliveryWorker({ db: database.db, alerts: config.alerts, mailer, baseUrl: BASE, organisation: 'Test Org', logger: silent, backoffMs: () => 0 });
    await limited.runUntilIdle();
    const rows = await attempts(database.db, reference);
    expect(rows.filter((row) => row.channel === 'webhook')).toEqual([
      { channel: 'webhook', state: 'failed', attempt: 1, ok: false, code: 503 },
      { channel: 'webhook', state: 'failed', attempt: 2, ok: false, code: 503 },
    ]);
    expect(rows.filter((row) => row.channel === 'email').map((row) => row.state)).toEqual(['sent']);
  });

  it('two workers (two database connections on PostgreSQL) never send one delivery twice', async () => {
    const references = await Promise.all(Array.from({ length: 8 }, () => file(URGENT)));
    // On PostgreSQL the second worker has its own pool, as a second hub process would; PGlite is one process's engine.
    const second = process.env.DATABASE_URL
      ? await openDatabase({ databaseUrl: process.env.DATABASE_URL, schema: (await database.db.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s, migrate: false })
      : database.db;
    try {
      await Promise.all([worker(database.db).runUntilIdle(), worker(second).runUntilIdle(), worker(database.db).runUntilIdle(), worker(second).runUntilIdle()]);
    } finally {
      if (second !== database.db) await second.close();
    }
    const ids = hooks.map((hook) => hook.headers[DELIVERY_HEADER.toLowerCase()]);
    expect(ids).toHaveLength(references.length);
    expect(new Set(ids).size).toBe(references.length);
    expect(mails).toHaveLength(references.length);
    const [tries] = await database.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.reference = ANY($1::text[])`,
      [references],
    );
    expect(tries!.count).toBe(references.length * 2);
  });
});

describe('notifications to reporters', () => {
  it('emails a reporter who asked for updates when the status changes, in their language, with the reference and the status page only', async () => {
    const moderator = await makeModerator(database.db);
    const { reference, statusToken } = await filed(identified({ emailUpdates: true }, 'cy'));
    expect(await changeStatus(database.db, { reference, actorId: moderator.id, to: 'in_review' })).toEqual({ kind: 'done' });
    await worker(database.db).runUntilIdle();
    expect(await changeStatus(database.db, { reference, actorId: moderator.id, to: 'needs_info' })).toEqual({ kind: 'done' });
    await worker(database.db).runUntilIdle();
    expect(mails.map((mail) => mail.to)).toEqual([[EMAIL], [EMAIL]]);
    expect(mails[0]!.raw).toContain(`Subject: Diweddariad ar eich adroddiad ${reference}`);
    expect(mails[1]!.raw).toContain(`Subject: Cwestiwn am eich adroddiad ${reference}`);
    for (const mail of mails) {
      expect(mail.raw).toMatch(/Content-Language: cy/);
      expect(mail.raw).toContain(`${BASE}/status?lang=cy&reference=${reference}`);
      // The address is in the envelope and the To header only; the status code is never sent.
      expectNothingPersonal(mail.raw.replace(`To: ${EMAIL}`, ''));
      expect(mail.raw).not.toContain(statusToken);
    }
    const kinds = await database.db.query<{ kind: string }>('SELECT kind FROM deliveries WHERE reference = $1 ORDER BY created_at, kind', [reference]);
    expect(kinds.map((row) => row.kind).sort()).toEqual(['question_asked', 'status_changed']);
  });

  it('one email per burst of changes; a question asked while the report already waits for answers gets its own; none for the reporter\'s own answer', async () => {
    const moderator = await makeModerator(database.db);
    const reference = await file(identified({ emailUpdates: true }));
    // received → in_review → needs_info in one transaction: one email, about the question.
    expect((await askQuestion(database.db, { reference, actorId: moderator.id, text: 'When did it start?' })).kind).toBe('asked');
    await worker(database.db).runUntilIdle();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.raw).toContain(`Subject: A question about your report ${reference}`);
    // The second question moves no status: it queues its own email in its own transaction, so a hub with no worker
    // running (stopped just after the commit) still sends it when one starts.
    expect((await askQuestion(database.db, { reference, actorId: moderator.id, text: 'Which account was it?' })).kind).toBe('asked');
    const pending = await database.db.query<{ kind: string }>(`SELECT kind FROM deliveries WHERE reference = $1 AND state = 'pending'`, [reference]);
    expect(pending.map((row) => row.kind)).toEqual(['question_asked']);
    await worker(database.db).runUntilIdle();
    expect(mails).toHaveLength(2);
    // The reporter's own move (their last answer sends the report back to review) is not announced to them.
    expect(await changeStatus(database.db, { reference, actorId: null, to: 'in_review' })).toEqual({ kind: 'done' });
    const kinds = await database.db.query<{ kind: string }>('SELECT kind FROM deliveries WHERE reference = $1 ORDER BY created_at', [reference]);
    expect(kinds.map((row) => row.kind)).toEqual(['question_asked', 'question_asked']);
  });

  it('emails no one who did not ask for updates, even with an address given', async () => {
    const moderator = await makeModerator(database.db);
    const reference = await file(identified({}));
    await changeStatus(database.db, { reference, actorId: moderator.id, to: 'closed', outcome: 'no_further_action' });
    expect(await database.db.query('SELECT 1 FROM deliveries WHERE reference = $1', [reference])).toEqual([]);
    await worker(database.db).runUntilIdle();
    expect(mails).toEqual([]);
  });
});

describe('the delivery log in the console', () => {
  it('shows admins each delivery with its state and last try, never a reporter\'s address; moderators may not see it', async () => {
    hookFailures.push(502);
    const urgent = await file({ ...URGENT, ...identified({ emailUpdates: true }) });
    const moderator = await makeModerator(database.db);
    await changeStatus(database.db, { reference: urgent, actorId: moderator.id, to: 'in_review' });
    await worker(database.db).runUntilIdle();
    const app = consoleApp(database.db, undefined, alertsConfig());
    const { browser: admin } = await signedIn(app, database.db, 'admin');
    const response = await admin.get('/console/deliveries');
    expect(response.status).toBe(200);
    const html = await response.text();
    const [webhook] = await database.db.query<{ id: string }>(`SELECT id::text FROM deliveries WHERE reference = $1 AND channel = 'webhook'`, [urgent]);
    const row = new RegExp(`<tr data-delivery="${webhook!.id}">(.*?)</tr>`, 's').exec(html)?.[1] ?? '';
    expect(row).toContain('Urgent report alert');
    expect(row).toContain(hookUrl);
    expect(row).toContain('accepted (204)');
    expect(row).toMatch(/<td>2<\/td>/);
    expect(html).toContain('Reporter: status changed');
    expect(html).toContain('the reporter’s email address');
    expectNothingPersonal(html);
    const failedOnly = await (await admin.get('/console/deliveries?state=failed')).text();
    expect(failedOnly).not.toContain(webhook!.id);

    const { browser: notAdmin } = await signedIn(app, database.db, 'moderator');
    expect((await notAdmin.get('/console/deliveries')).status).toBe(403);
  });
});

describe('a running hub', () => {
  it('sends an urgent report\'s alert right after intake, without being asked to look', async () => {
    // A database of its own (the hub stores only this webhook as a destination), closed by dispose, not by the hub.
    const own = await openTestDatabase();
    const hub = await startHub({ port: 0, db: { ...own.db, close: async () => undefined }, config: { ...alertsConfig(), alerts: { webhooks: [hookUrl], webhookSecret: SECRET }, shutdownGraceMs: 0 }, logger: silent });
    try {
      const app = createTestApp({ db: hub.db, config: alertsConfig() });
      const { sha256, bytes } = await uploadPng(app);
      const report = describing(sampleReport(URGENT), sha256, bytes);
      const response = await fetch(`${hub.url}/api/v1/reports`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
        body: JSON.stringify(report),
      });
      expect(response.status).toBe(201);
      const { reference } = (await response.json()) as { reference: string };
      await vi.waitFor(() => expect(hooks.map((hook) => (JSON.parse(hook.body) as UrgentAlert).reference)).toEqual([reference]), { timeout: 20_000, interval: 50 });
      expect(mails).toEqual([]);
    } finally {
      await hub.close();
      await own.dispose();
    }
  });
});

describe('alert settings', () => {
  it('takes alerts from the environment and refuses what could not be sent safely, in words', async () => {
    expect(resolveConfig(configFromEnv({
      OHR_ALERT_EMAILS: 'duty@example.org, lead@example.org',
      OHR_ALERT_WEBHOOKS: 'https://alerts.example.org/ohr',
      OHR_ALERT_WEBHOOK_SECRET: SECRET,
      OHR_DELIVERY_MAX_ATTEMPTS: '4',
    })).alerts).toEqual({ emails: ['duty@example.org', 'lead@example.org'], webhooks: ['https://alerts.example.org/ohr'], webhookSecret: SECRET, maxAttempts: 4 });
    expect(() => resolveConfig({ alerts: { webhooks: ['http://alerts.example.org/ohr'] } })).toThrow(/alerts\.webhooks\.0: Use https \(plain http only to localhost\)/);
    expect(() => resolveConfig({ alerts: { webhookSecret: 'short' } })).toThrow(/at least 32 characters/);
    expect(() => configFromEnv({ OHR_ALERT_EMAILS: 'not an address' })).toThrow(/OHR_ALERT_EMAILS/);
    // Emails with no mail server, a webhook with no secret: the hub does not start rather than drop alerts later.
    const refused = startHub({ port: 0, config: { alerts: { emails: ['duty@example.org'], webhooks: [hookUrl] } }, logger: silent });
    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    await expect(refused).rejects.toThrow(/alert emails need a mail server[\s\S]*webhooks need a shared secret/);
  });
});
