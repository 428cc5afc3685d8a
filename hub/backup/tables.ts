/**
 * What a backup carries, found from the database's own catalogue rather than a list of tables: whatever tables the
 * migrations made (today's and later ones) are carried without this code knowing their names.
 */
import type { Queryable } from '../db';

/**
 * Tables not carried as rows:
 * - `schema_migrations`: carried as the list of applied migrations; a restore runs the same ones first.
 * - `evidence_chunks`: the database's store of evidence bytes. The bytes are carried as one file per evidence hash,
 *   read through the evidence store, so a backup holds them wherever the hub keeps them.
 * - `sessions`: sign-ins end with a restore; everyone signs in again. A session copied into a backup would be a live
 *   credential in a file that may be kept for years.
 */
export const NOT_CARRIED = new Set(['schema_migrations', 'evidence_chunks', 'sessions']);

export interface TableShape {
  name: string;
  /** Columns written on restore: all but generated ones (recomputed from the others). */
  columns: string[];
  /** Identity columns (GENERATED ... AS IDENTITY): restored with their values, sequences moved past them. */
  identity: string[];
  /** The table has an `expires_at` column: rows already expired are left out (idempotency answers, setup links). */
  expires: boolean;
  /**
   * UNLOGGED (the shared rate limits' buckets, salts and sign-in failures): a table PostgreSQL itself empties after a
   * crash holds nothing a backup should carry.
   */
  unlogged: boolean;
}

/** The ordinary tables of the current schema, each with the columns a restore writes. */
export async function tableShapes(db: Queryable): Promise<TableShape[]> {
  const rows = await db.query<{ table: string; column: string; generated: string; identity: string; unlogged: boolean }>(
    `SELECT c.relname AS table, a.attname AS column, a.attgenerated::text AS generated, a.attidentity::text AS identity,
            c.relpersistence = 'u' AS unlogged
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = current_schema() AND c.relkind = 'r'
      ORDER BY c.relname, a.attnum`,
  );
  const shapes = new Map<string, TableShape>();
  for (const row of rows) {
    const shape = shapes.get(row.table) ?? { name: row.table, columns: [], identity: [], expires: false, unlogged: row.unlogged };
    shapes.set(row.table, shape);
    if (row.generated === 's') continue;
    shape.columns.push(row.column);
    if (row.identity === 'a' || row.identity === 'd') shape.identity.push(row.column);
    if (row.column === 'expires_at') shape.expires = true;
  }
  return [...shapes.values()];
}

/** An identifier quoted for SQL (names come from the catalogue, but a name is never trusted to be plain). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The applied migrations, by name, in order; empty when the table does not exist. */
export async function appliedMigrations(db: Queryable): Promise<string[]> {
  const [exists] = await db.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = current_schema() AND c.relname = 'schema_migrations' AND c.relkind = 'r') AS found`,
  );
  if (!exists?.found) return [];
  const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
  return rows.map((row) => row.name);
}
