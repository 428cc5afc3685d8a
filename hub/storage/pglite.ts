/**
 * The embedded engine: PGlite in a worker thread (pglite-worker.mjs), seen from the main thread as a `Database`.
 *
 * The main thread keeps accepting connections, answering /healthz and hearing SIGTERM whatever the database does. A
 * statement that runs longer than `stuckAfterMs` (a WAL write that can never finish on a full or read-only disk spins
 * forever inside WebAssembly) or an engine that crashed gets the worker terminated: what was committed is on disk, and
 * PostgreSQL's own crash recovery replays it when a new worker opens the folder. Meanwhile every statement is refused at
 * once with `DatabaseUnavailableError` (HTTP 503 with Retry-After), and the folder is reopened until it works or
 * `giveUpAfterMs` has passed, when `onFatal` tells the server to exit non-zero for its supervisor.
 */
import { Worker } from 'node:worker_threads';
import type { Database, DatabaseHealth, Queryable } from '../db';
import { DatabaseUnavailableError, diagnoseFolder, type Unavailability } from './availability';

export interface PgliteOptions {
  /** The data folder; in memory when undefined. */
  directory: string | undefined;
  schema: string | undefined;
  /** fsync on commit (on by default; see README "What survives"). */
  durable: boolean;
  /** A statement running longer than this is taken as a stuck engine. */
  stuckAfterMs: number;
  /** How long to keep trying to reopen a failed engine before `onFatal`. */
  giveUpAfterMs: number;
  onFatal: (reason: Unavailability) => void;
  /** Called after the engine was replaced, e.g. to re-run start-up checks. */
  onRecovered?: () => void;
}

interface WireError {
  name: string;
  message: string;
  code?: string;
  fatal: boolean;
}

type Reply = { id: number; rows: unknown[] } | { id: number; error: WireError };
type Event = { op: 'ready' } | { op: 'failed'; error: WireError } | { op: 'fatal'; error: WireError };

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (error: unknown) => void;
  startedAt: number;
}

/** A PostgreSQL error from the worker, with its SQLSTATE like one from `pg` or PGlite itself. */
export class EngineError extends Error {
  readonly code?: string;
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.code = wire.code;
  }
}

const WORKER_URL = new URL('./pglite-worker.mjs', import.meta.url);
const RETRY_MS = 2_000;
const WATCH_MS = 500;

/** One worker and its pending requests. */
class Engine {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  readonly ready: Promise<void>;
  /** Set when the worker died or was terminated; every later call rejects with it. */
  lost: unknown;

  constructor(
    options: PgliteOptions,
    private readonly onLost: (error: unknown) => void,
  ) {
    this.worker = new Worker(WORKER_URL, {
      workerData: { dataDir: options.directory, durable: options.durable && options.directory !== undefined, schema: options.schema },
    });
    this.ready = new Promise((resolve, reject) => {
      const onEvent = (message: Reply | Event) => {
        if ('op' in message && message.op === 'ready') resolve();
        else if ('op' in message && message.op === 'failed') reject(new EngineError(message.error));
      };
      this.worker.on('message', onEvent);
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`The database engine stopped while opening (exit ${code})`)));
    });
    this.worker.on('message', (message: Reply | Event) => this.receive(message));
    this.worker.on('error', (error) => this.lose(error));
    this.worker.on('exit', () => this.lose(new Error('The database engine stopped')));
  }

  call(op: 'query' | 'exec' | 'close' | 'fsyncs', sql?: string, params?: readonly unknown[]): Promise<unknown[]> {
    if (this.lost) return Promise.reject(this.lost);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, startedAt: performance.now() });
      this.worker.postMessage({ id, op, sql, params });
    });
  }

  /** How long the oldest unanswered request has waited, in ms (0 when none). */
  oldestWaitMs(now: number): number {
    let oldest = 0;
    for (const request of this.pending.values()) oldest = Math.max(oldest, now - request.startedAt);
    return oldest;
  }

  /** Stops the worker wherever it is (a spin in WebAssembly included) and fails what was waiting on it. */
  async terminate(reason: unknown): Promise<void> {
    this.lose(reason);
    await this.worker.terminate();
  }

  private receive(message: Reply | Event): void {
    if ('op' in message) {
      if (message.op === 'fatal') this.lose(new EngineError(message.error));
      return;
    }
    const request = this.pending.get(message.id);
    if (!request) return;
    this.pending.delete(message.id);
    if ('error' in message) request.reject(new EngineError(message.error));
    else request.resolve(message.rows);
  }

  private lose(error: unknown): void {
    if (this.lost) return;
    this.lost = error;
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
    this.onLost(error);
  }
}

