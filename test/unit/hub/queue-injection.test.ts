/**
 * Issue 17, finding 1: the queue's filter values must never become SQL text. The attack: on a PostgreSQL whose
 * `standard_conforming_strings` is off (a database setting an operator can change), a backslash escapes the quote
 * that doubling was meant to protect, and a moderator's search ran a stacked UPDATE that made them admin.
 * The defences tested here: (1) every connection the hub opens pins `standard_conforming_strings=on`, whatever the
 * database says; (2) the values are bound parameters, so even a session where the setting is off cannot be escaped.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Queryable } from '../../../hub/db';
import { countMatches, queuePage, queueSql, QueueParams } from '../../../hub/console/queue/query';
import { seedReport } from './console-queue-fixtures';
import { openTestDatabase, type TestDatabase } from './helpers';

const MODERATOR = '00000000-0000-4000-8000-0000000000a1';
/** A search that, spliced into SQL as a literal with only `'` doubled and backslashes live, closes the literal. */
const STACKED = `\\') OR true) AS x; UPDATE moderators SET role = $$admin$$ WHERE email = $$mod@hub.example$$; --`;
/** The same escape without stacking: turns "matches this word" into "matches everything". */
const WIDEN = `\\') OR true) AS x --`;

async function addModerator(db: Queryable): Promise<void> {
  await db.query(`INSERT INTO moderators (id, email, password_hash, role) VALUES ($1, 'mod@hub.example', 'x', 'moderator')`, [MODERATOR]);
}

async function roleOf(db: Queryable): Promise<string | undefined> {
  const [row] = await db.query<{ role: string }>('SELECT role FROM moderators WHERE id = $1', [MODERATOR]);
  return row?.role;
}

/** Runs the queue as the page does, ignoring any error: what matters is what the database did. */
async function search(db: Queryable, q: string): Promise<{ count?: number; rows?: number }> {
  const filters = QueueParams.parse({ status: 'all', q });
  const out: { count?: number; rows?: number } = {};
  try {
    out.count = await countMatches(db, filters, MODERATOR);
  } catch {
    // a stacked statement can leave the driver with a result it does not expect
  }
  try {
    out.rows = (await queuePage(db, filters, MODERATOR)).rows.length;
  } catch {
    // as above
  }
  return out;
}

describe('queue search values are never SQL text', () => {
  it('passes the hostile searches at the edge (they are ordinary text) and keeps them out of the SQL', () => {
    for (const q of [STACKED, WIDEN]) {
      const filters = QueueParams.parse({ status: 'all', q, platform: 'x', from: '2026-01-01' });
      const { sql, params } = queueSql(filters, MODERATOR);
      expect(sql).not.toContain('UPDATE');
      expect(sql).not.toContain('OR true');
      expect(sql).not.toMatch(/'2026-01-01/);
      expect(params).toContain(q);
    }
  });
});

describe('in a session whose standard_conforming_strings is off', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase();
    await addModerator(test.db);
    await seedReport(test.db, { incident: { summary: 'ordinary words only' } });
  }, 60_000);
  afterAll(() => test?.dispose());

  it('a search cannot escape its value (bound parameters), on either engine', async () => {
    await test.db.transaction(async (tx) => {
      await tx.query('SET LOCAL standard_conforming_strings = off');
      const widened = await search(tx, WIDEN);
      expect(widened).toEqual({ count: 0, rows: 0 });
      const stacked = await search(tx, STACKED);
      expect(stacked).toEqual({ count: 0, rows: 0 });
      expect(await roleOf(tx)).toBe('moderator');
    });
    expect(await roleOf(test.db)).toBe('moderator');
  });
});

/** A database of its own whose setting is off, as an operator might leave it: the attack as reported. */
describe.skipIf(!process.env.DATABASE_URL)('on a PostgreSQL database with standard_conforming_strings = off', () => {
  const name = `ohr_scs_off_${randomBytes(4).toString('hex')}`;
  const adminUrl = process.env.DATABASE_URL ?? '';
  let db: Database;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.query(`ALTER DATABASE ${name} SET standard_conforming_strings = off`);
    } finally {
      await admin.end();
    }
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    // A plain client on this database really has the setting off (so the attack would work on a naive connection).
    const plain = new pg.Client({ connectionString: url.toString() });
    await plain.connect();
    try {
      expect((await plain.query('SHOW standard_conforming_strings')).rows[0]?.standard_conforming_strings).toBe('off');
    } finally {
      await plain.end();
    }
    db = await openDatabase({ databaseUrl: url.toString() });
    // Seeded on a connection with the setting on: the triage columns' functions hold backslash literals, so an
    // insert on a connection with it off fails (one more reason the hub pins it).
    const seeder = new pg.Client({ connectionString: url.toString(), options: '-c standard_conforming_strings=on' });
    await seeder.connect();
    try {
      const q: Queryable = {
        query: async <T,>(sql: string, params: readonly unknown[] = []) => (await seeder.query(sql, [...params])).rows as T[],
        exec: async (sql: string) => void (await seeder.query(sql)),
      };
      await addModerator(q);
      await seedReport(q, { incident: { summary: 'ordinary words only' } });
    } finally {
      await seeder.end();
    }
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });

  it("pins the setting on for every one of the hub's connections", async () => {
    const settings = await Promise.all(
      Array.from({ length: 4 }, () => db.query<{ standard_conforming_strings: string }>('SHOW standard_conforming_strings')),
    );
    for (const [row] of settings) expect(row?.standard_conforming_strings).toBe('on');
    await db.transaction(async (tx) => {
      const [row] = await tx.query<{ standard_conforming_strings: string }>('SHOW standard_conforming_strings');
      expect(row?.standard_conforming_strings).toBe('on');
    });
  });

  it('a moderator cannot make themselves admin through the search box', async () => {
    const stacked = await search(db, STACKED);
    expect(await roleOf(db)).toBe('moderator');
    expect(stacked).toEqual({ count: 0, rows: 0 });
    expect(await search(db, WIDEN)).toEqual({ count: 0, rows: 0 });
  });
});
