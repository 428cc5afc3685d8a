/**
 * The audit log's hash chain (hub/migrations/007_retention.sql, hub/domain/audit.ts): every entry is chained when its
 * transaction commits, appends from several connections at once still make one unbroken chain, and an entry or a
 * payload changed behind the hub's back (as the database owner, with the append-only trigger off) is found by
 * verifyAuditChain, which names the entry.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendAudit, AuditAction, verifyAuditChain } from '../../../hub/domain/audit';
import { openDatabase } from '../../../hub/db';
import { migrate, MIGRATIONS_DIR } from '../../../hub/migrate';
import { verifyAuditCommand } from '../../../hub/audit-cli';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await openTestDatabase();
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb.dispose());

const db = () => testDb.db;

/** Runs `sql` as the owner with the append-only trigger off, as someone tampering with the database could. */
async function behindTheHubsBack(...statements: string[]): Promise<void> {
  await db().transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_entries DISABLE TRIGGER audit_log_append_only');
    for (const sql of statements) await tx.query(sql);
    await tx.query('ALTER TABLE audit_entries ENABLE TRIGGER audit_log_append_only');
  });
}

describe('the audit chain', () => {
  it('chains every entry, including ones appended at the same time from several transactions', async () => {
    await appendAudit(db(), { actorId: null, action: AuditAction.withdraw, reference: 'OHR-AAAA-0001', before: { status: 'received' }, after: { status: 'closed' } });
    await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        db().transaction(async (tx) => {
          await appendAudit(tx, { actorId: null, action: AuditAction.note, reference: `OHR-AAAA-${String(index).padStart(4, '0')}`, after: { body: `note ${index} — ünïcode ✓` } });
          await appendAudit(tx, { actorId: null, action: AuditAction.revealContact, reference: `OHR-AAAA-${String(index).padStart(4, '0')}` });
        }),
      ),
    );
    const verdict = await verifyAuditChain(db());
    expect(verdict.breaks).toEqual([]);
    expect(verdict).toMatchObject({ ok: true, entries: 25, head: { seq: '25' } });
    // Reads through the view as before the split.
    const [row] = await db().query<{ after: unknown; erased: boolean }>(`SELECT after, erased FROM audit_log WHERE reference = 'OHR-AAAA-0003' AND action = 'note'`);
    expect(row).toEqual({ after: { body: 'note 3 — ünïcode ✓' }, erased: false });
  }, SETUP_TIMEOUT_MS);

  it('is still append-only through the view and the table; a payload may be erased but never edited', async () => {
    await expect(db().query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db().query('DELETE FROM audit_entries')).rejects.toThrow(/append-only/);
    await expect(db().query(`UPDATE audit_entries SET hash = NULL, seq = NULL`)).rejects.toThrow(/append-only/);
    await expect(db().query(`UPDATE audit_payloads SET after = '{}'`)).rejects.toThrow(/never edited/);
    await db().query(`DELETE FROM audit_payloads WHERE entry_id = (SELECT id FROM audit_entries WHERE reference = 'OHR-AAAA-0003' AND action = 'note')`);
    const [row] = await db().query<{ after: unknown; erased: boolean }>(`SELECT after, erased FROM audit_log WHERE reference = 'OHR-AAAA-0003' AND action = 'note'`);
    expect(row).toEqual({ after: null, erased: true });
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('names an entry whose fields were edited, a payload that was edited and an entry that was deleted', async () => {
    const [edited] = await db().query<{ id: string; seq: string }>(`SELECT id::text, seq::text FROM audit_entries WHERE seq = 5`);
    await behindTheHubsBack(`UPDATE audit_entries SET reference = 'OHR-ZZZZ-9999' WHERE seq = 5`);
    const [payload] = await db().query<{ id: string; seq: string }>(
      `SELECT e.id::text, e.seq::text FROM audit_entries e JOIN audit_payloads p ON p.entry_id = e.id WHERE e.seq > 10 ORDER BY e.seq LIMIT 1`,
    );
    await db().transaction(async (tx) => {
      await tx.query('ALTER TABLE audit_payloads DISABLE TRIGGER audit_payloads_no_update');
      await tx.query(`UPDATE audit_payloads SET after = '{"body":"something else"}' WHERE entry_id = $1`, [payload!.id]);
      await tx.query('ALTER TABLE audit_payloads ENABLE TRIGGER audit_payloads_no_update');
    });
    const [after] = await db().query<{ id: string }>(`SELECT id::text FROM audit_entries WHERE seq = 21`);
    await behindTheHubsBack(
      `DELETE FROM audit_payloads WHERE entry_id = (SELECT id FROM audit_entries WHERE seq = 20)`,
      `DELETE FROM audit_entries WHERE seq = 20`,
    );

    const verdict = await verifyAuditChain(db());
    expect(verdict.ok).toBe(false);
    expect(verdict.breaks).toEqual([
      { id: edited!.id, seq: edited!.seq, problem: 'entry_hash' },
      { id: payload!.id, seq: payload!.seq, problem: 'payload_hash' },
      { id: after!.id, seq: '21', problem: 'gap' },
      { id: after!.id, seq: '21', problem: 'entry_hash' },
    ]);
  });

  it('finds an entry slipped in with the chain trigger off', async () => {
    await db().transaction(async (tx) => {
      await tx.query('ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_chain');
      await tx.query(`INSERT INTO audit_entries (actor_id, action, reference) VALUES (NULL, 'status', 'OHR-AAAA-0001')`);
      await tx.query('ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_chain');
    });
    expect((await verifyAuditChain(db())).breaks).toContainEqual(expect.objectContaining({ seq: null, problem: 'unchained' }));
  });

  it.runIf(process.env.DATABASE_URL)('is checked by `npm run hub -- verify-audit`, which lists the breaks and exits 1', async () => {
    const [{ schema } = { schema: '' }] = await db().query<{ schema: string }>('SELECT current_schema() AS schema');
    const lines: string[] = [];
    const io = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    expect(await verifyAuditCommand([], { DATABASE_URL: `${process.env.DATABASE_URL}?schema=${schema}` }, io)).toBe(1);
    expect(lines[0]).toMatch(/^The audit log's chain is broken: 5 problem\(s\) in 24 entries\. Last entry: #25,/);
    expect(lines.join('\n')).toContain('deleted');
  });
});

describe('appends waiting on each other', () => {
  // Chaining at commit: a transaction that appends and then waits for a report row another transaction holds (a
  // cluster action does this) must not hold the chain's lock while it waits, or the other one, appending too, deadlocks.
  it.runIf(process.env.DATABASE_URL)('does not make two appending transactions that wait for each other\'s rows deadlock', async () => {
    await db().query(`CREATE TABLE chain_rows (name text PRIMARY KEY)`);
    await db().query(`INSERT INTO chain_rows VALUES ('one'), ('two')`);
    let releaseSecond!: () => void;
    const secondMayCommit = new Promise<void>((resolve) => (releaseSecond = resolve));
    let secondHolds!: () => void;
    const secondHolding = new Promise<void>((resolve) => (secondHolds = resolve));
    const second = db().transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM chain_rows WHERE name = 'two' FOR UPDATE`);
      await appendAudit(tx, { actorId: null, action: AuditAction.status, reference: 'OHR-BBBB-0002', after: { status: 'closed' } });
      secondHolds();
      await secondMayCommit;
    });
    const first = db().transaction(async (tx) => {
      await secondHolding;
      await tx.query(`SELECT 1 FROM chain_rows WHERE name = 'one' FOR UPDATE`);
      await appendAudit(tx, { actorId: null, action: AuditAction.status, reference: 'OHR-BBBB-0001', after: { status: 'closed' } });
      const waiting = tx.query(`SELECT 1 FROM chain_rows WHERE name = 'two' FOR UPDATE`);
      // Only once this transaction is really waiting for the row does the other one go on to commit.
      await vi.waitFor(async () => expect(await db().query(`SELECT 1 FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'`)).not.toEqual([]), { timeout: 20_000 });
      releaseSecond();
      await waiting;
    });
    await expect(Promise.all([first, second])).resolves.toBeDefined();
    const chained = await db().query<{ reference: string }>(`SELECT reference FROM audit_entries WHERE reference LIKE 'OHR-BBBB-%' ORDER BY seq`);
    expect(chained.map((row) => row.reference)).toEqual(['OHR-BBBB-0002', 'OHR-BBBB-0001']);
  });
});

