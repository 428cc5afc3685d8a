import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { sha256Hex } from '../../../lib/hash';
import { ApiError } from '../../../lib/schema';

import { matchesMediaType } from '../../../hub/domain/evidence';
import { openTestDatabase, pngBytes, putEvidence, SETUP_TIMEOUT_MS, type TestDatabase, createTestApp } from './helpers';

let testDb: TestDatabase;
let app: Hono;

beforeAll(async () => {
  testDb = await openTestDatabase();
  app = createTestApp({ db: testDb.db, config: { limits: { maxJsonBytes: 1_000_000, maxEvidenceBytes: 4_096, maxItems: 50 } } });
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

async function errorCode(response: Response): Promise<string> {
  return ApiError.parse(await response.json()).error.code;
}

describe('PUT /api/v1/evidence/:sha256', () => {
  it('stores new bytes under their hash (201), and a repeat is harmless (200, one row)', async () => {
    const bytes = pngBytes();
    const sha256 = await sha256Hex(bytes);

    const first = await putEvidence(app, bytes, sha256, 'image/png');
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ sha256, bytes: bytes.byteLength });

    const again = await putEvidence(app, bytes, sha256, 'image/png');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ sha256, bytes: bytes.byteLength });

    const rows = await testDb.db.query<{ media_type: string; bytes: number; content: Uint8Array }>(
      'SELECT media_type, bytes, content FROM evidence_content WHERE sha256 = $1',
      [sha256],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.media_type).toBe('image/png');
    expect(rows[0]?.bytes).toBe(bytes.byteLength);
    expect(new Uint8Array(rows[0]!.content)).toEqual(bytes);
  });

  it('accepts a charset parameter on text/html', async () => {
    const bytes = new TextEncoder().encode('<!doctype html><title>Snapshot</title><p>captured</p>');
    const response = await putEvidence(app, bytes, await sha256Hex(bytes), 'text/html; charset=utf-8');
    expect(response.status).toBe(201);
  });

  it('refuses bytes whose hash differs from the address (422 hash_mismatch) and stores nothing', async () => {
    const bytes = pngBytes();
    const wrong = await sha256Hex(pngBytes());
    const response = await putEvidence(app, bytes, wrong);
    expect(response.status).toBe(422);
    expect(await errorCode(response)).toBe('hash_mismatch');
    expect(await testDb.db.query('SELECT 1 FROM evidence WHERE sha256 = $1', [wrong])).toHaveLength(0);
  });

  it('refuses bytes that are not the declared type (415)', async () => {
    const bytes = pngBytes();
    const response = await putEvidence(app, bytes, await sha256Hex(bytes), 'image/jpeg');
    expect(response.status).toBe(415);
    expect(await errorCode(response)).toBe('unsupported_media_type');
  });

  it('refuses a media type evidence may not have (415)', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7');
    const response = await putEvidence(app, bytes, await sha256Hex(bytes), 'application/pdf');
    expect(response.status).toBe(415);
    expect(await errorCode(response)).toBe('unsupported_media_type');
  });

  it('refuses a malformed hash in the address (400)', async () => {
    const bytes = pngBytes();
    const response = await putEvidence(app, bytes, (await sha256Hex(bytes)).toUpperCase());
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('invalid_request');
  });

  it('refuses a body over the limit while reading it (413)', async () => {
    const bytes = pngBytes(5_000);
    const response = await putEvidence(app, bytes, await sha256Hex(bytes));
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe('payload_too_large');
  });

  it('refuses a declared Content-Length over the limit before reading (413)', async () => {
    const bytes = pngBytes(100);
    const response = await putEvidence(app, bytes, await sha256Hex(bytes), 'image/png', { 'Content-Length': '999999' });
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe('payload_too_large');
  });
});

describe('matchesMediaType', () => {
  const ascii = (text: string) => new TextEncoder().encode(text);
  it('knows each format by its magic bytes', () => {
    expect(matchesMediaType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]), 'image/jpeg')).toBe(true);
    expect(matchesMediaType(ascii('RIFF\x10\x00\x00\x00WEBPVP8 '), 'image/webp')).toBe(true);
    expect(matchesMediaType(ascii('RIFF\x10\x00\x00\x00WAVEfmt '), 'image/webp')).toBe(false);
    expect(matchesMediaType(pngBytes(), 'image/png')).toBe(true);
    expect(matchesMediaType(pngBytes(), 'text/html')).toBe(false);
    expect(matchesMediaType(ascii('<p>hi</p>'), 'text/html')).toBe(true);
    expect(matchesMediaType(ascii('<p>hi</p>'), 'image/png')).toBe(false);
  });
});
