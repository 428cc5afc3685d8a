/**
 * `npm run bench:hub`: report ingest throughput and latency on loopback with autocannon, for (a) a bare Hono route
 * echoing the same JSON body and (b) the real POST /api/v1/reports (a fresh report id per request, one piece of evidence
 * already uploaded), then (c) the same POST at 200 connections for 60 s (issue 14: no request may time out there).
 * Engines, each in a fresh hub child process: PGlite durable (fsync on commit, the hub's default), PGlite with
 * `durable: false` (fsync off) for the cost of durability as a ratio within the same run, and PostgreSQL for comparison.
 * Prints numbers; asserts nothing (nothing in `npm test` runs this).
 *
 * Env: BENCH_SECONDS (each a/b run, default 10), BENCH_CONNECTIONS (a/b, default 50), BENCH_LONG_SECONDS (c, default
 * 60; 0 skips it), BENCH_LONG_CONNECTIONS (c, default 200), BENCH_ENGINES (comma-separated from `pglite`,
 * `pglite-nosync`, `postgres`; default all three; one named twice runs twice and the summary averages its runs, so
 * `pglite,pglite-nosync,pglite-nosync,pglite` alternates durability on and off against drift in the machine's load),
 * BENCH_DATABASE_URL or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; PostgreSQL is skipped if
 * unreachable), BENCH_DATA_PARENT (where PGlite's folder goes; default the OS temporary folder: it must be a real disk,
 * or fsync costs nothing).
 *
 * A time-out is a request autocannon gave up on after 10 s (its default) with no answer: before PGlite moved to a worker
 * thread, 200 connections gave 1,338 of them in 60 s, the accept loop starving. Each line also gives the load average
 * and the CPU time per answered request of the server process and of the local PostgreSQL processes: on a shared 2-core
 * machine throughput follows whatever else runs, CPU per request far less.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { sha256Hex } from '../../lib/hash';
import { sampleReport } from '../fixtures/report';
import { machine, postgresReachable, processCpuUs, shownUrl, startServer, type BenchEngine, type BenchServer } from './hub-process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LONG_SECONDS = Number(process.env.BENCH_LONG_SECONDS ?? 60);
const LONG_CONNECTIONS = Number(process.env.BENCH_LONG_CONNECTIONS ?? 200);
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,pglite-nosync,postgres').split(',').map((name) => name.trim());
const POSTGRES = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

interface Run {
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Requests with no answer within autocannon's 10 s time-out. */
  timeouts: number;
  /** Connection errors other than time-outs (resets, refusals). */
  errors: number;
  non2xx: number;
  total: number;
  answered2xx: number;
  /** 1-minute load average when the run ended: other work on the machine skews every number here. */
  load: number;
  /** CPU time per 2xx answer of the server process and of local PostgreSQL processes, in µs (Linux /proc; else NaN). */
  serverCpuUs: number;
  postgresCpuUs: number;
  /** PGlite's fsync(2) calls per 2xx answer (NaN on PostgreSQL). */
  fsyncsPerAnswer: number;
  /** The hub's main-thread event-loop delay during the run, in ms. */
  loopP99: number;
  loopMax: number;
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

async function cannon(label: string, server: BenchServer, url: string, template: string, connections: number, duration: number, fresh: boolean): Promise<Run> {
  const before = await server.stats();
  const [server0, postgres0] = [processCpuUs(server.pid), postgresCpuUs()];
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
  const after = await server.stats();
  return {
    label,
    load: loadavg()[0]!,
    serverCpuUs: (processCpuUs(server.pid) - server0) / answered,
    postgresCpuUs: (postgresCpuUs() - postgres0) / answered,
    fsyncsPerAnswer: (after.fsyncs - before.fsyncs) / answered,
    loopP99: after.loop.p99,
    loopMax: after.loop.max,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    // autocannon counts a time-out as an error as well.
    timeouts: result.timeouts,
    errors: result.errors - result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
    answered2xx: result['2xx'],
  };
}

const print = (run: Run) =>
  console.log(
    `${run.label.padEnd(52)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${String(run.p50).padStart(5)} ms  p99 ${String(run.p99).padStart(5)} ms  max ${String(run.max).padStart(5)} ms` +
      `  time-outs ${run.timeouts}  other errors ${run.errors}  non-2xx ${run.non2xx}  (${run.answered2xx} × 2xx of ${run.total})` +
      `  CPU/req: server ${run.serverCpuUs.toFixed(0)} µs, postgres ${run.postgresCpuUs.toFixed(0)} µs` +
      (Number.isNaN(run.fsyncsPerAnswer) ? '' : `  fsyncs/req ${run.fsyncsPerAnswer.toFixed(2)}`) +
      `  hub event-loop delay p99 ${run.loopP99.toFixed(0)} ms, max ${run.loopMax.toFixed(0)} ms` +
      `  load ${run.load.toFixed(2)}`,
  );

