/**
 * `npm run bench:uploads`: does the hub stay live while it stores large evidence? (issue 14, "Large evidence uploads
 * stall everything": one 10 MB PUT used to hold PGlite about 20 s, /healthz waiting 19.5 s.)
 *
 * For each engine, in a fresh hub child process (test/bench/hub-server.ts, rate limiting off): first the hub idle, then
 * one 10,000,000-byte evidence upload alone (the default `maxEvidenceBytes`), then BENCH_ROUNDS rounds of ten such
 * uploads sent at once (fresh files each round), while three probes each
 * open a new connection every BENCH_PROBE_MS (open loop: a slow answer does not delay the next probe, so a stall shows
 * in the percentiles instead of hiding): GET /healthz (asks the database briefly), GET of a report's status (a database
 * read behind the uploads' writes) and GET /.well-known/ohr (discovery, no database: is the server accepting and
 * answering at all). The same probes on the idle hub are the baseline; ratios are within one run.
 *
 * Each upload is a valid-looking PNG (signature and IHDR of 64 × 48, then random bytes) under its SHA-256. The hub
 * writes at most `evidenceWritesAtOnce` (default 4) at once; the others wait up to 10 s, then get 503 + Retry-After.
 * The client here does what the extension does: waits Retry-After and sends again, until every file is stored. The
 * first attempts' answers (201 / 503) and the time until all ten were stored are reported.
 *
 * Env: BENCH_ENGINES (comma-separated from `pglite`, `pglite-nosync`, `postgres`; default
 * `pglite,pglite-nosync,postgres`; fsync off shows what durability costs here),
 * BENCH_UPLOADS (10), BENCH_ROUNDS (3), BENCH_UPLOAD_BYTES (10000000), BENCH_IDLE_SECONDS (10), BENCH_PROBE_MS (100),
 * BENCH_DATABASE_URL or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; skipped if unreachable),
 * BENCH_DATA_PARENT (where PGlite's folder goes). Prints numbers; asserts nothing (nothing in `npm test` runs this).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { sha256Hex } from '../../lib/hash';
import { sampleReport } from '../fixtures/report';
import { machine, postgresReachable, shownUrl, startServer, type BenchEngine, type BenchServer, type ServerStats } from './hub-process';

const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,pglite-nosync,postgres').split(',').map((name) => name.trim());
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 10);
const UPLOAD_BYTES = Number(process.env.BENCH_UPLOAD_BYTES ?? 10_000_000);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const PROBE_MS = Number(process.env.BENCH_PROBE_MS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const POSTGRES = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
/** A probe with no answer in this long counts as a time-out (a load balancer would have given up long before). */
const PROBE_TIMEOUT_MS = 30_000;
/** Uploads still not stored after this long are given up on (and reported). */
const UPLOAD_DEADLINE_MS = 300_000;

/** PNG signature and an IHDR of `width` × `height`, then random bytes to `size` (as test/unit/hub/helpers.ts pngBytes). */
function pngBytes(size: number, width = 64, height = 48): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(randomBytes(size).buffer.slice(0, size));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return bytes;
}

interface Answer {
  status: number;
  ms: number;
  retryAfter?: string;
  body: string;
}

/** One HTTP request on a new connection (`agent: false`, as a load balancer's probe); status 0 = no answer (error). */
function send(url: string, options: { method?: string; headers?: Record<string, string | number>; body?: Uint8Array; timeoutMs?: number } = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number, body: string, retryAfter?: string) => resolve({ status, ms: performance.now() - started, body, ...(retryAfter ? { retryAfter } : {}) });
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), res.headers['retry-after']));
      res.on('error', (error) => done(0, String(error)));
    });
    req.setTimeout(options.timeoutMs ?? PROBE_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    // A 503 may come while the body is still being written; the answer counts, not the broken pipe after it.
    req.on('error', (error) => done(0, String(error.message)));
    req.end(options.body);
  });
}

