/**
 * Group insert for report intake. Under load, many POSTs are waiting on the database at once; filing them one
 * statement each costs one commit (a WAL flush) and one round trip per report. Here, inserts that arrive while a
 * batch is in flight wait for it and then go together as ONE statement, one commit: the same durability (nothing is
 * acknowledged before its commit), a fraction of the cost. An idle hub sends each insert at once, so a lone report
 * waits for nothing.
 *
 * A batch is still all-or-nothing per report, not per batch: every row is `ON CONFLICT DO NOTHING` and carries its own
 * evidence precondition, so one report's conflict or missing evidence never affects another's. If the statement fails
 * outright (which valid input should never cause), each report is retried alone so the failure lands on its owner.
 */
import type { Database } from '../db';
import { URGENT_ALERTS_CTE, wakeDeliveries } from './deliveries';

/** One report's row, with the evidence it describes and its items, as the batch statement reads them. */
export interface IntakeRow {
  reference: string;
  id: string;
  body: unknown;
  body_sha256: string;
  urgent: boolean;
  status_token_sha256: string;
  received_at: string;
  /** `[{sha256, media_type, bytes}]`: must all be stored exactly so, or the report is not inserted. */
  described: Array<{ sha256: string; media_type: string; bytes: number }>;
  items: Array<{ idx: number; url: string; page_title: string | null; platform: string; kind: string }>;
  status_token: string;
  expires_at: string;
  /** RFC 3161 authorities whose requests for a token over `body_sha256` are queued with the report (timestamps.ts). */
  tsa_urls: string[];
}

/** Enough to amortise the commit; small enough that one statement stays well under the body limits. */
const MAX_BATCH = 64;

/**
 * Inserts the rows, their evidence links, items and replay tokens in one statement (atomic: foreign keys are checked
 * at its end). Returns the ids actually inserted; a missing id means its evidence did not match or a unique key (its id,
 * or the reference by collision) was taken.
 */
const INSERT_BATCH = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r (
      reference text, id uuid, body jsonb, body_sha256 text, urgent boolean, status_token_sha256 text,
      received_at timestamptz, described jsonb, items jsonb, status_token text, expires_at timestamptz, tsa_urls jsonb)
  ), report AS (
    INSERT INTO reports (reference, id, body, body_sha256, urgent, status_token_sha256, received_at, updated_at)
    SELECT i.reference, i.id, i.body, i.body_sha256, i.urgent, i.status_token_sha256, i.received_at, i.received_at
      FROM input i
     WHERE NOT EXISTS (
       SELECT 1 FROM jsonb_to_recordset(i.described) AS d (sha256 text, media_type text, bytes integer)
        WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.sha256 = d.sha256 AND e.media_type = d.media_type AND e.bytes = d.bytes))
    ON CONFLICT DO NOTHING RETURNING reference, id
  ), filed AS (
    SELECT i.* FROM input i JOIN report USING (reference, id)
  ), linked AS (
    INSERT INTO report_evidence (reference, sha256)
    SELECT DISTINCT f.reference, d.sha256 FROM filed f, jsonb_to_recordset(f.described) AS d (sha256 text)
  ), items AS (
    INSERT INTO report_items (reference, idx, url, page_title, platform, kind)
    SELECT f.reference, t.idx, t.url, t.page_title, t.platform, t.kind
      FROM filed f, jsonb_to_recordset(f.items) AS t (idx integer, url text, page_title text, platform text, kind text)
  ), replay AS (
    INSERT INTO idempotency_responses (report_id, status_token, expires_at) SELECT f.id, f.status_token, f.expires_at FROM filed f
  ), timestamps AS (
    INSERT INTO report_timestamps (reference, tsa_url, sha256)
    SELECT f.reference, u.url, f.body_sha256 FROM filed f, jsonb_array_elements_text(coalesce(f.tsa_urls, '[]'::jsonb)) AS u (url)
  ), alerts AS (${URGENT_ALERTS_CTE}
  )
  SELECT id::text FROM report`;

interface Waiting {
  row: IntakeRow;
  resolve: (inserted: boolean) => void;
  reject: (error: unknown) => void;
}

export class IntakeBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  /** @param maxInFlight statements at once: a pool can run a few side by side; PGlite is one session. */
  constructor(
    private readonly db: Database,
    private readonly maxInFlight = db.engine === 'postgres' ? 2 : 1,
  ) {}

  /** Resolves true once the row is committed, false if it was not inserted (see INSERT_BATCH). */
  insert(row: IntakeRow): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const inserted = await this.insertRows(batch.map((waiting) => waiting.row));
      // Committed: an urgent report's alerts are due now, so the worker is woken instead of waiting for its next look.
      if (batch.some((waiting) => waiting.row.urgent && inserted.has(waiting.row.id.toLowerCase()))) wakeDeliveries(this.db);
      for (const waiting of batch) waiting.resolve(inserted.has(waiting.row.id.toLowerCase()));
    } catch (error) {
      if (batch.length === 1) {
        // 23503: evidence the report names was purged as unreferenced between its check and its link (see
        // purgeUnreferencedEvidence). Not inserted, so the caller answers 409 missing_evidence and the client uploads again.
        if ((error as { code?: unknown }).code === '23503') return batch[0]!.resolve(false);
        return batch[0]!.reject(error);
      }
      // Let each report meet its own fate rather than failing its neighbours: one after another, in this batch's
      // turn, so a failure never puts more statements in flight than the database was given.
      for (const waiting of batch) await this.run([waiting]);
    }
  }

  private async insertRows(rows: IntakeRow[]): Promise<Set<string>> {
    const inserted = await this.db.query<{ id: string }>(INSERT_BATCH, [JSON.stringify(rows)]);
    return new Set(inserted.map((row) => row.id));
  }
}

const batchers = new WeakMap<Database, IntakeBatcher>();

/** The database's one batcher, so every request to this hub shares its batches. */
export function intakeBatcher(db: Database): IntakeBatcher {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new IntakeBatcher(db)));
  return batcher;
}
