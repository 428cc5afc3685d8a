/**
 * SIGTERM while reporters are sending: every request that reached the hub in full gets an answer (201, or a clean
 * 503), /healthz turns 503 before the hub stops accepting, and every 201 is in the database after a restart. Like every
 * hub test, on one engine per run: PGlite in the default pass, PostgreSQL in the PostgreSQL pass (DATABASE_URL set),
 * so neither pass repeats the other's hub.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../hub/db';
import { sampleReport } from '../../fixtures/report';
import { exitWithin, listeningUrl, spawnHub } from './hub-process';

const scratch = mkdtempSync(join(tmpdir(), 'ohr-shutdown-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SENDERS = 16;
const BALANCER_LAG_MS = 300;

type Outcome = { kind: 'answered'; status: number; reference?: string } | { kind: 'refused' } | { kind: 'lost'; error: string };

/** One report POST. "refused" is a connection that was never accepted (nothing was sent); "lost" is anything else. */
async function send(url: string): Promise<Outcome> {
  const report = sampleReport({ items: [{ ...sampleReport().items[0]!, evidence: [] }] });
  try {
    const response = await fetch(`${url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
      body: JSON.stringify(report),
    });
    const body = (await response.json()) as { reference?: string };
    return { kind: 'answered', status: response.status, ...(body.reference ? { reference: body.reference } : {}) };
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'lost', error: `${String(error)} ${code ?? ''}` };
  }
}

const engines = process.env.DATABASE_URL
  ? [{ name: 'PostgreSQL', args: (_dir: string) => [] as string[], env: { DATABASE_URL: `${process.env.DATABASE_URL}${process.env.DATABASE_URL.includes('?') ? '&' : '?'}schema=ohr_shutdown_${randomBytes(4).toString('hex')}` } as Record<string, string | undefined> }]
  : [{ name: 'PGlite', args: (dir: string) => ['--data', dir], env: { DATABASE_URL: undefined } as Record<string, string | undefined> }];

describe.each(engines)('SIGTERM under load on $name', ({ args, env }) => {
  it('answers every request it received, shows 503 on /healthz first, and keeps every 201', async () => {
    const dir = join(scratch, randomBytes(4).toString('hex'));
    const hubEnv = { ...env, OHR_RATE_LIMIT: 'false', OHR_SHUTDOWN_GRACE_MS: '1500' };
    const hub = spawnHub(['--port', '0', ...args(dir)], hubEnv);
    const url = await listeningUrl(hub);

    const outcomes: Outcome[] = [];
    const health: Array<number | 'refused'> = [];
    // A load balancer: it keeps sending until its probe sees 503, and a little after (it probes every 100 ms and
    // takes a moment to act), then stops routing to this hub.
    let routing = true;
    let stop = false;
    const senders = Array.from({ length: SENDERS }, async () => {
      while (routing) {
        const outcome = await send(url);
        outcomes.push(outcome);
        if (outcome.kind === 'refused') return;
      }
    });
    const probe = (async () => {
      while (!stop) {
        const status = await fetch(`${url}/healthz`).then(
          (response) => response.status,
          () => 'refused' as const,
        );
        health.push(status);
        if (status === 503 && routing) setTimeout(() => (routing = false), BALANCER_LAG_MS);
        if (status === 'refused') return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 2_000));
    hub.child.kill('SIGTERM');
    expect(await exitWithin(hub, 30_000)).toBe(0);
    stop = true;
    await Promise.all([...senders, probe]);
    // Once it has stopped, a request is refused before anything is sent.
    expect(await send(url)).toEqual({ kind: 'refused' });

    expect(outcomes.filter((outcome) => outcome.kind === 'lost')).toEqual([]);
    const answered = outcomes.filter((outcome) => outcome.kind === 'answered');
    expect(answered.length).toBeGreaterThan(SENDERS);
    for (const outcome of answered) expect([201, 503]).toContain(outcome.status);
    // The balancer's view: ready, then 503 while still serving, then gone.
    const firstUnavailable = health.indexOf(503);
    expect(health[0]).toBe(200);
    expect(firstUnavailable).toBeGreaterThan(0);
    expect(health.slice(firstUnavailable).every((status) => status === 503 || status === 'refused')).toBe(true);

    const references = answered.flatMap((outcome) => (outcome.kind === 'answered' && outcome.status === 201 && outcome.reference ? [outcome.reference] : []));
    const db = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: dir });
    try {
      const stored = await db.query<{ reference: string }>('SELECT reference FROM reports WHERE reference = ANY($1::text[])', [references]);
      expect(stored.length).toBe(references.length);
      if (env.DATABASE_URL) await db.query(`DROP SCHEMA ${new URL(env.DATABASE_URL).searchParams.get('schema')} CASCADE`);
    } finally {
      await db.close();
    }
  }, 120_000);
});
