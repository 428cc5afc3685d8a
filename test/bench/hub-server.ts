/**
 * The benchmark's server process (a child, so autocannon and the hub do not share one event loop): the real hub, with
 * rate limiting off (every request comes from 127.0.0.1) and info logs written to stdout (the parent discards them, but
 * their cost is counted), plus a bare Hono route that echoes the JSON body, as the baseline.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { startHub } from '../../hub/server';

const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const schema = databaseUrl ? `ohr_bench_${randomBytes(4).toString('hex')}` : undefined;
// PGlite as a hub runs it by default: in a data folder on disk (in memory, its file system copies on every growth).
const dataDir = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'ohr-bench-'));
const hub = await startHub({
  port: 0,
  ...(databaseUrl ? { databaseUrl, schema } : { dataDir }),
  config: { rateLimit: { enabled: false }, logLevel: 'info' },
});

const echo = new Hono();
echo.post('/echo', async (c) => c.json(await c.req.json()));
const echoServer = serve({ fetch: echo.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.send?.({ hubUrl: hub.url, echoUrl: `http://127.0.0.1:${info.port}/echo` });
});

process.on('message', async (message) => {
  if (message !== 'stop') return;
  echoServer.close();
  if (schema) await hub.db.query(`DROP SCHEMA ${schema} CASCADE`);
  await hub.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