describe('the migration that split the log', () => {
  it('moves existing payloads and chains existing entries in their order', async () => {
    const schema = `ohr_test_${randomBytes(6).toString('hex')}`;
    const older = process.env.DATABASE_URL ? await openDatabase({ databaseUrl: process.env.DATABASE_URL, schema, migrate: false }) : await openDatabase({ migrate: false });
    const earlier = await mkdtemp(join(tmpdir(), 'ohr-migrations-'));
    try {
      // A database as it was before 007, with entries in the one-table log.
      for (const name of (await readdir(MIGRATIONS_DIR)).filter((file) => file < '007')) await copyFile(join(MIGRATIONS_DIR, name), join(earlier, name));
      await migrate(older, earlier);
      await older.query(`INSERT INTO audit_log (action, reference, before, after) VALUES ('status', 'OHR-AAAA-0001', '{"status":"received"}', '{"status":"closed"}')`);
      await older.query(`INSERT INTO audit_log (action, reference) VALUES ('contact.reveal', 'OHR-AAAA-0001')`);
      await older.query(`INSERT INTO audit_log (action, reference, after) VALUES ('note', 'OHR-AAAA-0001', '{"body":"a note"}')`);

      await migrate(older);
      const rows = await older.query<{ action: string; before: unknown; after: unknown }>(`SELECT action, before, after FROM audit_log ORDER BY id`);
      expect(rows).toEqual([
        { action: 'status', before: { status: 'received' }, after: { status: 'closed' } },
        { action: 'contact.reveal', before: null, after: null },
        { action: 'note', before: null, after: { body: 'a note' } },
      ]);
      expect(await verifyAuditChain(older)).toMatchObject({ ok: true, entries: 3, head: { seq: '3' } });
      await appendAudit(older, { actorId: null, action: AuditAction.note, reference: 'OHR-AAAA-0001', after: { body: 'after the move' } });
      expect(await verifyAuditChain(older)).toMatchObject({ ok: true, entries: 4 });
      if (process.env.DATABASE_URL) {
        const lines: string[] = [];
        const io = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
        expect(await verifyAuditCommand([], { DATABASE_URL: `${process.env.DATABASE_URL}?schema=${schema}` }, io)).toBe(0);
        expect(lines[0]).toMatch(/^The audit log's chain holds: 4 entries checked\. Last entry: #4, hash [0-9a-f]{64}\.$/);
      }
    } finally {
      await rm(earlier, { recursive: true, force: true });
      if (process.env.DATABASE_URL) await older.query(`DROP SCHEMA ${schema} CASCADE`);
      await older.close();
    }
  }, SETUP_TIMEOUT_MS);
});