interface Probe {
  name: string;
  url: string;
  headers?: Record<string, string>;
}

interface ProbeStats {
  count: number;
  p50: number;
  p99: number;
  max: number;
  timeouts: number;
  /** Answers other than 200, by status (0 = connection error). */
  other: Record<number, number>;
}

function stats(answers: Answer[]): ProbeStats {
  const ms = answers.filter((answer) => answer.status !== 0 || !answer.body.includes('timeout')).map((answer) => answer.ms).sort((a, b) => a - b);
  const at = (q: number) => (ms.length ? ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]! : Number.NaN);
  const other: Record<number, number> = {};
  for (const answer of answers) if (answer.status !== 200) other[answer.status] = (other[answer.status] ?? 0) + 1;
  return {
    count: answers.length,
    p50: at(0.5),
    p99: at(0.99),
    max: ms.at(-1) ?? Number.NaN,
    timeouts: answers.filter((answer) => answer.status === 0 && answer.body.includes('timeout')).length,
    other,
  };
}

/** Probes every PROBE_MS (open loop) until `stop` resolves; resolves with every answer once the last one is in. */
async function probing(probe: Probe, stop: Promise<void>, offsetMs: number): Promise<Answer[]> {
  const pending: Array<Promise<Answer>> = [];
  let stopped = false;
  void stop.then(() => (stopped = true));
  await new Promise((resolve) => setTimeout(resolve, offsetMs));
  const started = performance.now();
  for (let n = 0; !stopped; n++) {
    pending.push(send(probe.url, { headers: probe.headers ?? {} }));
    const next = started + (n + 1) * PROBE_MS;
    await Promise.race([new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now()))), stop]);
  }
  return Promise.all(pending);
}

/** Every probe's answers while `stop` is pending. */
async function probeAll(probes: Probe[], stop: Promise<void>): Promise<Answer[][]> {
  return Promise.all(probes.map((probe, index) => probing(probe, stop, (index * PROBE_MS) / probes.length)));
}

interface Upload {
  firstStatus: number;
  firstMs: number;
  attempts: number;
  finalStatus: number;
  storedAfterMs: number;
}

