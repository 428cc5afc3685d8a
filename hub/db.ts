/**
 * The hub's one database interface, over two engines that speak the same SQL: PGlite (PostgreSQL compiled to WASM,
 * embedded, the default so a hub runs with no server to install) and a real PostgreSQL server through `pg`.
 * Handlers only ever see `Database`, so the engine is a start-up choice, never a code path.
 */
import { mkdir, stat } from 'node:fs/promises';
import pg from 'pg';
import { migrate } from './migrate';
import { diagnoseFolder, unavailabilityOf, type Unavailability } from './storage/availability';
import { lockDataFolder, type FolderLock } from './storage/folder-lock';
import { openPgliteWorker } from './storage/pglite';

/** How one statement is sent. */
export interface QueryOptions {
  /**
   * `false`: send it as an unnamed statement, planned for the values bound this time (a custom plan) instead of
   * being named and, after five runs, given one generic plan that cannot see the values. For queries whose best plan
   * depends on the values (the triage queue's filters and searches). Default: named, as the hub's own fixed SQL is.
   */
  prepare?: boolean;
}

/** What a handler or a transaction body can do. */
export interface Queryable {
  /**
   * One statement with `$1`-style parameters; resolves to its rows. Always the extended protocol, so the text is one
   * statement even without parameters (a second one is an error, never run). Values are never SQL text: pass them.
   */
  query<T>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<T[]>;
  /** A parameterless script of several statements (a migration file). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Where the data lives, in words safe to log (never a password). */
  readonly description: string;
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Whether the database can take work now, known without asking it (so /healthz never waits behind a statement). */
  health(): DatabaseHealth;
  /** PGlite only: start-up work (migrations) is done; from now on a statement that runs too long means a stuck engine. */
  inService?(): void;
  /** PGlite only: fsync(2) calls made so far, to show that commits reach the disk. */
  fsyncCount?(): Promise<number>;
  close(): Promise<void>;
}

export type DatabaseHealth = { ok: true } | { ok: false; reason: Unavailability };

export interface DatabaseOptions {
  /** PGlite's directory; in memory when undefined or `memory://`. Ignored when `databaseUrl` is given. */
  dataDir?: string;
  /** `postgres://…` for a PostgreSQL server. A `?schema=NAME` parameter isolates the hub in that schema. */
  databaseUrl?: string;
  /** The schema to use (created if missing); overrides `?schema=` in the URL. */
  schema?: string;
  /** Set false to skip running migrations (tools that only read). */
  migrate?: boolean;
  /** Who opens a PGlite folder, said to a second opener (see storage/folder-lock.ts). Default: 'the OHR hub'. */
  purpose?: string;
  /** PGlite: fsync every commit. Default true; off only for throwaway folders (tests, benchmarks of the cost). */
  durable?: boolean;
  /** PGlite: a statement running longer than this means the engine is stuck (default 30 s). */
  stuckAfterMs?: number;
  /** PGlite: how long to keep reopening a failed engine before `onFatal` (default 60 s). */
  giveUpAfterMs?: number;
  /** PGlite: the engine failed for good; the server should exit non-zero so a supervisor restarts it. */
  onFatal?: (reason: Unavailability) => void;
}

