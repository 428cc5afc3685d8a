/**
 * Hostile input: the Big List of Naughty Strings in every free-text field and as the Idempotency-Key, broken and
 * oversized bodies, wrong types, lying images. The bar: never a 5xx, every answer a 201 or a clear JSON 4xx, and a
 * refused request stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { sha256Hex } from '../../../lib/hash';
import { ApiError } from '../../../lib/schema';
import { blns, everywhere } from '../../fixtures/naughty';
import { sampleReport } from '../../fixtures/report';
import { createTestApp, openTestDatabase, pngBytes, postReport, putEvidence, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

/** The corpus, plus what it lacks and PostgreSQL cannot store in text/jsonb: NUL, and a lone surrogate. */
const NAUGHTY: string[] = [...blns(), '\u0000', 'a\u0000b', '\ud800', 'x\udfffy'];

let testDb: TestDatabase;
let app: Hono;

beforeAll(async () => {
  testDb = await openTestDatabase();
  app = createTestApp({ db: testDb.db, config: { limits: { maxJsonBytes: 200_000, maxEvidenceBytes: 100_000, maxItems: 50 } } });
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

async function storedReports(id: string): Promise<number> {
  const [row] = await testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE id = $1', [id]);
  return row?.n ?? -1;
}

/** A 201, or a 4xx whose body is an ApiError in words; never anything else. */
async function expectClearAnswer(response: Response, what: string): Promise<number> {
  const status = response.status;
  if (status !== 201 && status !== 200) {
    expect(status, `${what}: ${status}`).toBeGreaterThanOrEqual(400);
    expect(status, `${what}: ${status}`).toBeLessThan(500);
    const body = ApiError.safeParse(await response.clone().json());
    expect(body.success, `${what}: ${status} body is not an ApiError`).toBe(true);
    expect(body.data?.error.message.length, what).toBeGreaterThan(10);
  }
  return status;
}

describe('the Big List of Naughty Strings', () => {
  it(`in every free-text field (${NAUGHTY.length} strings): 201 with the text kept exactly, or a 4xx that stores nothing`, async () => {
    const outcomes = { filed: 0, refused: 0 };
    for (const [index, text] of NAUGHTY.entries()) {
      const report = everywhere(text);
      const response = await postReport(app, report, report.id);
      const status = await expectClearAnswer(response, `string #${index} ${JSON.stringify(text).slice(0, 60)}`);
      if (status === 201) {
        outcomes.filed++;
        // Compared as UTF-8 bytes: PGlite's reader drops a leading U+FEFF from text values it returns (hub/README.md).
        const [row] = await testDb.db.query<{ summary: string; title: string }>(
          `SELECT encode(convert_to(body->'incident'->>'summary', 'UTF8'), 'hex') AS summary,
                  encode(convert_to(page_title, 'UTF8'), 'hex') AS title
             FROM reports r JOIN report_items i USING (reference) WHERE r.id = $1`,
          [report.id],
        );
        const hex = Buffer.from(text, 'utf8').toString('hex');
        expect(row, `string #${index}`).toEqual({ summary: hex, title: hex });
      } else {
        outcomes.refused++;
        expect(await storedReports(report.id), `string #${index}`).toBe(0);
      }
    }
    // Most of the list is valid text a victim might quote; refusing it would be a bug too.
    expect(outcomes.filed).toBeGreaterThan(NAUGHTY.length * 0.9);
  }, 120_000);

  it('as the Idempotency-Key: a 400 saying it must be the report id, and nothing stored', async () => {
    let sent = 0;
    for (const [index, key] of NAUGHTY.entries()) {
      const report = sampleReport({ items: [{ ...sampleReport().items[0]!, evidence: [] }] });
      let headers: Headers;
      try {
        headers = new Headers({ 'Content-Type': 'application/json', 'Idempotency-Key': key });
      } catch {
        continue; // not a valid header value (newline, non-Latin-1): no HTTP client can send it
      }
      sent++;
      const response = await app.request('/api/v1/reports', { method: 'POST', headers, body: JSON.stringify(report) });
      const status = await expectClearAnswer(response, `key #${index} ${JSON.stringify(key).slice(0, 60)}`);
      // An empty or blank header reads as absent; anything else is not the report id.
      expect(status, `key #${index}`).toBe(400);
      expect(await storedReports(report.id)).toBe(0);
    }
    expect(sent).toBeGreaterThan(NAUGHTY.length / 2);
  }, 120_000);
});

describe('broken requests', () => {
  it('malformed, truncated and non-object JSON: 400 or 422, nothing stored', async () => {
    const report = everywhere('A post calling for violence');
    const text = JSON.stringify(report);
    const bodies = [
      '',
      '{',
      'null',
      '[]',
      '"report"',
      '12',
      '{"id":}',
      text.replace('{', '{,'),
      `${text}}`,
      '\uFEFF' + text.slice(0, 10),
      ...[1, 17, 100, Math.floor(text.length / 2), text.length - 1].map((length) => text.slice(0, length)),
    ];
    for (const body of bodies) {
      const response = await postReport(app, body, report.id);
      const status = await expectClearAnswer(response, `body ${JSON.stringify(body.slice(0, 40))}`);
      expect([400, 422], JSON.stringify(body.slice(0, 40))).toContain(status);
    }
    expect(await storedReports(report.id)).toBe(0);
  });

  it('wrong content types: 415', async () => {
    const report = everywhere('text');
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', '', 'application/json\u00e9']) {
      let headers: Headers;
      try {
        headers = new Headers({ 'Content-Type': type, 'Idempotency-Key': report.id });
      } catch {
        continue;
      }
      const response = await app.request('/api/v1/reports', { method: 'POST', headers, body: JSON.stringify(report) });
      expect(await expectClearAnswer(response, type)).toBe(415);
    }
    expect(await storedReports(report.id)).toBe(0);
  });

  it('oversized bodies, declared or streamed: 413 before anything is stored', async () => {
    const report = everywhere('x'.repeat(5_000));
    const huge = JSON.stringify({ ...report, padding: 'y'.repeat(250_000) });
    expect(await expectClearAnswer(await postReport(app, huge, report.id), 'huge')).toBe(413);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 30; i++) controller.enqueue(new TextEncoder().encode('z'.repeat(10_000)));
        controller.close();
      },
    });
    const response = await app.request('/api/v1/reports', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
      body: streamed,
      duplex: 'half',
    } as RequestInit);
    expect(await expectClearAnswer(response, 'streamed')).toBe(413);
    expect(await storedReports(report.id)).toBe(0);
  });
});

