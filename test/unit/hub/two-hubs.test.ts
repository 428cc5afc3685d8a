/**
 * Two hub processes on one PostgreSQL, as behind a load balancer (issue 18 item 5), with evidence in an S3-protocol
 * object store: a client alternating between them gets one report per idempotency key (retries and concurrent twins
 * sent to both get the same receipt), one shared rate limit (the burst is spent across both), one evidence object and
 * row per hash (the same file sent to both), a setup link printed by one that works once on the other, and a console
 * session made on one that works, and ends, on the other.
 *
 * Real processes (`node --import tsx hub/cli.ts`, as hub-process.ts runs them). PostgreSQL pass only: PGlite keeps its
 * database in a folder one process holds (storage/folder-lock.ts), so two PGlite hubs cannot share one.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClient } from 'aws4fetch';
import { openDatabase, type Database } from '../../../hub/db';
import { sha256Hex } from '../../../hub/hash';
import { sampleReport } from '../../fixtures/report';
import { makeModerator, PASSWORD } from './console-helpers';
import { describing, pngBytes, SETUP_TIMEOUT_MS } from './helpers';
import { listeningUrl, spawnHub, type HubProcess } from './hub-process';
import { startS3, type TestS3 } from './s3-server';

const DATABASE_URL = process.env.DATABASE_URL;
const BURST = 8;

describe.skipIf(!DATABASE_URL)('two hub processes on one PostgreSQL (skipped without DATABASE_URL: PGlite is one process per folder)', () => {
  const schema = `ohr_test_${randomBytes(6).toString('hex')}`;
  let db: Database;
  let s3: TestS3;
  const hubs: HubProcess[] = [];
  let urls: [string, string];

  beforeAll(async () => {
    const url = new URL(DATABASE_URL!);
    url.searchParams.set('schema', schema);
    // Created and migrated here first (as the first hub of a deployment would), then both hubs start at once.
    [db, s3] = await Promise.all([openDatabase({ databaseUrl: DATABASE_URL!, schema }), startS3('two-hubs', 'ohr/')]);
    const env = {
      DATABASE_URL: url.toString(),
      OHR_RATE_LIMIT_BURST: String(BURST),
      OHR_RATE_LIMIT_PER_SECOND: '0.001',
      OHR_CLIENT_IP_HEADER: 'x-forwarded-for',
      OHR_EVIDENCE_STORE: 's3',
      OHR_S3_ENDPOINT: s3.endpoint,
      OHR_S3_BUCKET: s3.bucket,
      OHR_S3_ACCESS_KEY_ID: s3.config.accessKeyId,
      OHR_S3_SECRET_ACCESS_KEY: s3.config.secretAccessKey,
      OHR_S3_PREFIX: s3.config.prefix,
      OHR_SHUTDOWN_GRACE_MS: '0',
    };
    hubs.push(spawnHub(['--port', '0'], env), spawnHub(['--port', '0'], env));
    urls = (await Promise.all(hubs.map((hub) => listeningUrl(hub)))) as [string, string];
  }, SETUP_TIMEOUT_MS * 2);

  afterAll(async () => {
    await Promise.all(
      hubs.map((hub) => {
        hub.child.kill('SIGTERM');
        return hub.exited;
      }),
    );
    await db?.query(`DROP SCHEMA ${schema} CASCADE`);
    await db?.close();
    await s3?.close();
  }, SETUP_TIMEOUT_MS);

  /** A fresh client address per test, so each test starts with a full bucket. */
  let clients = 0;
  const client = () => `198.51.100.${++clients}`;
  const call = (hub: 0 | 1, path: string, from: string, init: RequestInit = {}) =>
    fetch(urls[hub] + path, { ...init, headers: { 'X-Forwarded-For': from, ...init.headers } });

  it('spends one burst across both: the (burst + 1)th request over the two is refused', async () => {
    const from = client();
    const statuses: number[] = [];
    for (let i = 0; i <= BURST; i++) statuses.push((await call((i % 2) as 0 | 1, '/.well-known/ohr', from)).status);
    expect(statuses).toEqual([...Array<number>(BURST).fill(200), 429]);
    // Both hubs now refuse this client, and neither refuses another.
    expect((await call(0, '/.well-known/ohr', from)).status).toBe(429);
    expect((await call(1, '/.well-known/ohr', from)).status).toBe(429);
    expect((await call(1, '/.well-known/ohr', client())).status).toBe(200);
    const keys = await db.query<{ key: string }>("SELECT key FROM rate_limit_buckets WHERE scope = 'api'");
    for (const { key } of keys) expect(key).not.toContain('198.51.100');
  });

  it('keeps one row and one object per evidence hash, and files one report per idempotency key', async () => {
    const from = client();
    const bytes = pngBytes(4096);
    const sha256 = await sha256Hex(bytes);
    const put = (hub: 0 | 1) =>
      call(hub, `/api/v1/evidence/${sha256}`, from, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: bytes });
    const uploads = await Promise.all([put(0), put(1)]);
    expect(uploads.map((response) => response.status).sort()).toEqual([200, 201]);
    expect((await put(1)).status).toBe(200);
    expect(await db.query('SELECT sha256 FROM evidence WHERE sha256 = $1', [sha256])).toHaveLength(1);
    expect(await objectsNamed(sha256)).toEqual([`${s3.config.prefix}${sha256}`]);

    const report = describing(sampleReport(), sha256, bytes);
    const body = JSON.stringify(report);
    const post = (hub: 0 | 1) =>
      call(hub, '/api/v1/reports', from, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id }, body });
    // The same report sent to both at once, then retried to each.
    const twins = await Promise.all([post(0), post(1)]);
    const answers = [...twins, await post(1), await post(0)];
    expect(answers.map((response) => response.status)).toEqual([201, 201, 201, 201]);
    const receipts = await Promise.all(answers.map((response) => response.json() as Promise<{ reference: string; statusToken: string }>));
    expect(new Set(receipts.map((receipt) => `${receipt.reference} ${receipt.statusToken}`)).size).toBe(1);
    expect(await db.query('SELECT reference FROM reports WHERE id = $1', [report.id])).toHaveLength(1);

    // The status token works on either hub (asked from another address: this one has spent its burst of 8 on 7).
    const asker = client();
    const status = (hub: 0 | 1) =>
      call(hub, `/api/v1/reports/${receipts[0]!.reference}/status`, asker, { headers: { Authorization: `Bearer ${receipts[0]!.statusToken}` } });
    expect([(await status(0)).status, (await status(1)).status]).toEqual([200, 200]);
  });

  it('takes the setup link either hub printed on the other, once: the first admin is made on one, and every link dies', async () => {
    const links = hubs.map((hub) => /\/console\/setup\?token=[A-Za-z0-9_-]+/.exec(hub.output())?.[0]);
    expect(links[0]).toBeDefined();
    expect(links[1]).toBeDefined();
    expect((await fetch(urls[1] + links[0]!)).status).toBe(200);
    const token = new URL(links[0]!, urls[0]).searchParams.get('token')!;
    const made = await fetch(`${urls[1]}/console/setup`, {
      method: 'POST',
      headers: { 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams({ token, email: 'first-admin@example.org', password: PASSWORD, secret: 'A'.repeat(32), code: '' }),
    });
    expect(made.status).toBe(200);
    expect(await db.query("SELECT role FROM moderators WHERE email = 'first-admin@example.org'")).toEqual([{ role: 'admin' }]);
    // Both links, on both hubs, now say the hub is set up.
    for (const link of links) for (const url of urls) expect((await fetch(url + link!)).status).toBe(409);
  });

  it('honours a console session on both hubs, and ends it on both', async () => {
    const moderator = await makeModerator(db);
    const form = new URLSearchParams({ email: moderator.email, password: PASSWORD });
    const signIn = await fetch(`${urls[0]}/console/login`, { method: 'POST', headers: { 'Sec-Fetch-Site': 'same-origin' }, body: form, redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const cookie = /(__Host-ohr_session=[^;]+)/.exec(signIn.headers.get('Set-Cookie') ?? '')?.[1];
    expect(cookie).toBeDefined();
    const queue = (hub: 0 | 1) => fetch(`${urls[hub]}/console/queue`, { headers: { Cookie: cookie! }, redirect: 'manual' });
    const page = await queue(1);
    expect(page.status).toBe(200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    const signOut = await fetch(`${urls[1]}/console/logout`, {
      method: 'POST',
      headers: { Cookie: cookie!, 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams({ csrf: csrf ?? '' }),
      redirect: 'manual',
    });
    expect(signOut.status).toBe(303);
    expect((await queue(0)).status).toBe(303);
  });

  /** The object names in the bucket that contain `text` (ListObjectsV2). */
  async function objectsNamed(text: string): Promise<string[]> {
    const aws = new AwsClient({ accessKeyId: s3.config.accessKeyId, secretAccessKey: s3.config.secretAccessKey, service: 's3', region: 'us-east-1' });
    const listing = await (await aws.fetch(`${s3.endpoint}/${s3.bucket}?list-type=2`)).text();
    return [...listing.matchAll(/<Key>([^<]+)<\/Key>/g)].map((match) => match[1]!).filter((key) => key.includes(text));
  }
});
