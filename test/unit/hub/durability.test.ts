/**
 * PGlite's own default is fsync off (-F), and its file system maps neither fsync nor fdatasync to the real system
 * calls: an operating-system crash or a power cut could then lose reports already answered 201. The hub turns both on.
 * This counts the fsync(2) calls the engine makes: every commit must reach the disk before its statement returns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../hub/db';
import { SETUP_TIMEOUT_MS } from './helpers';

const scratch = mkdtempSync(join(tmpdir(), 'ohr-durability-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const COMMITS = 20;

/**
 * Both cases open the same folder in turn: durability is how the engine is started, not something initdb writes into
 * the folder, and a second initdb (most of this file's time) would test nothing more.
 */
const folder = join(scratch, 'data');

async function fsyncsPerCommit(durable: boolean): Promise<number> {
  const db = await openDatabase({ dataDir: folder, durable, migrate: false });
  try {
    await db.exec('CREATE TABLE IF NOT EXISTS t (id serial PRIMARY KEY, v text)');
    const before = await db.fsyncCount!();
    for (let i = 0; i < COMMITS; i++) await db.query('INSERT INTO t (v) VALUES ($1)', [`row ${i}`]);
    return ((await db.fsyncCount!()) - before) / COMMITS;
  } finally {
    await db.close();
  }
}

describe.skipIf(Boolean(process.env.DATABASE_URL))('durable commits on PGlite', () => {
  it('fsyncs at every commit by default, and not at all when durability is turned off', async () => {
    expect(await fsyncsPerCommit(true)).toBeGreaterThanOrEqual(1);
    expect(await fsyncsPerCommit(false)).toBe(0);
  }, SETUP_TIMEOUT_MS * 2);
});
