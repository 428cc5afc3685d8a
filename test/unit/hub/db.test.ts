import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactedUrl } from '../../../hub/db';
import { migrate, MIGRATIONS_DIR } from '../../../hub/migrate';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let scratch: string;

beforeAll(async () => {
  testDb = await openTestDatabase();
  scratch = await mkdtemp(join(tmpdir(), 'ohr-migrations-'));
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await testDb?.dispose();
});

describe('migrations', () => {
  it('records every file once, and running again applies nothing', async () => {
    const files = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
    const rows = await testDb.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(rows.map((row) => row.name)).toEqual(files);
    expect(files[0]).toBe('001_init.sql');
    expect(await migrate(testDb.db)).toEqual([]);
  });

  it('applies new files in name order, each all-or-nothing', async () => {
    const dir = join(scratch, 'ordered');
    await mkdir(dir);
    await writeFile(join(dir, '002_b.sql'), 'INSERT INTO probe (step) VALUES (2);');
    await writeFile(join(dir, '001_a.sql'), 'CREATE TABLE probe (step integer NOT NULL); INSERT INTO probe (step) VALUES (1);');
    await writeFile(join(dir, '003_broken.sql'), 'INSERT INTO probe (step) VALUES (3); SELECT no_such_function();');
    await expect(migrate(testDb.db, dir)).rejects.toThrow();

    const steps = await testDb.db.query<{ step: number }>('SELECT step FROM probe ORDER BY step');
    expect(steps.map((row) => row.step)).toEqual([1, 2]);
    const applied = await testDb.db.query<{ name: string }>(
      "SELECT name FROM schema_migrations WHERE name IN ('001_a.sql', '002_b.sql', '003_broken.sql') ORDER BY name",
    );
    expect(applied.map((row) => row.name)).toEqual(['001_a.sql', '002_b.sql']);
  });
});

describe('Database', () => {
  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await testDb.db.exec('CREATE TABLE tx_probe (n integer NOT NULL)');
    await testDb.db.transaction((tx) => tx.query('INSERT INTO tx_probe (n) VALUES (1)'));
    await expect(
      testDb.db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe (n) VALUES (2)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await testDb.db.query('SELECT n FROM tx_probe')).toEqual([{ n: 1 }]);
  });

  it('round-trips bytes, JSON and times identically on both engines', async () => {
    const [row] = await testDb.db.query<{ b: Uint8Array; j: unknown; t: Date }>('SELECT $1::bytea AS b, $2::jsonb AS j, $3::timestamptz AS t', [
      new Uint8Array([0, 1, 254, 255]),
      JSON.stringify({ a: [1, 'two'] }),
      new Date('2026-11-25T10:00:00.123Z'),
    ]);
    expect(new Uint8Array(row!.b)).toEqual(new Uint8Array([0, 1, 254, 255]));
    expect(row!.j).toEqual({ a: [1, 'two'] });
    expect(new Date(row!.t).toISOString()).toBe('2026-11-25T10:00:00.123Z');
  });

  it('keeps the hub in its own schema when one is given', async () => {
    const [row] = await testDb.db.query<{ schema: string }>('SELECT current_schema() AS schema');
    if (process.env.DATABASE_URL) expect(row?.schema).toMatch(/^ohr_test_[0-9a-f]{12}$/);
    else expect(row?.schema).toBe('public');
  });

  it('redacts the password from a database URL', () => {
    expect(redactedUrl('postgres://ohr:hunter2@db:5432/ohr?schema=x')).toBe('postgres://ohr:***@db:5432/ohr?schema=x');
    expect(redactedUrl('postgres://ohr@db/ohr')).toBe('postgres://ohr@db/ohr');
  });
});
