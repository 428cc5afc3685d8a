/**
 * The hub's one database interface, over two engines that speak the same SQL: PGlite (PostgreSQL compiled to WASM,
 * embedded, the default so a hub runs with no server to install) and a real PostgreSQL server through `pg`.
 * Handlers only ever see `Database`, so the engine is a start-up choice, never a code path.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate } from './migrate';

/** What a handler or a transaction body can do. */
export interface Queryable {
  /** One statement with `$1`-style parameters; resolves to its rows. */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** A parameterless script of several statements (a migration file). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Where the data lives, in words safe to log (never a password). */
  readonly description: string;
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PGlite's directory; in memory when undefined or `memory://`. Ignored when `databaseUrl` is given. */
  dataDir?: string;
  /** `postgres://…` for a PostgreSQL server. A `?schema=NAME` parameter isolates the hub in that schema. */
  databaseUrl?: string;
  /** The schema to use (created if missing); overrides `?schema=` in the URL. */
  schema?: string;
  /** Set false to skip running migrations (tools that only read). */
  migrate?: boolean;
}

/** Opens the database the options name, puts the hub in its schema and brings the tables up to date. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const db = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.schema)
    : await openPglite(options.dataDir, options.schema);
  if (options.migrate !== false) {
    try {
      await migrate(db);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}

/** A schema name is spliced into SQL (identifiers cannot be parameters), so only plain names are allowed. */
function checkedSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Invalid schema name "${schema}": use lowercase letters, digits and underscores`);
  }
  return schema;
}

async function openPglite(dataDir: string | undefined, schema: string | undefined): Promise<Database> {
  // `memory://` is PGlite's own spelling for "no directory", handy from the command line.
  const directory = dataDir && !dataDir.startsWith('memory://') ? dataDir : undefined;
  if (directory) await mkdir(directory, { recursive: true });
  const lite = await PGlite.create(directory);
  if (schema) {
    // PGlite is a single session, so a session-level search_path holds for every later query.
    await lite.exec(`CREATE SCHEMA IF NOT EXISTS ${checkedSchema(schema)}; SET search_path TO ${schema}`);
  }
  const wrap = (target: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await target.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  });
  return {
    engine: 'pglite',
    description: `PGlite ${directory ? `in ${directory}` : 'in memory'}${schema ? ` (schema ${schema})` : ''}`,
    ...wrap(lite),
    transaction: (fn) => lite.transaction((tx) => fn(wrap(tx))),
    close: () => lite.close(),
  };
}

async function openPostgres(databaseUrl: string, schemaOption: string | undefined): Promise<Database> {
  const url = new URL(databaseUrl);
  const schema = schemaOption ?? (url.searchParams.get('schema') || undefined);
  url.searchParams.delete('schema');
  // A startup parameter sets search_path on every pooled connection before its first query, with no race.
  const pool = new pg.Pool({
    connectionString: url.toString(),
    ...(schema ? { options: `-c search_path=${checkedSchema(schema)}` } : {}),
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
  const wrap = (target: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const name = params.length > 0 ? statements.nameFor(sql) : undefined;
      return (await target.query({ text: sql, values: [...params], ...(name ? { name } : {}) })).rows as T[];
    },
    async exec(sql: string) {
      await target.query(sql);
    },
  });
  return {
    engine: 'postgres',
    description: `PostgreSQL at ${redactedUrl(databaseUrl)}${schema ? ` (schema ${schema})` : ''}`,
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
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
    close: () => pool.end(),
  };
}

/**
 * Names for server-side prepared statements. `pg` sends an unnamed statement through Parse, Bind and Execute every
 * time, so the server parses and plans the report insert (a five-part CTE) on every POST; a named statement is parsed
 * once per pooled connection and then only bound and executed. Only parameterised statements are named (the hub's
 * own, fixed SQL), and at most `MAX_NAMED` of them, so SQL built at run time cannot grow the cache without bound.
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
