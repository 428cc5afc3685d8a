/**
 * The benchmarks' server process (a child, so the load generator and the hub do not share one event loop): the real
 * hub, with rate limiting off (every request comes from 127.0.0.1) and info logs written to stdout (the parent
 * discards them, but their cost is counted), plus a bare Hono route that echoes the JSON body, as the baseline.
 *
 * Env (set by the parent): BENCH_DATABASE_URL (PostgreSQL; PGlite in a fresh data folder when empty), BENCH_DURABLE
 * (`0` opens PGlite with `durable: false`, fsync off; anything else is the hub's default, durable), BENCH_DATA_PARENT
 * (where the PGlite folder is made; default the OS temporary folder, which must be a real disk for fsync to cost).
 *
 * IPC: sends `{hubUrl, echoUrl, engine, durable}` when listening; answers `'stats'` with `{fsyncs, loop}`: PGlite's fsync(2)
 * calls so far (showing durability is really on; NaN on PostgreSQL) and the main thread's event-loop delay since the
 * last `'stats'` (p50, p99, max in ms: how long a ready socket could wait to be accepted or read); `'stop'` closes the
 * hub and exits.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { openDatabase } from '../../hub/db';
import { startHub } from '../../hub/server';

const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const durable = process.env.BENCH_DURABLE !== '0';
const schema = databaseUrl ? `ohr_bench_${randomBytes(4).toString('hex')}` : undefined;
// PGlite as a hub runs it by default: in a data folder on disk (in memory, its file system copies on every growth).
const dataDir = databaseUrl ? undefined : mkdtempSync(join(process.env.BENCH_DATA_PARENT || tmpdir(), 'ohr-bench-'));
// PGlite is opened here so `durable` can be chosen; the same options startHub would pass otherwise (its defaults).
const db = dataDir
  ? await openDatabase({ dataDir, durable, onFatal: (reason) => console.error(`bench hub: database failed for good: ${reason.message}`) })
  : undefined;
const hub = await startHub({
  port: 0,
  ...(db ? { db } : { databaseUrl, schema }),
  config: { rateLimit: { enabled: false }, logLevel: 'info', shutdownGraceMs: 0 },
});

const echo = new Hono();
echo.post('/echo', async (c) => c.json(await c.req.json()));
const echoServer = serve({ fetch: echo.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.send?.({ hubUrl: hub.url, echoUrl: `http://127.0.0.1:${info.port}/echo`, engine: hub.db.engine, durable: hub.db.engine === 'pglite' ? durable : true });
});

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

process.on('message', async (message) => {
  if (message === 'stats') {
    const fsyncs = hub.db.fsyncCount ? await hub.db.fsyncCount() : Number.NaN;
    const delay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
    loop.reset();
    process.send?.({ fsyncs, loop: delay });
    return;
  }
  if (message !== 'stop') return;
  echoServer.close();
  if (schema) await hub.db.query(`DROP SCHEMA ${schema} CASCADE`);
  await hub.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