/** PUTs the file, waiting Retry-After and sending again on 503, as a client following the protocol does. */
async function upload(hubUrl: string, bytes: Uint8Array, sha256: string, startedAt: number): Promise<Upload> {
  let first: Answer | undefined;
  let attempts = 0;
  for (;;) {
    attempts++;
    const answer = await send(`${hubUrl}/api/v1/evidence/${sha256}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/png', 'Content-Length': bytes.byteLength },
      body: bytes,
      timeoutMs: UPLOAD_DEADLINE_MS,
    });
    first ??= answer;
    const elapsed = performance.now() - startedAt;
    if (answer.status !== 503 || elapsed > UPLOAD_DEADLINE_MS) {
      if (answer.status !== 201 && answer.status !== 200) console.log(`  upload answered ${answer.status}: ${answer.body.slice(0, 200)}`);
      return { firstStatus: first.status, firstMs: first.ms, attempts, finalStatus: answer.status, storedAfterMs: elapsed };
    }
    await new Promise((resolve) => setTimeout(resolve, Number(answer.retryAfter ?? 2) * 1000));
  }
}

/** Files one small report and returns the probe for its status address. */
async function statusProbe(hubUrl: string): Promise<Probe> {
  const bytes = pngBytes(2_048);
  const sha256 = await sha256Hex(bytes);
  const put = await send(`${hubUrl}/api/v1/evidence/${sha256}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: bytes });
  if (put.status !== 201) throw new Error(`evidence upload: ${put.status} ${put.body}`);
  const id = randomUUID();
  const base = sampleReport({ id });
  const item = base.items[0]!;
  const report = { ...base, items: [{ ...item, evidence: [{ sha256, mediaType: 'image/png', bytes: bytes.byteLength, kind: 'screenshot' }] }] };
  const filed = await send(`${hubUrl}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': id },
    body: new TextEncoder().encode(JSON.stringify(report)),
  });
  if (filed.status !== 201) throw new Error(`report: ${filed.status} ${filed.body}`);
  const receipt = JSON.parse(filed.body) as { reference: string; statusToken: string };
  return { name: 'report status', url: `${hubUrl}/api/v1/reports/${receipt.reference}/status`, headers: { Authorization: `Bearer ${receipt.statusToken}` } };
}

interface Burst {
  uploads: Upload[];
  /** The hub's main-thread event-loop delay while the uploads ran (ms). */
  loop: ServerStats['loop'];
  allStoredMs: number;
  /** Per probe, its answers while the uploads ran. */
  answers: Answer[][];
}

/** `count` fresh files sent at once while the probes run; the probes stop when the last file is stored. */
async function burst(server: BenchServer, probes: Probe[], count: number): Promise<Burst> {
  const hubUrl = server.hubUrl;
  // Fresh files (new hashes), made before the clock starts.
  const files = await Promise.all(
    Array.from({ length: count }, async () => {
      const bytes = pngBytes(UPLOAD_BYTES);
      return { bytes, sha256: await sha256Hex(bytes) };
    }),
  );
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await server.stats();
  const probed = probeAll(probes, finished);
  // Let the probes start first, so a stall, if any, is seen from its beginning.
  await new Promise((resolve) => setTimeout(resolve, PROBE_MS));
  const startedAt = performance.now();
  const uploads = await Promise.all(files.map((file) => upload(hubUrl, file.bytes, file.sha256, startedAt)));
  const allStoredMs = performance.now() - startedAt;
  finish();
  const answers = await probed;
  return { uploads, allStoredMs, answers, loop: (await server.stats()).loop };
}

const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : value >= 100 ? value.toFixed(0) : value.toFixed(1));
const s1 = (value: number) => (value / 1000).toFixed(1);
const times = (a: number, b: number) => (b > 0 ? `×${(a / b).toFixed(1)}` : 'n/a');
const line = (s: ProbeStats) =>
  `p50 ${ms(s.p50).padStart(6)} ms  p99 ${ms(s.p99).padStart(6)} ms  max ${ms(s.max).padStart(6)} ms  (${s.count} probes, ${s.timeouts} time-outs` +
  `${Object.keys(s.other).length ? `, not 200: ${JSON.stringify(s.other)}` : ''})`;

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
  `OHR hub under large uploads, ${new Date().toISOString()}: ${ROUNDS} rounds of ${UPLOADS} × ${UPLOAD_BYTES.toLocaleString('en')}-byte evidence PUTs at once ` +
    `(after one alone); probes every ${PROBE_MS} ms each on a new connection; idle baseline ${IDLE_SECONDS} s`,
);
console.log(`${machine()}; load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} at start\n`);

const summary: string[] = [];
for (const engine of engines) {
  const server = await startServer(engine);
  try {
    const probes: Probe[] = [
      { name: '/healthz', url: `${server.hubUrl}/healthz` },
      await statusProbe(server.hubUrl),
      { name: 'discovery', url: `${server.hubUrl}/.well-known/ohr` },
    ];
    await server.stats();
    const idle = (await probeAll(probes, new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000)))).map(stats);
    const idleLoop = (await server.stats()).loop;
    console.log(`${engine.label}`);
    const alone = await burst(server, probes, 1);
    const aloneHealth = stats(alone.answers[0]!);
    console.log(
      `  one upload alone: ${alone.uploads[0]!.finalStatus} after ${s1(alone.allStoredMs)} s; /healthz meanwhile ${line(aloneHealth)}; ` +
        `report status p99 ${ms(stats(alone.answers[1]!).p99)} ms`,
    );
    const bursts: Burst[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const result = await burst(server, probes, UPLOADS);
      bursts.push(result);
      const { uploads } = result;
      const first = (status: number) => uploads.filter((u) => u.firstStatus === status);
      const firstOther = uploads.filter((u) => u.firstStatus !== 201 && u.firstStatus !== 503).map((u) => u.firstStatus);
      console.log(
        `  round ${round}: first attempts ${first(201).length} × 201, ${first(503).length} × 503${firstOther.length ? `, other ${JSON.stringify(firstOther)}` : ''} ` +
          `(201s after ${first(201).map((u) => s1(u.firstMs)).join(', ')} s; 503s after ${first(503).map((u) => s1(u.firstMs)).join(', ') || '-'} s); ` +
          `finally ${uploads.filter((u) => u.finalStatus === 201).length} × 201 after ${uploads.reduce((sum, u) => sum + u.attempts, 0) - UPLOADS} resends, ` +
          `all stored in ${s1(result.allStoredMs)} s (${((UPLOADS * UPLOAD_BYTES) / 1e6 / (result.allStoredMs / 1000)).toFixed(1)} MB/s); ` +
          `/healthz p99 this round ${ms(stats(result.answers[0]!).p99)} ms; hub event-loop delay p99 ${ms(result.loop.p99)} ms, max ${ms(result.loop.max)} ms`,
      );
    }
    const busy = probes.map((_, index) => stats(bursts.flatMap((b) => b.answers[index]!)));
    const busySeconds = bursts.reduce((sum, b) => sum + b.allStoredMs, 0) / 1000;
    console.log(`  probes on the idle hub, then during the ${ROUNDS} rounds (${busySeconds.toFixed(1)} s of uploading):`);
    probes.forEach((probe, index) => {
      const [i, b] = [idle[index]!, busy[index]!];
      console.log(`  ${probe.name.padEnd(14)} idle         ${line(i)}`);
      console.log(`  ${''.padEnd(14)} uploading    ${line(b)}`);
      console.log(`  ${''.padEnd(14)} ratio        p50 ${times(b.p50, i.p50)}  p99 ${times(b.p99, i.p99)}`);
    });
    const loopMax = Math.max(...bursts.map((b) => b.loop.max));
    console.log(
      `  hub main-thread event-loop delay: idle p99 ${ms(idleLoop.p99)} ms, max ${ms(idleLoop.max)} ms; uploading, worst round p99 ${ms(Math.max(...bursts.map((b) => b.loop.p99)))} ms, max ${ms(loopMax)} ms`,
    );
    console.log(`  load ${loadavg()[0]!.toFixed(2)}\n`);
    const all = bursts.flatMap((b) => b.uploads);
    const [hi, hb] = [idle[0]!, busy[0]!];
    summary.push(
      `  ${engine.label}: /healthz during uploads p50 ${ms(hb.p50)} ms, p99 ${ms(hb.p99)} ms, max ${ms(hb.max)} ms, ${hb.timeouts} time-outs ` +
        `(idle p50 ${ms(hi.p50)} ms, p99 ${ms(hi.p99)} ms: p50 ${times(hb.p50, hi.p50)}, p99 ${times(hb.p99, hi.p99)}); ` +
        `report status p50 ${ms(busy[1]!.p50)} / p99 ${ms(busy[1]!.p99)} ms (idle ${ms(idle[1]!.p50)} / ${ms(idle[1]!.p99)}); ` +
        `first attempts ${all.filter((u) => u.firstStatus === 201).length} × 201 / ${all.filter((u) => u.firstStatus === 503).length} × 503 over ${ROUNDS} rounds; ` +
        `${UPLOADS} stored in ${bursts.map((b) => s1(b.allStoredMs)).join(', ')} s; one alone ${s1(alone.allStoredMs)} s; hub event-loop delay max ${ms(loopMax)} ms`,
    );
  } finally {
    await server.stop();
  }
}
console.log('Summary');
for (const entry of summary) console.log(entry);