const engines: BenchEngine[] = [];
for (const name of ENGINES) {
  if (name === 'pglite') engines.push({ label: 'PGlite (durable)' });
  else if (name === 'pglite-nosync') engines.push({ label: 'PGlite (fsync off)', durable: false });
  else if (name === 'postgres') {
    if (await postgresReachable(POSTGRES)) engines.push({ label: 'PostgreSQL', databaseUrl: POSTGRES });
    else console.log(`PostgreSQL at ${shownUrl(POSTGRES)} is not reachable: PostgreSQL runs skipped.`);
  } else throw new Error(`BENCH_ENGINES: unknown engine "${name}" (pglite, pglite-nosync, postgres)`);
}

console.log(
  `OHR hub benchmark, ${new Date().toISOString()}: ${SECONDS} s per run at ${CONNECTIONS} connections, then ${LONG_SECONDS} s at ${LONG_CONNECTIONS} connections (loopback, autocannon, 10 s time-out)`,
);
console.log(`${machine()}; load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} at start (server, PostgreSQL and autocannon share these CPUs)\n`);
const results = new Map<string, Array<{ real: Run; long?: Run }>>();
for (const engine of engines) {
  const server = await startServer(engine);
  try {
    const template = await reportTemplate(server.hubUrl);
    const reportUrl = `${server.hubUrl}/api/v1/reports`;
    // A short warm-up so JIT and connection pools are not measured.
    await cannon('warm-up', server, reportUrl, template, 10, 2, true);
    const bare = await cannon(`${engine.label}: (a) bare Hono echo route`, server, server.echoUrl, template, CONNECTIONS, SECONDS, false);
    print(bare);
    const real = await cannon(`${engine.label}: (b) POST /api/v1/reports`, server, reportUrl, template, CONNECTIONS, SECONDS, true);
    print(real);
    console.log(
      `${engine.label}: ratio (b)/(a) = ${((real.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(1)} % of throughput; ` +
        `server CPU per request (a)/(b) = ${((bare.serverCpuUs / real.serverCpuUs) * 100).toFixed(1)} %`,
    );
    let long: Run | undefined;
    if (LONG_SECONDS > 0) {
      long = await cannon(`${engine.label}: (c) ${LONG_CONNECTIONS} connections, ${LONG_SECONDS} s`, server, reportUrl, template, LONG_CONNECTIONS, LONG_SECONDS, true);
      print(long);
    }
    results.set(engine.label, [...(results.get(engine.label) ?? []), { real, ...(long ? { long } : {}) }]);
    console.log();
  } finally {
    await server.stop();
  }
}

const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
/** One engine's runs of a kind, averaged when BENCH_ENGINES names it more than once (e.g. to alternate A/B). */
function averaged(label: string, key: 'real' | 'long') {
  const runs = (results.get(label) ?? []).map((entry) => entry[key]).filter((run): run is Run => run !== undefined);
  if (runs.length === 0) return undefined;
  return {
    n: runs.length,
    requestsPerSecond: mean(runs.map((run) => run.requestsPerSecond)),
    p50: mean(runs.map((run) => run.p50)),
    p99: mean(runs.map((run) => run.p99)),
    serverCpuUs: mean(runs.map((run) => run.serverCpuUs)),
    fsyncsPerAnswer: mean(runs.map((run) => run.fsyncsPerAnswer)),
  };
}
const what = (key: 'real' | 'long') => (key === 'real' ? `(b) ${CONNECTIONS} connections` : `(c) ${LONG_CONNECTIONS} connections`);
const runs = (n: number) => (n > 1 ? ` (mean of ${n} runs each)` : '');
console.log('Summary');
for (const [label, entries] of results) {
  for (const { long } of entries) {
    if (long) {
      console.log(
        `  ${label}, ${LONG_CONNECTIONS} connections for ${LONG_SECONDS} s: ${long.timeouts} time-outs, ${long.errors} other errors, ${long.non2xx} non-2xx; ` +
          `p50 ${long.p50} ms, p99 ${long.p99} ms, max ${long.max} ms, ${long.requestsPerSecond.toFixed(0)} req/s`,
      );
    }
  }
}
for (const key of ['real', 'long'] as const) {
  const [on, off] = [averaged('PGlite (durable)', key), averaged('PGlite (fsync off)', key)];
  if (!on || !off) continue;
  console.log(
    `  Durability cost, ${what(key)}${runs(Math.min(on.n, off.n))}: throughput durable/fsync-off = ${ratio(on.requestsPerSecond, off.requestsPerSecond)}; ` +
      `p50 ×${ratio(on.p50, off.p50)}, p99 ×${ratio(on.p99, off.p99)}; server CPU/req ×${ratio(on.serverCpuUs, off.serverCpuUs)}; ` +
      `fsyncs/req ${on.fsyncsPerAnswer.toFixed(3)} vs ${off.fsyncsPerAnswer.toFixed(3)}`,
  );
}
for (const key of ['real', 'long'] as const) {
  const [lite, server] = [averaged('PGlite (durable)', key), averaged('PostgreSQL', key)];
  if (!lite || !server) continue;
  console.log(`  PGlite (durable) / PostgreSQL, ${what(key)}: throughput ${ratio(lite.requestsPerSecond, server.requestsPerSecond)}, p99 ×${ratio(lite.p99, server.p99)}`);
}
