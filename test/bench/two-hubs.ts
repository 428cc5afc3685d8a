/**
 * `npm run bench:two-hubs`: report intake through two hub processes on one PostgreSQL (issue 18 item 5) against one
 * process, in the same run: a fresh report id per request (one piece of evidence already uploaded), rate limiting on
 * and shared in the database (with a burst no client reaches, so its statement is paid on every request but nothing
 * is refused), and once more with the in-memory limiter for the cost of sharing. Real hub processes (the CLI); the
 * two-hub load is split evenly between them, at the same total number of connections. After each run the reports
 * filed are counted: every 201 must be a row. Prints numbers; asserts nothing (nothing in `npm test` runs this).
 *
 * Env: BENCH_SECONDS (per run, default 10), BENCH_CONNECTIONS (total, default 40), BENCH_ROUNDS (each configuration
 * this many times, alternated against drift in the machine's load; default 2), BENCH_DATABASE_URL or DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { openDatabase } from '../../hub/db';
import { sha256Hex } from '../../lib/hash';
import { sampleReport } from '../fixtures/report';
import { listeningUrl, spawnHub, type HubProcess } from '../unit/hub/hub-process';
import { machine, shownUrl } from './hub-process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const POSTGRES = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';
/** BENCH_ONE_CLIENT=1: every request from one address, so every limiter statement updates the same row (a flood's case). */
const ONE_CLIENT = process.env.BENCH_ONE_CLIENT === '1';

interface Setup {
  label: string;
  processes: 1 | 2;
  limiter: 'database' | 'memory';
}
const SETUPS: Setup[] = [
  { label: 'one process, shared limit', processes: 1, limiter: 'database' },
  { label: 'two processes, shared limit', processes: 2, limiter: 'database' },
  { label: 'one process, in-memory limit', processes: 1, limiter: 'memory' },
];

interface Result {
  label: string;
  reportsPerSecond: number;
  answered201: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
  /**
   * Rows in `reports` after the run minus 201 answers: the requests still in flight when the load stopped, filed but
   * their answers not waited for. Between 0 and the number of connections; below 0 would be a report acknowledged and lost.
   */
  inFlightAtEnd: number;
  load: number;
}

async function run(setup: Setup): Promise<Result> {
  const schema = `ohr_bench_${randomBytes(5).toString('hex')}`;
  const db = await openDatabase({ databaseUrl: POSTGRES, schema });
  const url = new URL(POSTGRES);
  url.searchParams.set('schema', schema);
  const env = {
    DATABASE_URL: url.toString(),
    OHR_LOG_LEVEL: 'warn',
    OHR_RATE_LIMIT_STORE: setup.limiter,
    OHR_RATE_LIMIT_BURST: '100000000',
    OHR_RATE_LIMIT_PER_SECOND: '1000000',
    OHR_SHUTDOWN_GRACE_MS: '0',
    OHR_CLIENT_IP_HEADER: 'x-forwarded-for',
  };
  const hubs: HubProcess[] = Array.from({ length: setup.processes }, () => spawnHub(['--port', '0'], env));
  try {
    const urls = await Promise.all(hubs.map((hub) => listeningUrl(hub)));
    const template = await reportTemplate(urls[0]!);
    const share = Math.floor(CONNECTIONS / urls.length);
    const results = await Promise.all(urls.map((hub) => cannon(`${hub}/api/v1/reports`, template, share)));
    const [{ n }] = (await db.query<{ n: string }>('SELECT count(*) AS n FROM reports')) as [{ n: string }];
    const sum = (pick: (result: autocannon.Result) => number) => results.reduce((total, result) => total + pick(result), 0);
    return {
      label: setup.label,
      reportsPerSecond: sum((result) => result['2xx']) / SECONDS,
      answered201: sum((result) => result['2xx']),
      non2xx: sum((result) => result.non2xx),
      errors: sum((result) => result.errors - result.timeouts),
      timeouts: sum((result) => result.timeouts),
      p50: Math.max(...results.map((result) => result.latency.p50)),
      p99: Math.max(...results.map((result) => result.latency.p99)),
      inFlightAtEnd: Number(n) - sum((result) => result['2xx']),
      load: loadavg()[0]!,
    };
  } finally {
    await Promise.all(
      hubs.map((hub) => {
        hub.child.kill('SIGTERM');
        return hub.exited;
      }),
    );
    await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.close();
  }
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

function cannon(url: string, template: string, connections: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: template,
        setupRequest: (request) => {
          const id = randomUUID();
          // Reporters come from many addresses: each request from its own, unless BENCH_ONE_CLIENT.
          const from = ONE_CLIENT ? '203.0.113.1' : `10.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}`;
          return { ...request, body: template.replace(PLACEHOLDER, id), headers: { ...request.headers, 'idempotency-key': id, 'x-forwarded-for': from } };
        },
      },
    ],
  });
}

console.log(
  `OHR two-hub benchmark, ${new Date().toISOString()}: ${SECONDS} s per run, ${CONNECTIONS} connections in all, ${ROUNDS} rounds, ${ONE_CLIENT ? 'one client address' : 'a new client address per request'}, PostgreSQL ${shownUrl(POSTGRES)}`,
);
console.log(`${machine()}; load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} at start (hubs, PostgreSQL and autocannon share these CPUs)\n`);
const all: Result[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const setup of round % 2 === 0 ? SETUPS : [...SETUPS].reverse()) {
    const result = await run(setup);
    all.push(result);
    console.log(
      `${result.label.padEnd(30)} ${result.reportsPerSecond.toFixed(0).padStart(6)} reports/s  201: ${result.answered201}  non-2xx: ${result.non2xx}  errors: ${result.errors}  timeouts: ${result.timeouts}  p50 ${result.p50} ms  p99 ${result.p99} ms  filed in flight at the end: ${result.inFlightAtEnd}  load ${result.load.toFixed(2)}`,
    );
  }
}
console.log('\nMean per configuration:');
for (const setup of SETUPS) {
  const runs = all.filter((result) => result.label === setup.label);
  const mean = (pick: (result: Result) => number) => runs.reduce((total, result) => total + pick(result), 0) / runs.length;
  console.log(
    `${setup.label.padEnd(30)} ${mean((r) => r.reportsPerSecond).toFixed(0).padStart(6)} reports/s  errors+timeouts+non-2xx: ${mean((r) => r.errors + r.timeouts + r.non2xx)}  filed in flight at the end: ${mean((r) => r.inFlightAtEnd)}`,
  );
}

/** Bytes the hub takes as a 1280 × 720 PNG (signature and IHDR; the pixels are never decoded). */
function png(): Uint8Array<ArrayBuffer> {
  const bytes = crypto.getRandomValues(new Uint8Array(2_048));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 5, 0, 0, 0, 2, 208]);
  return bytes;
}
