/**
 * Plain SQL migrations: `hub/migrations/NNN_name.sql`, applied in name order, each in its own transaction together
 * with its row in `schema_migrations`, so a failed file leaves no half-made tables and is retried next start.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './db';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Applies the migrations not yet recorded; returns the names it applied. `include` limits them to some names (a
 * restore first brings an empty database to the backup's migrations, loads the rows, then applies the rest).
 */
export async function migrate(db: Database, dir: string = MIGRATIONS_DIR, include: (name: string) => boolean = () => true): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const files = (await migrationNames(dir)).filter(include);
  const applied: string[] = [];
  for (const name of files) {
    const sql = await readFile(`${dir}/${name}`, 'utf8');
    const didApply = await db.transaction(async (tx) => {
      // Two hubs starting against one server take turns here; the lock ends with the transaction.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.ohr_migrations'))`);
      const done = await tx.query<{ name: string }>('SELECT name FROM schema_migrations WHERE name = $1', [name]);
      if (done.length > 0) return false;
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
      return true;
    });
    if (didApply) applied.push(name);
  }
  return applied;
}

/** The migration files this hub has, in the order they apply. */
export async function migrationNames(dir: string = MIGRATIONS_DIR): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
}
