// @ts-check
/**
 * PGlite in a worker thread. PGlite runs each statement synchronously in WebAssembly, so on the main thread one slow
 * statement (a 10 MB insert, a WAL write that never finishes) stops the whole hub from accepting connections, answering
 * /healthz or hearing SIGTERM. Here it can only stop this thread, which the main thread watches and can terminate.
 *
 * Plain JavaScript on purpose: a worker is loaded by Node itself, outside whatever compiles the hub's TypeScript
 * (tsx, Vitest, Playwright), so this file must run as it is. It only relays messages; every decision is in pglite.ts.
 *
 * Messages in:  {id, op: 'query', sql, params} | {id, op: 'exec', sql} | {id, op: 'close'}
 * Messages out: {op: 'ready'} | {op: 'failed', error} | {id, rows} | {id, error} | {op: 'fatal', error}
 */
import { fsyncSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/** @typedef {{ name: string, message: string, code?: string, fatal: boolean }} WireError */

const port = parentPort;
if (!port) throw new Error('pglite-worker.mjs runs only as a worker thread');

/** @type {{ dataDir?: string, durable: boolean, schema?: string }} */
const options = workerData;

/** @returns {WireError} */
function describe(/** @type {unknown} */ error) {
  if (error instanceof Error) {
    const code = /** @type {{ code?: unknown }} */ (error).code;
    // A PostgreSQL error (it has a SQLSTATE) leaves the session usable; anything else (a WebAssembly trap, an abort
    // after a PANIC, an exit) means this PGlite instance is gone and must be replaced.
    const sqlstate = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
    return { name: error.name, message: error.message, ...(sqlstate ? { code: sqlstate } : {}), fatal: !sqlstate };
  }
  return { name: 'Error', message: String(error), fatal: true };
}

/**
 * PGlite starts PostgreSQL with -F (fsync off), and its Node file system maps neither fsync nor fdatasync to the real
 * system calls. Durability needs both changes: fsync=on with wal_sync_method=fsync (fdatasync is a no-op in the
 * WebAssembly runtime, fsync reaches the file system's stream operation), and a stream operation that calls fsync(2).
 */
const startParams = options.durable
  ? [...PGlite.defaultStartParams.filter((param) => param !== '-F'), '-c', 'fsync=on', '-c', 'wal_sync_method=fsync']
  : undefined;

/** fsync(2) calls made, for the durability test (a commit must cause at least one). */
let fsyncs = 0;

/** @param {PGlite} lite */
function syncToDisk(lite) {
  /** @type {{ NODEFS?: { stream_ops: Record<string, unknown> } }} */
  const mod = /** @type {any} */ (lite.Module);
  if (!mod.NODEFS) throw new Error('PGlite has no NODEFS: cannot make its writes durable');
  mod.NODEFS.stream_ops.fsync = (/** @type {{ nfd?: number }} */ stream) => {
    if (stream.nfd !== undefined) {
      fsyncSync(stream.nfd);
      fsyncs++;
    }
    return 0;
  };
}

/** @type {PGlite} */
let lite;
try {
  lite = await PGlite.create(options.dataDir, startParams ? { startParams } : {});
  if (options.durable && options.dataDir) syncToDisk(lite);
  // PGlite's default already, pinned as on every PostgreSQL connection (hub/db.ts): a backslash is never an escape.
  await lite.exec('SET standard_conforming_strings = on');
  if (options.schema) {
    // One session, so a session-level search_path holds for every later statement. The name was checked by the caller.
    await lite.exec(`CREATE SCHEMA IF NOT EXISTS ${options.schema}; SET search_path TO ${options.schema}`);
  }
  port.postMessage({ op: 'ready' });
} catch (error) {
  port.postMessage({ op: 'failed', error: describe(error) });
  process.exit(1);
}

port.on('message', async (/** @type {{ id: number, op: string, sql?: string, params?: unknown[] }} */ message) => {
  try {
    switch (message.op) {
      case 'query': {
        const result = await lite.query(/** @type {string} */ (message.sql), message.params ?? []);
        port.postMessage({ id: message.id, rows: result.rows });
        return;
      }
      case 'exec':
        await lite.exec(/** @type {string} */ (message.sql));
        port.postMessage({ id: message.id, rows: [] });
        return;
      case 'fsyncs':
        port.postMessage({ id: message.id, rows: [{ fsyncs }] });
        return;
      case 'close':
        await lite.close();
        port.postMessage({ id: message.id, rows: [] });
        port.close();
        return;
    }
  } catch (error) {
    const wire = describe(error);
    port.postMessage({ id: message.id, error: wire });
    if (wire.fatal) port.postMessage({ op: 'fatal', error: wire });
  }
});
