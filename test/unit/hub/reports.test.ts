import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { ApiError, MissingEvidenceError, Receipt, StatusResponse, type Report } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';

import { bearer, describing, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase, captureLogger, createTestApp } from './helpers';

let testDb: TestDatabase;
let app: Hono;

beforeAll(async () => {
  testDb = await openTestDatabase();
  app = createTestApp({ db: testDb.db, config: { limits: { maxJsonBytes: 20_000, maxEvidenceBytes: 10_000_000, maxItems: 2 } } });
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

/** A valid report whose evidence is already on the hub. */
async function readyReport(overrides: Partial<Report> = {}): Promise<Report> {
  const { sha256, bytes } = await uploadPng(app);
  return describing(sampleReport(overrides), sha256, bytes);
}

async function submit(report: Report): Promise<Receipt> {
  const response = await postReport(app, report, report.id);
  expect(response.status).toBe(201);
  return Receipt.parse(await response.json());
}

async function countRows(reportId: string): Promise<Record<string, number>> {
  const [row] = await testDb.db.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM reports WHERE id = $1) AS reports,
            (SELECT count(*)::int FROM report_items i JOIN reports r USING (reference) WHERE r.id = $1) AS items,
            (SELECT count(*)::int FROM report_evidence e JOIN reports r USING (reference) WHERE r.id = $1) AS evidence,
            (SELECT count(*)::int FROM idempotency_responses WHERE report_id = $1) AS replays`,
    [reportId],
  );
  return row ?? {};
}

describe('POST /api/v1/reports', () => {
  it('files a report: 201 with a receipt, and the rows the triage console and the e2e test read', async () => {
    const report = await readyReport();
    const receipt = await submit(report);
    expect(receipt.reference).toMatch(/^OHR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(Date.parse(receipt.receivedAt)).not.toBeNaN();

    const [stored] = await testDb.db.query<{ id: string; status: string; urgent: boolean; status_token_sha256: string; body: Report }>(
      'SELECT id, status, urgent, status_token_sha256, body FROM reports WHERE reference = $1',
      [receipt.reference],
    );
    expect(stored?.id).toBe(report.id);
    expect(stored?.status).toBe('received');
    expect(stored?.urgent).toBe(false);
    expect(stored?.status_token_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.status_token_sha256).not.toContain(receipt.statusToken);
    expect(stored?.body).toEqual(report);

    // The query documented in hub/README.md for the end-to-end test.
    const [page] = await testDb.db.query<{ url: string; page_title: string; media_type: string; content: Uint8Array }>(
      `SELECT i.url, i.page_title, e.media_type, e.content
         FROM reports r
         JOIN report_items i ON i.reference = r.reference AND i.idx = 0
         JOIN report_evidence re ON re.reference = r.reference
         JOIN evidence_content e ON e.sha256 = re.sha256
        WHERE r.reference = $1`,
      [receipt.reference],
    );
    expect(page?.url).toBe('https://example.org/posts/1');
    expect(page?.page_title).toBe('A post');
    expect(page?.media_type).toBe('image/png');
    expect(page?.content.byteLength).toBe(report.items[0]?.evidence[0]?.bytes);
  });

  it('marks a report urgent when any urgency answer is yes', async () => {
    const report = await readyReport({ urgency: { immediateDanger: true, perpetratorIdentityKnown: false, relatesToFutureEvent: false } });
    const receipt = await submit(report);
    const [row] = await testDb.db.query<{ urgent: boolean }>('SELECT urgent FROM reports WHERE reference = $1', [receipt.reference]);
    expect(row?.urgent).toBe(true);
  });

  it('answers 409 listing exactly the evidence not yet uploaded', async () => {
    const present = await uploadPng(app);
    const base = describing(sampleReport(), present.sha256, present.bytes);
    const missingA = 'a'.repeat(64);
    const missingB = 'b'.repeat(64);
    const item = base.items[0]!;
    const report: Report = {
      ...base,
      items: [
        { ...item, evidence: [...item.evidence, { sha256: missingA, mediaType: 'image/png', bytes: 10, kind: 'full_page' }] },
        { ...item, evidence: [{ sha256: missingB, mediaType: 'text/html', bytes: 10, kind: 'html_snapshot' }] },
      ],
    };
    const response = await postReport(app, report, report.id);
    expect(response.status).toBe(409);
    const body = MissingEvidenceError.parse(await response.json());
    expect(body.error.missing).toEqual([missingA, missingB]);
    expect((await countRows(report.id)).reports).toBe(0);
  });

  it('refuses an invalid report with 422 and the paths of the fields to fix', async () => {
    const report = sampleReport();
    const response = await postReport(app, { ...report, incident: { ...report.incident, summary: '' }, items: [] }, report.id);
    expect(response.status).toBe(422);
    const body = ApiError.parse(await response.json());
    expect(body.error.code).toBe('invalid_report');
    expect(body.error.fields?.map((field) => field.path).sort()).toEqual(['incident.summary', 'items']);
  });

  it("refuses more items than this hub's limit with 422", async () => {
    const report = await readyReport();
    const item = report.items[0]!;
    const response = await postReport(app, { ...report, items: [item, item, item] }, report.id);
    expect(response.status).toBe(422);
    expect(ApiError.parse(await response.json()).error.fields).toEqual([{ path: 'items', message: 'Send at most 2 items' }]);
  });

  it('refuses evidence described differently from the uploaded bytes with 422', async () => {
    const report = await readyReport();
    const item = report.items[0]!;
    const evidence = item.evidence[0]!;
    const response = await postReport(app, { ...report, items: [{ ...item, evidence: [{ ...evidence, bytes: evidence.bytes + 1 }] }] }, report.id);
    expect(response.status).toBe(422);
    expect(ApiError.parse(await response.json()).error.fields?.map((field) => field.path)).toEqual(['items.0.evidence.0.bytes']);
  });

  it('requires the Idempotency-Key header (400) and that it is the report id (400)', async () => {
    const report = await readyReport();
    const missing = await postReport(app, report, undefined);
    expect(missing.status).toBe(400);
    expect(ApiError.parse(await missing.json()).error.code).toBe('invalid_request');

    const other = await postReport(app, report, crypto.randomUUID());
    expect(other.status).toBe(400);
    expect(ApiError.parse(await other.json()).error.message).toContain('Idempotency-Key');
    expect((await countRows(report.id)).reports).toBe(0);
  });

  it('answers 400 to a body that is not JSON, and 413 to one over the limit', async () => {
    const id = crypto.randomUUID();
    const broken = await postReport(app, '{"id": ', id);
    expect(broken.status).toBe(400);
    expect(ApiError.parse(await broken.json()).error.code).toBe('invalid_request');

    const huge = await postReport(app, JSON.stringify({ id, padding: 'x'.repeat(30_000) }), id);
    expect(huge.status).toBe(413);
    expect(ApiError.parse(await huge.json()).error.code).toBe('payload_too_large');

    const declared = await postReport(app, '{}', id, { 'Content-Length': '30000' });
    expect(declared.status).toBe(413);
  });

  it('gives the same answer to the same key and body, once filed (key order and spacing do not matter)', async () => {
    const report = await readyReport();
    const first = await submit(report);
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(report).reverse()), null, 2);
    const again = await postReport(app, reordered, report.id);
    expect(again.status).toBe(201);
    expect(Receipt.parse(await again.json())).toEqual(first);
    expect(await countRows(report.id)).toEqual({ reports: 1, items: 1, evidence: 1, replays: 1 });
  });

  it('refuses the same key with a different body (422 idempotency_key_reused) and keeps the first', async () => {
    const report = await readyReport();
    const first = await submit(report);
    const changed = { ...report, incident: { ...report.incident, summary: 'Something else entirely' } };
    const response = await postReport(app, changed, report.id);
    expect(response.status).toBe(422);
    expect(ApiError.parse(await response.json()).error.code).toBe('idempotency_key_reused');
    const [row] = await testDb.db.query<{ reference: string; summary: string }>(
      "SELECT reference, body->'incident'->>'summary' AS summary FROM reports WHERE id = $1",
      [report.id],
    );
    expect(row).toEqual({ reference: first.reference, summary: report.incident.summary });
  });

  it('after the replay window, a retry gets the same reference and a new token that replaces the old', async () => {
    const report = await readyReport();
    const first = await submit(report);
    await testDb.db.query("UPDATE idempotency_responses SET expires_at = now() - interval '1 second' WHERE report_id = $1", [report.id]);

    const late = await submit(report);
    expect(late.reference).toBe(first.reference);
    expect(late.receivedAt).toBe(first.receivedAt);
    expect(late.statusToken).not.toBe(first.statusToken);
    expect((await app.request(`/api/v1/reports/${first.reference}/status`, { headers: bearer(late.statusToken) })).status).toBe(200);
    expect((await app.request(`/api/v1/reports/${first.reference}/status`, { headers: bearer(first.statusToken) })).status).toBe(404);
    expect(await submit(report)).toEqual(late);
  });

  it('writes a report atomically: a database failure part-way leaves nothing, and a retry then succeeds', async () => {
    const report = await readyReport();
    // A real failure inside the write, after the report row: the items table refuses this report's item.
    await testDb.db.exec(`
      CREATE FUNCTION refuse_item() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
      CREATE TRIGGER refuse_item BEFORE INSERT ON report_items FOR EACH ROW EXECUTE FUNCTION refuse_item();`);
    const { logger, lines } = captureLogger();
    try {
      const failing = createTestApp({ db: testDb.db, logger });
      const response = await postReport(failing, report, report.id);
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(ApiError.parse(JSON.parse(text)).error.code).toBe('internal');
      expect(text).not.toContain('injected');
    } finally {
      await testDb.db.exec('DROP TRIGGER refuse_item ON report_items; DROP FUNCTION refuse_item();');
    }
    // Logged with the request id and where it failed, but without the message (which may quote report content).
    const logged = lines.find((line) => line.msg === 'unexpected error');
    expect(logged).toMatchObject({ level: 50, reqId: expect.any(String), err: { type: expect.any(String), stack: expect.stringContaining('at ') } });
    expect(JSON.stringify(lines)).not.toContain('injected');
    expect(JSON.stringify(lines)).not.toContain(report.incident.summary);
    expect(await countRows(report.id)).toEqual({ reports: 0, items: 0, evidence: 0, replays: 0 });
    await submit(report);
    expect(await countRows(report.id)).toEqual({ reports: 1, items: 1, evidence: 1, replays: 1 });
  });
});

describe('status and withdrawal', () => {
  it('shows the status to the holder of the token, and the same 404 to a wrong token or an unknown reference', async () => {
    const receipt = await submit(await readyReport());
    const path = `/api/v1/reports/${receipt.reference}/status`;

    const ok = await app.request(path, { headers: bearer(receipt.statusToken) });
    expect(ok.status).toBe(200);
    const status = StatusResponse.parse(await ok.json());
    expect(status.status).toBe('received');
    expect(status.outcome).toBeUndefined();

    const wrong = await app.request(path, { headers: bearer('x'.repeat(43)) });
    const unknown = await app.request('/api/v1/reports/OHR-0000-0000/status', { headers: bearer(receipt.statusToken) });
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await wrong.json()).toEqual(await unknown.json());

    const anonymous = await app.request(path);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('WWW-Authenticate')).toBe('Bearer');
    expect(ApiError.parse(await anonymous.json()).error.code).toBe('unauthorized');
  });

  it('lets the reporter withdraw with the token: closed, outcome withdrawn', async () => {
    const receipt = await submit(await readyReport());
    const denied = await app.request(`/api/v1/reports/${receipt.reference}`, { method: 'DELETE', headers: bearer('y'.repeat(43)) });
    expect(denied.status).toBe(404);

    const response = await app.request(`/api/v1/reports/${receipt.reference}`, { method: 'DELETE', headers: bearer(receipt.statusToken) });
    expect(response.status).toBe(200);
    expect(StatusResponse.parse(await response.json())).toMatchObject({ status: 'closed', outcome: 'withdrawn' });

    const after = await app.request(`/api/v1/reports/${receipt.reference}/status`, { headers: bearer(receipt.statusToken) });
    expect(StatusResponse.parse(await after.json())).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    const [row] = await testDb.db.query<{ status: string; outcome: string }>('SELECT status, outcome FROM reports WHERE reference = $1', [
      receipt.reference,
    ]);
    expect(row).toEqual({ status: 'closed', outcome: 'withdrawn' });
  });

  it('leaves a report already closed by a moderator as it was', async () => {
    const receipt = await submit(await readyReport());
    await testDb.db.query("UPDATE reports SET status = 'closed', outcome = 'actioned', public_note = 'Removed' WHERE reference = $1", [
      receipt.reference,
    ]);
    const response = await app.request(`/api/v1/reports/${receipt.reference}/status`, { method: 'DELETE', headers: bearer(receipt.statusToken) });
    expect(response.status).toBe(200);
    expect(StatusResponse.parse(await response.json())).toMatchObject({ status: 'closed', outcome: 'actioned', publicNote: 'Removed' });
  });
});
