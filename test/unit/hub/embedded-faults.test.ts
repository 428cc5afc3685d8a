/**
 * The embedded database (PGlite) under the faults a small reporting centre's server meets: a second process on the same
 * folder, a hub killed with SIGKILL, a disk that fills up, a folder that becomes read-only, a start on a bad folder.
 * Real processes and a real small file system (a tmpfs mounted for the test, which needs root: skipped otherwise).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../hub/db';
import { readEvidence } from '../../../hub/domain/evidence';
import { startHub } from '../../../hub/server';
import { sha256Hex } from '../../../lib/hash';
import { sampleReport } from '../../fixtures/report';
import { exitWithin, listeningUrl, spawnHub } from './hub-process';
import { pngBytes } from './helpers';

/** Half a megabyte that passes as a PNG and does not compress: what fills a disk fastest. */
function bigPng(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(randomBytes(500_000));
  bytes.set(pngBytes(33));
  return bytes;
}

const SLOW_MS = 180_000;
const scratch = mkdtempSync(join(tmpdir(), 'ohr-faults-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A tmpfs of `megabytes` at a new folder, or undefined where this process may not mount (not root). */
function mountTmpfs(megabytes: number): { dir: string; fill(leaveBytes: number): void; unfill(): void; readOnly(on: boolean): void; unmount(): void } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'ohr-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill(leaveBytes) {
      const free = Number(execFileSync('stat', ['-f', '-c', '%a*%S', dir]).toString().trim().split('*').reduce((a, b) => String(Number(a) * Number(b))));
      execFileSync('fallocate', ['-l', String(Math.max(0, free - leaveBytes)), filler]);
    },
    unfill: () => rmSync(filler, { force: true }),
    readOnly: (on) => execFileSync('mount', ['-o', `remount,${on ? 'ro' : 'rw'}`, dir]),
    unmount() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
const canMount = (() => {
  const probe = mountTmpfs(1);
  probe?.unmount();
  return probe !== undefined;
})();

async function postReport(url: string) {
  const report = sampleReport({ items: [{ ...sampleReport().items[0]!, evidence: [] }] });
  const response = await fetch(`${url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
    body: JSON.stringify(report),
  });
  return { status: response.status, body: (await response.json()) as { reference: string; statusToken: string } };
}

async function putPng(url: string, bytes: Uint8Array<ArrayBuffer>) {
  const sha256 = await sha256Hex(bytes);
  const response = await fetch(`${url}/api/v1/evidence/${sha256}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: bytes });
  await response.arrayBuffer();
  return { sha256, status: response.status, retryAfter: response.headers.get('Retry-After') };
}

async function health(url: string): Promise<{ status: number; reason?: string }> {
  const response = await fetch(`${url}/healthz`);
  return { ...((await response.json()) as { reason?: string }), status: response.status };
}

