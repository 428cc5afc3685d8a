/**
 * Issue 21, "A capture that holds up in court": the person's evidence pack carries each organisation's signed receipt
 * with the copy it covers and RFC 3161 tokens over that copy's hash, and `npm run verify` checks all of it. It fails
 * when the capture manifest, the receipt or a timestamp token is altered (one test each). The capture environment is
 * in the pack and never in a report that is sent.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, strToU8, unzipSync, type Unzipped } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureEnvironment } from '../../../lib/evidence-pack/environment';
import { buildEvidencePack, type PackReceipt } from '../../../lib/evidence-pack/export';
import { ENVIRONMENT_FILE, evidencePath } from '../../../lib/evidence-pack/layout';
import { verifyZip } from '../../../lib/evidence-pack/verify-zip';
import { sha256Hex } from '../../../lib/hash';
import { canonicalJson } from '../../../lib/integrity/canonical';
import { ECDSA_P256 } from '../../../lib/integrity/keys';
import { jwkThumbprint, signReceiptPayload } from '../../../lib/integrity/receipt';
import { parseCertificate } from '../../../lib/integrity/timestamp';
import { signedCopy } from '../../../lib/report/sign';
import { HubPublicKeyJwk, PublicKeyJwk, Report, RECEIPT_FORMAT, type Report as ReportType } from '../../../lib/schema';
import { askAuthority } from '../../../hub/domain/timestamps';
import { startTestTsa, type TestTsa } from '../hub/tsa-server';
import { sampleReport } from '../../fixtures/report';

const run = promisify(execFile);
const NOW = '2026-12-06T09:00:00.000Z';
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 120 }, (_, i) => i)]) as Uint8Array<ArrayBuffer>;

async function hubKey() {
  const pair = (await crypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const jwk = PublicKeyJwk.parse({ kty, crv, x, y });
  return { privateKey: pair.privateKey, publicJwk: HubPublicKeyJwk.parse({ ...jwk, kid: await jwkThumbprint(jwk), alg: 'ES256', use: 'sig' }) };
}

describe('an evidence pack with hub receipts and timestamps', () => {
  let tsa: TestTsa;
  let files: Unzipped;
  let dir: string;
  let own: ReportType;
  let sent: ReportType;

  beforeAll(async () => {
    tsa = await startTestTsa();
    dir = await mkdtemp(join(tmpdir(), 'ohr-receipts-'));
    const sha256 = await sha256Hex(PNG);
    const base = sampleReport();
    const report: ReportType = {
      ...base,
      items: [{ ...base.items[0]!, captureMethod: 'extension', evidence: [{ sha256, mediaType: 'image/png', bytes: PNG.byteLength, kind: 'screenshot' }] }],
    };
    own = await signedCopy(report, crypto.randomUUID(), 'Chrome 131');
    sent = await signedCopy(report, crypto.randomUUID(), 'Chrome 131');
    const key = await hubKey();
    const reportSha256 = await sha256Hex(canonicalJson(JSON.parse(JSON.stringify(sent))));
    const receipt = await signReceiptPayload(
      { format: RECEIPT_FORMAT, hub: 'Test Hub', reference: 'OHR-ABCD-2345', reportId: sent.id, receivedAt: NOW, reportSha256, evidence: [sha256] },
      key.privateKey,
      key.publicJwk,
    );
    const token = await askAuthority(tsa.url, reportSha256);
    if (!token.ok) throw new Error(token.error);
    const receipts: PackReceipt[] = [{ report: sent, receipt, timestamps: [token.token] }];
    const environment = captureEnvironment({ tool: own.client, browser: 'Chrome 131', at: new Date(NOW) });
    const pack = await buildEvidencePack(own, [{ sha256, mediaType: 'image/png', bytes: PNG }], { generatedAt: NOW, receipts, environment });
    files = unzipSync(pack);
    await writeFile(join(dir, 'good.zip'), pack);
    await writeFile(join(dir, 'root.pem'), tsa.rootPem);
  }, 60_000);
  afterAll(async () => {
    await tsa?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const rezip = async (name: string, change: (files: Unzipped) => void) => {
    const copy: Unzipped = { ...files };
    change(copy);
    const { zipSync } = await import('fflate');
    const path = join(dir, name);
    await writeFile(path, zipSync(copy));
    return { path, copy };
  };

  it('holds the receipt, the copy it covers, the token and the environment, and verifies with the authority root', async () => {
    expect(Object.keys(files).sort()).toEqual(
      expect.arrayContaining(['report.json', 'receipts/1/report.json', 'receipts/1/receipt.json', 'receipts/1/timestamps/1.tst', ENVIRONMENT_FILE, evidencePath(own.items[0]!.evidence[0]!.sha256, 'image/png')]),
    );
    const verdict = await verifyZip(files, [parseCertificate(strToU8(tsa.rootPem))]);
    expect(verdict.text).not.toMatch(/FAIL/);
    expect(verdict.ok).toBe(true);
    expect(verdict.text).toMatch(/hub receipt signature \(Test Hub, OHR-ABCD-2345, received 2026-12-06T09:00:00.000Z\)/);
    expect(verdict.text).toMatch(/receipts\/1\/timestamps\/1\.tst: timestamp token signature by O=OHR test, CN=OHR Test TSA, chained to a trusted root/);
    const cli = await run('npx', ['tsx', 'scripts/verify.ts', join(dir, 'good.zip'), '--tsa-ca', join(dir, 'root.pem')]);
    expect(cli.stdout).toMatch(/^VERIFIED/m);
  }, 60_000);

  it('fails when a capture manifest is altered', async () => {
    const { path, copy } = await rezip('manifest.zip', (zip) => {
      const report = JSON.parse(strFromU8(zip['receipts/1/report.json']!)) as ReportType;
      report.captureManifests![0]!.capturedAt = '2020-01-01T00:00:00.000Z';
      zip['receipts/1/report.json'] = strToU8(JSON.stringify(report));
    });
    const verdict = await verifyZip(copy);
    expect(verdict.ok).toBe(false);
    expect(verdict.text).toMatch(/FAIL {2}capture manifest signature/);
    const failed = await run('npx', ['tsx', 'scripts/verify.ts', path]).catch((error: { code: number; stdout: string }) => error);
    expect('code' in failed && failed.code).toBe(1);
  }, 60_000);

  it('fails when the hub receipt is altered', async () => {
    const { copy } = await rezip('receipt.zip', (zip) => {
      const receipt = JSON.parse(strFromU8(zip['receipts/1/receipt.json']!)) as { payload: { receivedAt: string } };
      receipt.payload.receivedAt = '2026-12-07T09:00:00.000Z';
      zip['receipts/1/receipt.json'] = strToU8(JSON.stringify(receipt));
    });
    const verdict = await verifyZip(copy);
    expect(verdict.ok).toBe(false);
    expect(verdict.text).toMatch(/FAIL {2}hub receipt signature/);
  });

  it('fails when a timestamp token is altered', async () => {
    const { copy } = await rezip('token.zip', (zip) => {
      const token = zip['receipts/1/timestamps/1.tst']!.slice();
      // A byte of the TSTInfo's time: the token then says another time than the authority signed.
      const at = Buffer.from(token).indexOf(Buffer.from(new Date().toISOString().slice(0, 4)));
      token[at + 3] = token[at + 3]! ^ 1;
      zip['receipts/1/timestamps/1.tst'] = token;
    });
    const verdict = await verifyZip(copy);
    expect(verdict.ok).toBe(false);
    expect(verdict.text).toMatch(/FAIL {2}receipts\/1\/timestamps\/1\.tst: timestamp token signature/);
  });

  it('keeps the capture environment in the pack only: no report, sent or own, carries it, and the schema refuses it', async () => {
    const environment = JSON.parse(strFromU8(files[ENVIRONMENT_FILE]!)) as Record<string, unknown>;
    expect(environment).toMatchObject({ tool: own.client, browser: 'Chrome 131', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    expect(String(environment.timeSource)).toMatch(/clock/);
    for (const name of ['report.json', 'receipts/1/report.json']) {
      const text = strFromU8(files[name]!);
      expect(text).not.toContain('timeZone');
      expect(text).not.toContain(String(environment.timeSource));
    }
    // Whatever a client tried, an anonymous report with the environment in it is not a report.
    const anonymous = { ...sent, reporter: { ...sent.reporter, anonymous: true }, captureEnvironment: environment };
    expect(Report.safeParse(anonymous).success).toBe(false);
  });
});
