import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { Database } from '../../../hub/db';
import { IntakeBatcher, type IntakeRow } from '../../../hub/domain/intake-batch';
import { intakeRow } from '../../../hub/domain/intake';
import { Receipt, type Report } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';
import { createTestApp, describing, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;

beforeAll(async () => {
  testDb = await openTestDatabase();
  app = createTestApp({ db: testDb.db });
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

async function readyReport(): Promise<Report> {
  const { sha256, bytes } = await uploadPng(app);
  return describing(sampleReport(), sha256, bytes);
}

/** How many statements the batcher sent, through a database that counts them. */
function countingDb(db: Database, failWhen: (rows: IntakeRow[]) => boolean = () => false): { db: Database; statements: number[] } {
  const statements: number[] = [];
  const counting: Database = {
    ...db,
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const rows = JSON.parse(String(params[0])) as IntakeRow[];
      statements.push(rows.length);
      if (failWhen(rows)) throw new Error('statement failed');
      return db.query<T>(sql, params);
    },
  };
  return { db: counting, statements };
}

function rowFor(report: Report, reference: string): IntakeRow {
  return intakeRow(report, {
    reference,
    bodySha256: 'a'.repeat(64),
    statusToken: `token-${reference}`,
    statusTokenSha256: 'b'.repeat(64),
    receivedAt: new Date(),
  });
}

const reference = (n: number) => `OHR-TEST-${String(n).padStart(4, '0')}`;

describe('intake batching', () => {
  it('files 120 concurrent POSTs, each once, with its own receipt and all its rows', async () => {
    const reports = await Promise.all(Array.from({ length: 120 }, () => readyReport()));
    const responses = await Promise.all(reports.map((report) => postReport(app, report, report.id)));
    expect(responses.map((response) => response.status)).toEqual(reports.map(() => 201));
    const receipts = await Promise.all(responses.map(async (response) => Receipt.parse(await response.json())));
    expect(new Set(receipts.map((receipt) => receipt.reference)).size).toBe(120);
    const [row] = await testDb.db.query<{ reports: number; items: number; links: number; replays: number }>(
      `SELECT count(*)::int AS reports,
              (SELECT count(*)::int FROM report_items WHERE reference = ANY($2)) AS items,
              (SELECT count(*)::int FROM report_evidence WHERE reference = ANY($2)) AS links,
              (SELECT count(*)::int FROM idempotency_responses WHERE report_id = ANY($1::uuid[])) AS replays
         FROM reports WHERE id = ANY($1::uuid[])`,
      [reports.map((report) => report.id), receipts.map((receipt) => receipt.reference)],
    );
    expect(row).toEqual({ reports: 120, items: 120, links: 120, replays: 120 });
  });

  it('groups inserts that arrive while one is in flight, and tells each row its own fate', async () => {
    const { db, statements } = countingDb(testDb.db);
    const batcher = new IntakeBatcher(db, 1);
    const good = await Promise.all(Array.from({ length: 5 }, () => readyReport()));
    const unbacked = sampleReport(); // describes evidence that was never uploaded
    const rows = [...good.map((report, n) => rowFor(report, reference(n))), rowFor(unbacked, reference(10)), rowFor(good[0]!, reference(11))];
    const outcomes = await Promise.all(rows.map((row) => batcher.insert(row)));
    // The first goes alone (nothing was in flight); the rest wait for it and go together.
    expect(statements).toEqual([1, 6]);
    // Five filed; the unbacked report and the second row with an already-filed id are not.
    expect(outcomes).toEqual([true, true, true, true, true, false, false]);
    const [count] = await testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE reference = ANY($1)', [rows.map((row) => row.reference)]);
    expect(count?.n).toBe(5);
  });

  it('when a batch statement fails, retries each report alone so only the failing one is refused', async () => {
    const poisoned = await readyReport();
    const { db, statements } = countingDb(testDb.db, (rows) => rows.some((row) => row.id === poisoned.id));
    const batcher = new IntakeBatcher(db, 1);
    const others = await Promise.all(Array.from({ length: 3 }, () => readyReport()));
    const first = batcher.insert(rowFor(others[0]!, reference(20)));
    const rest = [rowFor(poisoned, reference(21)), rowFor(others[1]!, reference(22)), rowFor(others[2]!, reference(23))].map((row) =>
      batcher.insert(row).then(
        (inserted) => ({ inserted }),
        (error: Error) => ({ error: error.message }),
      ),
    );
    expect(await first).toBe(true);
    expect(await Promise.all(rest)).toEqual([{ error: 'statement failed' }, { inserted: true }, { inserted: true }]);
    expect(statements).toEqual([1, 3, 1, 1, 1]);
  });
});