async function until<T>(what: () => Promise<T>, ok: (value: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await what();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** These are PGlite's faults: the PostgreSQL pass of the hub tests (DATABASE_URL set) has nothing to add here. */
const postgresPass = Boolean(process.env.DATABASE_URL);

describe.skipIf(postgresPass)('one opener per data folder', () => {
  it('refuses a second hub and create-moderator in words, changes nothing, and recovers the lock after kill -9', async () => {
    const data = join(scratch, 'shared-folder');
    const first = spawnHub(['--port', '0', '--data', data]);
    const url = await listeningUrl(first);
    const filed = await postReport(url);
    expect(filed.status).toBe(201);

    const second = spawnHub(['--port', '0', '--data', data]);
    expect(await exitWithin(second, 20_000)).not.toBe(0);
    expect(second.output()).toMatch(/in use by .*pid \d+/s);
    expect(second.output()).toMatch(/Stop that process first/);

    const account = spawnHub(['create-moderator', 'new.moderator@example.org', '--data', data], { OHR_MODERATOR_PASSWORD: 'a long enough passphrase 42' });
    expect(await exitWithin(account, 20_000)).toBe(3);
    expect(account.output()).toMatch(/Nothing was changed\. Stop the hub first/);
    expect((await health(url)).status).toBe(200);

    first.child.kill('SIGKILL');
    await first.exited;
    // The killed hub's lock is stale: the next start takes the folder at once, and the acknowledged report is there.
    const third = spawnHub(['--port', '0', '--data', data]);
    const thirdUrl = await listeningUrl(third);
    const status = await fetch(`${thirdUrl}/api/v1/reports/${filed.body.reference}/status`, { headers: { Authorization: `Bearer ${filed.body.statusToken}` } });
    expect(status.status).toBe(200);
    third.child.kill('SIGTERM');
    expect(await exitWithin(third, 20_000)).toBe(0);

    const db = await openDatabase({ dataDir: data });
    try {
      expect(await db.query('SELECT 1 FROM moderators')).toHaveLength(0);
    } finally {
      await db.close();
    }
  }, SLOW_MS);
});

describe.skipIf(postgresPass)('a start on a bad folder', () => {
  it('exits non-zero within seconds and says why: a file where the folder should be', async () => {
    const file = join(scratch, 'not-a-folder');
    writeFileSync(file, 'x');
    const hub = spawnHub(['--port', '0', '--data', file]);
    expect(await exitWithin(hub, 20_000)).toBe(1);
    expect(hub.output()).toMatch(/could not start: .*not a folder/);
  }, SLOW_MS);

  it.skipIf(!canMount)('exits non-zero within seconds and says why: a read-only folder, a full disk', async () => {
    const disk = mountTmpfs(80)!;
    try {
      const data = join(disk.dir, 'db');
      const db = await openDatabase({ dataDir: data });
      await db.close();

      disk.readOnly(true);
      const readOnly = spawnHub(['--port', '0', '--data', data]);
      expect(await exitWithin(readOnly, 20_000)).toBe(1);
      expect(readOnly.output()).toMatch(/could not start: .*cannot be written \(EROFS\)/);
      disk.readOnly(false);

      disk.fill(1_000_000);
      const full = spawnHub(['--port', '0', '--data', data]);
      expect(await exitWithin(full, 20_000)).toBe(1);
      expect(full.output()).toMatch(/could not start: .*is full/);
    } finally {
      disk.unmount();
    }
  }, SLOW_MS);
});

// A folder turning read-only under a running hub cannot be staged here: the kernel refuses to remount a file system
// read-only while PGlite holds files open for writing (EBUSY). It takes the same path as a full disk (the engine fails,
// is replaced, the folder is diagnosed by a test write), and a read-only folder at start is tested above.
describe.skipIf(!canMount || postgresPass)('a disk that fills up while the hub runs', () => {
  it('answers 503 with Retry-After (never 500), says why in /healthz, never spins, and recovers when space returns', async () => {
    const disk = mountTmpfs(100)!;
    const hub = await startHub({
      port: 0,
      dataDir: join(disk.dir, 'db'),
      config: { rateLimit: { enabled: false }, databaseStuckMs: 2_000, databaseGiveUpMs: 600_000, shutdownGraceMs: 0, logLevel: 'silent' },
    });
    try {
      disk.fill(14_000_000);
      const kept: string[] = [];
      const refusals: Array<{ status: number; retryAfter: string | null }> = [];
      for (let i = 0; i < 60 && refusals.length < 5; i++) {
        const upload = await putPng(hub.url, bigPng());
        if (upload.status === 201) kept.push(upload.sha256);
        else refusals.push(upload);
      }
      expect(kept.length).toBeGreaterThan(0);
      expect(refusals.length).toBe(5);
      for (const refusal of refusals) expect(refusal).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
      // /healthz still answers (the main thread is free whatever the engine does) and names the cause.
      expect(await until(() => health(hub.url), (h) => h.reason === 'disk_full', 20_000)).toMatchObject({ status: 503, reason: 'disk_full' });

      disk.unfill();
      expect(await until(() => health(hub.url), (h) => h.status === 200, 30_000)).toMatchObject({ status: 200 });
      expect((await putPng(hub.url, bigPng())).status).toBe(201);
      for (const sha256 of kept) expect((await readEvidence(hub.db, sha256))?.intact).toBe(true);

    } finally {
      await hub.close();
      disk.unmount();
    }
  }, SLOW_MS);

  it('exits non-zero for its supervisor when the disk stays full', async () => {
    const disk = mountTmpfs(100)!;
    try {
      const hub = spawnHub(['--port', '0', '--data', join(disk.dir, 'db')], {
        OHR_DATABASE_STUCK_MS: '2000',
        OHR_DATABASE_GIVE_UP_MS: '4000',
        OHR_RATE_LIMIT: 'false',
      });
      const url = await listeningUrl(hub);
      disk.fill(14_000_000);
      // Until the engine itself fails (a WAL segment that cannot be written), not just a file that cannot grow.
      for (let i = 0; i < 60 && (await health(url).catch(() => ({ status: 0, reason: 'gone' }))).reason === undefined; i++) {
        const upload = await putPng(url, bigPng()).catch(() => ({ status: 0 }));
        expect([201, 503, 0]).toContain(upload.status);
      }
      expect(await exitWithin(hub, 60_000)).toBe(75);
      expect(hub.output()).toMatch(/OHR hub is stopping: .*full/);
    } finally {
      disk.unmount();
    }
  }, SLOW_MS);
});