describe('lying evidence', () => {
  const stored = async (sha256: string) => (await testDb.db.query('SELECT 1 FROM evidence WHERE sha256 = $1', [sha256])).length;

  it('a PNG whose bytes do not match its hash: 422 hash_mismatch, nothing stored', async () => {
    const claimed = await sha256Hex(pngBytes());
    const response = await putEvidence(app, pngBytes(), claimed);
    expect(await expectClearAnswer(response, 'mismatch')).toBe(422);
    expect(ApiError.parse(await response.json()).error.code).toBe('hash_mismatch');
    expect(await stored(claimed)).toBe(0);
  });

  it('a PNG header claiming 100000 × 100000 pixels: 413 without decoding, nothing stored', async () => {
    const bytes = pngBytes(200, 100_000, 100_000);
    const sha256 = await sha256Hex(bytes);
    const response = await putEvidence(app, bytes, sha256);
    expect(await expectClearAnswer(response, 'pixel bomb')).toBe(413);
    expect(ApiError.parse(await response.json()).error.message).toContain('100000 × 100000');
    expect(await stored(sha256)).toBe(0);
  });

  it('a PNG cut off inside its header, and junk under every evidence type: 415, nothing stored', async () => {
    const png = pngBytes(100);
    const candidates: Array<[Uint8Array<ArrayBuffer>, string]> = [
      [png.slice(0, 12), 'image/png'],
      [new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]), 'image/jpeg'],
      [new TextEncoder().encode('RIFF\x10\x00\x00\x00WEBPjunk'), 'image/webp'],
      [new Uint8Array([0x3c, 0x70, 0x3e, 0, 0x3c]), 'text/html'],
      [png, 'image/gif'],
      [png, 'application/octet-stream'],
    ];
    for (const [bytes, type] of candidates) {
      const sha256 = await sha256Hex(bytes);
      const response = await putEvidence(app, bytes, sha256, type);
      expect(await expectClearAnswer(response, type)).toBe(415);
      expect(await stored(sha256)).toBe(0);
    }
  });

  it('naughty strings as the hash in the address: 400 or 404, never stored', async () => {
    const bytes = pngBytes();
    for (const text of NAUGHTY.slice(0, 200)) {
      const response = await app.request(`/api/v1/evidence/${encodeURIComponent(text)}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'image/png' },
        body: bytes,
      });
      expect([400, 404], JSON.stringify(text)).toContain(await expectClearAnswer(response, JSON.stringify(text)));
    }
    expect(await stored(await sha256Hex(bytes))).toBe(0);
  });
});
