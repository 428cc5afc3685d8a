/**
 * Starts test/bench/hub-server.ts as a child process for a benchmark (so the load generator and the hub do not share
 * one event loop) and talks to it over IPC. Shared by bench:hub and bench:uploads.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export interface BenchEngine {
  /** What the report calls it, e.g. "PGlite (durable)". */
  label: string;
  /** PostgreSQL URL, or undefined for PGlite in a fresh data folder. */
  databaseUrl?: string;
  /** PGlite only: false opens it with `durable: false` (fsync off). Default true, the hub's default. */
  durable?: boolean;
}

export interface BenchServer {
  hubUrl: string;
  echoUrl: string;
  engine: 'pglite' | 'postgres';
  durable: boolean;
  pid: number;
  /**
   * PGlite's fsync(2) calls so far (NaN on PostgreSQL), and the hub's main-thread event-loop delay (ms) since the
   * previous call: a call before and one after a measurement give the delay during it.
   */
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

export interface ServerStats {
  fsyncs: number;
  loop: { p50: number; p99: number; max: number };
}

export async function startServer(engine: BenchEngine): Promise<BenchServer> {
  const child = fork(fileURLToPath(new URL('./hub-server.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_DATABASE_URL: engine.databaseUrl ?? '', BENCH_DURABLE: engine.durable === false ? '0' : '1' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ hubUrl: string; echoUrl: string; engine: 'pglite' | 'postgres'; durable: boolean }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as never));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    ...ready,
    pid: child.pid!,
    stats: () =>
      new Promise<ServerStats>((resolve) => {
        // IPC is JSON: PostgreSQL's NaN arrives as null.
        child.once('message', (message) => {
          const stats = message as { fsyncs: number | null; loop: ServerStats['loop'] };
          resolve({ fsyncs: stats.fsyncs ?? Number.NaN, loop: stats.loop });
        });
        child.send('stats');
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

export async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** The URL with its password hidden, for printing. */
export const shownUrl = (url: string) => url.replace(/:[^:@/]+@/, ':***@');

/** CPU time (user + system) a process has used so far, in µs; NaN where /proc is unavailable. */
export function processCpuUs(pid: number | string): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The machine, for the record: CPU model and count, memory, Node. */
export function machine(): string {
  const model = cpus()[0]?.model.trim() || 'unknown CPU';
  return `${cpus().length} × ${model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
}
