/**
 * `npm run bench:hub`: report ingest throughput and latency on loopback with autocannon, for (a) a bare Hono route
 * echoing the same JSON body and (b) the real POST /api/v1/reports (a fresh report id per request, one piece of evidence
 * already uploaded), on PGlite and on PostgreSQL; then 200 connections for 60 s on (b). Prints numbers; asserts nothing.
 *
 * Env: BENCH_SECONDS (each a/b run, default 10), BENCH_LONG_SECONDS (default 60), BENCH_CONNECTIONS (a/b, default 50),
 * BENCH_DATABASE_URL or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; PostgreSQL is skipped if unreachable).
 *
 * Each line also gives the load average and the CPU time per answered request of the server process and of the local
 * PostgreSQL processes: on a shared 2-core machine throughput follows whatever else runs, CPU per request far less.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { sha256Hex } from '../../lib/hash';
import { sampleReport } from '../fixtures/report';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LONG_SECONDS = Number(process.env.BENCH_LONG_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const POSTGRES = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

interface Run {
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /** 1-minute load average when the run ended: other work on the machine skews every number here. */
  load: number;
  /** CPU time per 2xx answer of the server process and of local PostgreSQL processes, in µs (Linux /proc; else NaN). */
  serverCpuUs: number;
  postgresCpuUs: number;
}

/** CPU time (user + system) a process has used so far, in µs; NaN where /proc is unavailable. */
function processCpuUs(pid: number | string): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU time of every local `postgres` process. Throughput moves with the machine's load; CPU per request much less. */
function postgresCpuUs(): number {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
        } catch {
          return false;
        }
      })
      .reduce((sum, pid) => sum + (processCpuUs(pid) || 0), 0);
  } catch {
    return Number.NaN;
  }
}

async function startServer(databaseUrl: string | undefined) {
  const child = fork(fileURLToPath(new URL('./hub-server.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl ?? '' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const urls = await new Promise<{ hubUrl: string; echoUrl: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { hubUrl: string; echoUrl: string }));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    ...urls,
    pid: child.pid!,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.send('stop');
    }),
  };
}

/** A real 1×1 PNG would do; any bytes with a PNG signature and IHDR pass the hub's checks. */
function png(): Uint8Array<ArrayBuffer> {
  const bytes = crypto.getRandomValues(new Uint8Array(2_048));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 5, 0, 0, 0, 2, 208]);
  return bytes;
}

async function reportTemplate(hubUrl: string): Promise<string> {
  const bytes = png();
  const sha256 = await sha256Hex(bytes);
  const put = await fetch(`${hubUrl}/api/v1/evidence/${sha256}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: bytes });
  if (put.status !== 201) throw new Error(`evidence upload: ${put.status} ${await put.text()}`);
  const base = sampleReport({ id: PLACEHOLDER });
  const item = base.items[0]!;
  return JSON.stringify({ ...base, items: [{ ...item, evidence: [{ sha256, mediaType: 'image/png', bytes: bytes.byteLength, kind: 'screenshot', width: 1280, height: 720 }] }] });
}

async function cannon(label: string, serverPid: number, url: string, template: string, connections: number, duration: number, fresh: boolean): Promise<Run> {
  const [server0, postgres0] = [processCpuUs(serverPid), postgresCpuUs()];
  const result = await autocannon({
    url,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: template,
        ...(fresh
          ? {
              setupRequest: (request) => {
                const id = randomUUID();
                return { ...request, body: template.replace(PLACEHOLDER, id), headers: { ...request.headers, 'idempotency-key': id } };
              },
            }
          : {}),
      },
    ],
  });
  const answered = Math.max(1, result['2xx']);
  return {
    label,
    load: loadavg()[0]!,
    serverCpuUs: (processCpuUs(serverPid) - server0) / answered,
    postgresCpuUs: (postgresCpuUs() - postgres0) / answered,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const print = (run: Run) =>
  console.log(
    `${run.label.padEnd(44)} ${run.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${String(run.p50).padStart(4)} ms  p99 ${String(run.p99).padStart(5)} ms  errors ${run.errors}  non-2xx ${run.non2xx}  (${run.total} requests)` +
      `  CPU/req: server ${run.serverCpuUs.toFixed(0)} µs, postgres ${run.postgresCpuUs.toFixed(0)} µs  load ${run.load.toFixed(2)}`,
  );

const engines: Array<[string, string | undefined]> = [['PGlite', undefined]];
if (await postgresReachable(POSTGRES)) engines.push(['PostgreSQL', POSTGRES]);
else console.log(`PostgreSQL at ${POSTGRES.replace(/:[^:@/]+@/, ':***@')} is not reachable: PostgreSQL runs skipped.`);

console.log(`OHR hub benchmark: ${SECONDS} s per run at ${CONNECTIONS} connections, then ${LONG_SECONDS} s at 200 connections (loopback, autocannon)`);
console.log(`${cpus().length} CPUs, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} at start (server, PostgreSQL and autocannon share these CPUs)\n`);
for (const [engine, databaseUrl] of engines) {
  const server = await startServer(databaseUrl);
  try {
    const template = await reportTemplate(server.hubUrl);
    const reportUrl = `${server.hubUrl}/api/v1/reports`;
    // A short warm-up so JIT and connection pools are not measured.
    await cannon('warm-up', server.pid, reportUrl, template, 10, 2, true);
    const bare = await cannon(`${engine}: (a) bare Hono echo route`, server.pid, server.echoUrl, template, CONNECTIONS, SECONDS, false);
    print(bare);
    const real = await cannon(`${engine}: (b) POST /api/v1/reports`, server.pid, reportUrl, template, CONNECTIONS, SECONDS, true);
    print(real);
    console.log(
      `${engine}: ratio (b)/(a) = ${((real.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(1)} % of throughput; ` +
        `server CPU per request (a)/(b) = ${((bare.serverCpuUs / real.serverCpuUs) * 100).toFixed(1)} %`,
    );
    if (LONG_SECONDS > 0) print(await cannon(`${engine}: (b) 200 connections, ${LONG_SECONDS} s`, server.pid, reportUrl, template, 200, LONG_SECONDS, true));
    console.log();
  } finally {
    await server.stop();
  }
}