/**
 * A mutual exclusion for the one PGlite session: a transaction holds it from BEGIN to COMMIT, so no other statement
 * can run inside someone else's transaction.
 */
class SessionLock {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/** Opens PGlite in a worker; rejects with the cause (and the folder's state) if it cannot start. */
export async function openPgliteWorker(options: PgliteOptions): Promise<Database> {
  const where = options.directory ? `in ${options.directory}` : 'in memory';
  let health: DatabaseHealth = { ok: true };
  let closed = false;
  let firstLossAt: number | undefined;
  // Declared before the first start, which may already report a lost worker.
  let engine!: Engine;

  const start = async (): Promise<Engine> => {
    const candidate = new Engine(options, (error) => void onLost(candidate, error));
    try {
      await candidate.ready;
      return candidate;
    } catch (error) {
      await candidate.terminate(error);
      const folder = options.directory ? await diagnoseFolder(options.directory) : undefined;
      throw new Error(
        `The embedded database ${where} could not be opened: ${error instanceof Error ? error.message : String(error)}` +
          (folder ? `. ${folder.message}` : ''),
      );
    }
  };

  engine = await start();
  const session = new SessionLock();

  const onLost = async (lostEngine: Engine, error: unknown) => {
    if (closed || lostEngine !== engine) return;
    firstLossAt ??= Date.now();
    // Refuse at once; the folder's diagnosis (a write test) refines the reason a moment later.
    health = { ok: false, reason: { reason: 'database_failed', message: `The embedded database stopped: ${describeError(error)}` } };
    const folder = options.directory ? await diagnoseFolder(options.directory) : undefined;
    if (folder && !health.ok) health = { ok: false, reason: { ...folder, message: `${folder.message}. ${health.reason.message}` } };
    void recover();
  };

  const recover = async () => {
    while (!closed) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      if (closed) return;
      try {
        engine = await start();
        health = { ok: true };
        firstLossAt = undefined;
        options.onRecovered?.();
        return;
      } catch (error) {
        if (!health.ok && Date.now() - (firstLossAt ?? Date.now()) >= options.giveUpAfterMs) {
          options.onFatal({ ...health.reason, message: `${health.reason.message} ${describeError(error)}` });
          return;
        }
      }
    }
  };

  // Migrations may legitimately run for minutes on a large database (ANALYZE took 55 s at a million reports), so the
  // watchdog only starts once the caller says the database is in service.
  let stuckAfterMs = Number.POSITIVE_INFINITY;
  const watchdog = setInterval(() => {
    if (!health.ok || closed) return;
    if (engine.oldestWaitMs(performance.now()) > stuckAfterMs) {
      void engine.terminate(new Error(`A database statement ran for more than ${stuckAfterMs / 1000} s`));
    }
  }, WATCH_MS);
  watchdog.unref();

  /** Every call refuses at once while the engine is being replaced, rather than queueing behind a dead one. */
  const send = (op: 'query' | 'exec', sql: string, params?: readonly unknown[]) => {
    if (!health.ok) return Promise.reject(new DatabaseUnavailableError(health.reason));
    return engine.call(op, sql, params).catch((error: unknown) => {
      if (error instanceof EngineError && error.code) throw error;
      throw new DatabaseUnavailableError(health.ok ? { reason: 'database_failed', message: describeError(error) } : health.reason);
    });
  };
  const direct: Queryable = {
    query: async <T>(sql: string, params: readonly unknown[] = []) => (await send('query', sql, [...params])) as T[],
    exec: async (sql: string) => void (await send('exec', sql)),
  };

  return {
    engine: 'pglite',
    description: `PGlite ${where}${options.schema ? ` (schema ${options.schema})` : ''}`,
    query: (sql, params) => session.run(() => direct.query(sql, params)),
    exec: (sql) => session.run(() => direct.exec(sql)),
    transaction: (fn) =>
      session.run(async () => {
        await direct.exec('BEGIN');
        try {
          const result = await fn(direct);
          await direct.exec('COMMIT');
          return result;
        } catch (error) {
          // After a lost engine there is nothing to roll back: the transaction died with it.
          await direct.exec('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    health: () => health,
    inService: () => void (stuckAfterMs = options.stuckAfterMs),
    fsyncCount: async () => ((await engine.call('fsyncs')) as Array<{ fsyncs: number }>)[0]?.fsyncs ?? 0,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(watchdog);
      // Let statements already queued finish; a lost engine has nothing to close.
      await session.run(async () => {
        if (!engine.lost) await engine.call('close').catch(() => undefined);
      });
      await engine.terminate(new Error('The database is closed'));
    },
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
