/**
 * Issue 21, "A capture that holds up in court", at the hub: the signed receipt in the 201 (for clients that ask), the
 * key published in discovery, and RFC 3161 timestamps asked of a real authority the test starts (tsa-server.ts),
 * queued in the statement that files the report, kept across a restart of the worker while the authority is down,
 * and granted once it is back. On PGlite and on PostgreSQL.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { canonicalJson } from '../../../lib/integrity/canonical';
import { verifyReceipt } from '../../../lib/integrity/receipt';
import { parseCertificate, verifyTimestampToken } from '../../../lib/integrity/timestamp';
import { sha256Hex } from '../../../lib/hash';
import { Discovery, Receipt, StatusResponse, type Report } from '../../../lib/schema';
import { receiptOfStored } from '../../../hub/domain/receipts';
import { timestampsOf, TimestampWorker } from '../../../hub/domain/timestamps';
import { sampleReport } from '../../fixtures/report';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { CaptureProof, captureProofOf } from '../../../hub/console/report/proof';
import { bearer, createTestApp, describing, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';
import { startTestTsa, type TestTsa } from './tsa-server';

const silent = pino({ level: 'silent' });

describe('signed receipts and trusted timestamps', () => {
  let test: TestDatabase;
  let app: Hono;
  let tsa: TestTsa;

  beforeAll(async () => {
    test = await openTestDatabase();
    tsa = await startTestTsa();
    app = createTestApp({ db: test.db, config: { name: 'Receipt Hub', timestampAuthorities: [{ url: tsa.url }] } });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await tsa?.close();
    await test?.dispose();
  });

  async function report(): Promise<Report> {
    const { sha256, bytes } = await uploadPng(app);
    return describing(sampleReport(), sha256, bytes);
  }

  it('publishes the receipt key in discovery and signs the reference, time, report hash and evidence in the 201', async () => {
    const discovery = Discovery.parse(await (await app.request('/.well-known/ohr')).json());
    expect(discovery.receiptKeys).toHaveLength(1);
    const kid = discovery.receiptKeys![0]!.kid;

    const body = await report();
    const response = await app.request('/api/v1/reports?include=signedReceipt', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': body.id },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    const receipt = Receipt.parse(await response.json());
    const signed = receipt.signedReceipt!;
    expect(signed.payload).toMatchObject({
      format: 'ohr-receipt/1',
      hub: 'Receipt Hub',
      reference: receipt.reference,
      receivedAt: receipt.receivedAt,
      reportId: body.id,
      reportSha256: await sha256Hex(canonicalJson(body)),
      evidence: [body.items[0]!.evidence[0]!.sha256],
    });
    const checks = await verifyReceipt(signed, { reportJson: body, reportId: body.id, publishedKids: [kid] });
    expect(checks.filter((check) => !check.ok)).toEqual([]);
    expect(checks.length).toBe(5);

    // A changed word in the report, or in the receipt, fails the check.
    const altered = { ...body, incident: { ...body.incident, summary: `${body.incident.summary}!` } };
    expect((await verifyReceipt(signed, { reportJson: altered })).some((check) => !check.ok)).toBe(true);
    const moved = { ...signed, payload: { ...signed.payload, receivedAt: '2020-01-01T00:00:00.000Z' } };
    expect((await verifyReceipt(moved)).find((check) => check.what.startsWith('hub receipt signature'))?.ok).toBe(false);

    // A retry gets a receipt for the same facts; the console and the case file sign the same payload from the row.
    const again = Receipt.parse(
      await (await app.request('/api/v1/reports?include=signedReceipt', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': body.id }, body: JSON.stringify(body) })).json(),
    );
    expect(again.signedReceipt?.payload).toEqual(signed.payload);
    const stored = await receiptOfStored(test.db, 'Receipt Hub', receipt.reference);
    expect(stored?.payload).toEqual(signed.payload);
    expect((await verifyReceipt(stored)).every((check) => check.ok)).toBe(true);
  });

  it('sends no signed receipt to a client that did not ask (older clients read receipts strictly)', async () => {
    const body = await report();
    const response = await postReport(app, body, body.id);
    expect(response.status).toBe(201);
    expect(Object.keys((await response.json()) as object).sort()).toEqual(['receivedAt', 'reference', 'statusToken']);
  });

  it('queues the timestamp with the report, answers 201 without waiting for the authority, and keeps asking until it answers', async () => {
    tsa.down = true;
    const grantedBefore = tsa.granted;
    const body = await report();
    const response = await postReport(app, body, body.id);
    expect(response.status).toBe(201);
    const { reference, statusToken } = Receipt.parse(await response.json());
    // Filed and acknowledged; the authority has not been asked for anything yet, and the request waits in the database.
    expect(tsa.granted).toBe(grantedBefore);
    const [queued] = await timestampsOf(test.db, reference);
    expect(queued).toMatchObject({ tsaUrl: tsa.url, state: 'pending', attempts: 0, sha256: await sha256Hex(canonicalJson(body)) });

    // The authority is down: the try is recorded and the next one put off.
    let clock = new Date();
    const worker = new TimestampWorker({ db: test.db, logger: silent, now: () => clock, backoffMs: () => 60_000 });
    await worker.runUntilIdle();
    const [failed] = await timestampsOf(test.db, reference);
    expect(failed).toMatchObject({ state: 'pending', attempts: 1 });
    expect(failed!.lastError).toMatch(/HTTP 503/);
    expect(new Date(failed!.nextAttemptAt).getTime()).toBe(clock.getTime() + 60_000);
    await worker.stop();

    // A restart: a new worker finds the request in the database; not due yet, then due once the backoff has passed.
    tsa.down = false;
    const restarted = new TimestampWorker({ db: test.db, logger: silent, now: () => clock });
    await restarted.runUntilIdle();
    expect((await timestampsOf(test.db, reference))[0]!.state).toBe('pending');
    clock = new Date(clock.getTime() + 61_000);
    await restarted.runUntilIdle();
    await restarted.stop();
    const [granted] = await timestampsOf(test.db, reference);
    expect(granted).toMatchObject({ state: 'granted', attempts: 2, lastError: null, tsa: 'O=OHR test, CN=OHR Test TSA' });
    const verdict = await verifyTimestampToken(Buffer.from(granted!.token!, 'base64'), granted!.sha256, [parseCertificate(new TextEncoder().encode(tsa.rootPem))]);
    expect(verdict.checks.filter((check) => !check.ok)).toEqual([]);
    expect(verdict.facts?.genTime).toBe(granted!.genTime);
    expect(verdict.facts?.serial).toBe(granted!.serial);

    // The reporter's client gets the token with the status when it asks (older clients do not).
    const status = StatusResponse.parse(await (await app.request(`/api/v1/reports/${reference}/status?include=questions,satisfaction,timestamps`, { headers: bearer(statusToken) })).json());
    expect(status.timestamps).toEqual([{ authority: 'O=OHR test, CN=OHR Test TSA', genTime: granted!.genTime, serial: granted!.serial, token: granted!.token }]);
    const plain = (await (await app.request(`/api/v1/reports/${reference}/status`, { headers: bearer(statusToken) })).json()) as object;
    expect('timestamps' in plain).toBe(false);

    // The console's report view shows it, read-only.
    const html = renderToString(h(CaptureProof, { proof: await captureProofOf(test.db, reference) }));
    expect(html).toContain(granted!.sha256);
    expect(html).toContain(`${granted!.genTime!.slice(0, 16).replace('T', ' ')} UTC`);
    expect(html).toContain(`<code>${granted!.serial}</code>`);
    expect(html).toContain('O=OHR test, CN=OHR Test TSA');
  });

  it('refuses a token from an authority the verifier does not trust, and one over another hash', async () => {
    const other = await startTestTsa('Another TSA');
    try {
      const body = await report();
      const response = await postReport(app, body, body.id);
      const { reference } = Receipt.parse(await response.json());
      const worker = new TimestampWorker({ db: test.db, logger: silent });
      await worker.runUntilIdle();
      await worker.stop();
      const [row] = await timestampsOf(test.db, reference);
      const token = Buffer.from(row!.token!, 'base64');
      const wrongRoot = await verifyTimestampToken(token, row!.sha256, [parseCertificate(new TextEncoder().encode(other.rootPem))]);
      expect(wrongRoot.ok).toBe(false);
      expect((await verifyTimestampToken(token, '0'.repeat(64))).ok).toBe(false);
    } finally {
      await other.close();
    }
  });
});