/** Opens the database the options name, puts the hub in its schema and brings the tables up to date. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const db = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.schema)
    : await openPglite(options);
  if (options.migrate !== false) {
    try {
      await migrate(db);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  db.inService?.();
  return db;
}

/** A schema name is spliced into SQL (identifiers cannot be parameters), so only plain names are allowed. */
function checkedSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Invalid schema name "${schema}": use lowercase letters, digits and underscores`);
  }
  return schema;
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  // `memory://` is PGlite's own spelling for "no directory", handy from the command line.
  const directory = options.dataDir && !options.dataDir.startsWith('memory://') ? options.dataDir : undefined;
  let lock: FolderLock | undefined;
  if (directory) {
    await usableFolder(directory);
    // Two PGlite processes on one folder corrupt it; the lock is held for as long as this process has it open.
    lock = await lockDataFolder(directory, options.purpose ?? 'the OHR hub');
  }
  try {
    const db = await openPgliteWorker({
      directory,
      schema: options.schema === undefined ? undefined : checkedSchema(options.schema),
      durable: options.durable ?? true,
      stuckAfterMs: options.stuckAfterMs ?? 30_000,
      giveUpAfterMs: options.giveUpAfterMs ?? 60_000,
      onFatal: options.onFatal ?? (() => undefined),
    });
    return {
      ...db,
      async close() {
        try {
          await db.close();
        } finally {
          await lock?.release();
        }
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

/** Creates the folder if needed; refuses, in words, a path that is a file or a folder that cannot take writes. */
async function usableFolder(directory: string): Promise<void> {
  const found = await stat(directory).catch(() => undefined);
  if (found && !found.isDirectory()) throw new Error(`${directory} is a file, not a folder: give --data a folder for the database`);
  if (!found) await mkdir(directory, { recursive: true });
  const problem = await diagnoseFolder(directory);
  if (problem) throw new Error(problem.message);
}

async function openPostgres(databaseUrl: string, schemaOption: string | undefined): Promise<Database> {
  const url = new URL(databaseUrl);
  const schema = schemaOption ?? (url.searchParams.get('schema') || undefined);
  url.searchParams.delete('schema');
  // Startup parameters hold on every pooled connection before its first query, with no race: search_path, and
  // standard_conforming_strings pinned on whatever the database or role says (with it off, a backslash in a string
  // literal is an escape, which no SQL of the hub's is written for, and which turned quoted values into SQL).
  const startup = ['-c standard_conforming_strings=on', ...(schema ? [`-c search_path=${checkedSchema(schema)}`] : [])];
  const pool = new pg.Pool({
    connectionString: url.toString(),
    options: startup.join(' '),
    // A server that is down makes a request fail (503) within seconds instead of waiting for a connection forever.
    connectionTimeoutMillis: 5_000,
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const statements = new PreparedNames();
  // The last thing the server said about its availability, so /healthz can answer without queueing for a connection.
  let health: DatabaseHealth = { ok: true };
  const observe = async <T>(work: Promise<T>): Promise<T> => {
    try {
      const result = await work;
      health = { ok: true };
      return result;
    } catch (error) {
      const reason = unavailabilityOf(error);
      if (reason) health = { ok: false, reason };
      throw error;
    }
  };
  const wrap = (target: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}) {
      const name = params.length > 0 && options.prepare !== false ? statements.nameFor(sql) : undefined;
      // `queryMode: 'extended'` (not in pg's types): Parse/Bind/Execute even without parameters, so one statement only.
      const config = { text: sql, values: [...params], queryMode: 'extended', ...(name ? { name } : {}) } as pg.QueryConfig;
      return (await observe(target.query(config))).rows as T[];
    },
    async exec(sql: string) {
      await observe(target.query(sql));
    },
  });
  return {
    engine: 'postgres',
    description: `PostgreSQL at ${redactedUrl(databaseUrl)}${schema ? ` (schema ${schema})` : ''}`,
    ...wrap(pool),
    async transaction(fn) {
      const client = await observe(pool.connect());
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    health: () => health,
    close: () => pool.end(),
  };
}

/**
 * Names for server-side prepared statements. `pg` sends an unnamed statement through Parse, Bind and Execute every
 * time, so the server parses and plans the report insert (a five-part CTE) on every POST; a named statement is parsed
 * once per pooled connection and then only bound and executed. Only parameterised statements are named (the hub's
 * own, fixed SQL), and at most `MAX_NAMED` of them, so SQL built at run time cannot grow the cache without bound.
 * A caller whose plan depends on the values asks for an unnamed statement (`{ prepare: false }`): PostgreSQL plans
 * an unnamed statement for the values bound to it, every time.
 */
class PreparedNames {
  private static readonly MAX_NAMED = 200;
  private readonly names = new Map<string, string>();

  nameFor(sql: string): string | undefined {
    let name = this.names.get(sql);
    if (!name && this.names.size < PreparedNames.MAX_NAMED) {
      name = `ohr_${this.names.size}`;
      this.names.set(sql, name);
    }
    return name;
  }
}

/** The URL with its password replaced, for logs. */
export function redactedUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable database URL)';
  }
}
