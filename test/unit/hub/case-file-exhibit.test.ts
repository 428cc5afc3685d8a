/**
 * Issue 21, "A capture that holds up in court", in the police case file: the hub's signed receipt, the RFC 3161 tokens
 * from a timestamp authority the test starts, the chain of custody in words (opening evidence and revealing contact
 * details recorded, never a note's words) and the exhibit PDF, read back with pdfjs-dist: it names every evidence
 * hash and the timestamp's time. `npm run verify`'s checks pass on the file as made. On PGlite and PostgreSQL.
 */
import { deflateSync, crc32 } from 'node:zlib';
import { strFromU8, unzipSync, type Unzipped } from 'fflate';
import type { Hono } from 'hono';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCaseFile } from '../../../hub/console/referrals/case-file';
import { loadAudit, loadEvidence, loadProof, loadReports } from '../../../hub/console/referrals/sources';
import { openSealedContact, recordEvidenceView, revealContact } from '../../../hub/domain/audit';
import { TimestampWorker } from '../../../hub/domain/timestamps';
import { addNote } from '../../../hub/domain/workflow';
import { verifyZip } from '../../../lib/evidence-pack/verify-zip';
import { sha256Hex } from '../../../lib/hash';
import { parseCertificate } from '../../../lib/integrity/timestamp';
import { Receipt, type Report } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';
import { createTestApp, openTestDatabase, postReport, putEvidence, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';
import { startTestTsa, type TestTsa } from './tsa-server';
import { consoleApp, signedIn } from './console-helpers';

const MODERATOR = '00000000-0000-4000-8000-0000000000c3';
const NOTE = 'Internal: spoke to the reporter at home';

/** A real PNG (a small grey gradient with a varying row), so the PDF library embeds it as a picture. */
function png(seed: number): Uint8Array<ArrayBuffer> {
  const width = 40;
  const height = 24;
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = (x * 6 + y * seed) & 0xff;
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
  return new Uint8Array(bytes);
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: bytes.slice(), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join('\n'));
  }
  await doc.destroy();
  return pages.join('\n');
}

describe('the police case file with receipt, timestamps, custody and exhibit', () => {
  let test: TestDatabase;
  let app: Hono;
  let tsa: TestTsa;
  let files: Unzipped;
  let reference: string;
  let hashes: string[];
  let genTime: string;

  beforeAll(async () => {
    test = await openTestDatabase();
    tsa = await startTestTsa();
    app = createTestApp({ db: test.db, config: { name: 'Exhibit Hub', timestampAuthorities: [{ url: tsa.url }] } });
    await test.db.query(`INSERT INTO moderators (id, email, password_hash, role) VALUES ($1, 'liaison@hub.example', 'x', 'moderator')`, [MODERATOR]);
    const pictures = [png(3), png(7)];
    hashes = [];
    for (const picture of pictures) {
      const sha256 = await sha256Hex(picture);
      expect((await putEvidence(app, picture, sha256)).status).toBe(201);
      hashes.push(sha256);
    }
    const base = sampleReport();
    const report: Report = {
      ...base,
      reporter: { ...base.reporter, anonymous: false, name: 'Jo Example', email: 'jo@example.org', consents: { police: true, platform: true, shareContact: false, supportReferral: false } },
      items: [
        {
          ...base.items[0]!,
          // Uploaded, so nothing was signed on the reporter's computer (signed captures: receipts-verify.test.ts).
          captureMethod: 'widget_upload',
          text: 'Ελληνικά, кириллица, עברית and an emoji 😀 in the captured text',
          evidence: hashes.map((sha256, index) => ({ sha256, mediaType: 'image/png' as const, bytes: pictures[index]!.byteLength, kind: 'screenshot' as const })),
        },
      ],
    };
    const response = await postReport(app, report, report.id);
    expect(response.status).toBe(201);
    reference = Receipt.parse(await response.json()).reference;
    const worker = new TimestampWorker({ db: test.db, logger: pino({ level: 'silent' }) });
    await worker.runUntilIdle();
    await worker.stop();
    const [stamp] = await test.db.query<{ gen_time: Date }>('SELECT gen_time FROM report_timestamps WHERE reference = $1', [reference]);
    genTime = new Date(stamp!.gen_time).toISOString();

    await recordEvidenceView(test.db, MODERATOR, hashes[0]!);
    await recordEvidenceView(test.db, MODERATOR, hashes[0]!); // the same opening again within minutes: one entry
    await revealContact(test.db, reference, MODERATOR);
    await openSealedContact(test.db, reference, MODERATOR);
    expect(await addNote(test.db, { reference, actorId: MODERATOR, body: NOTE })).toEqual({ kind: 'done' });

    const reports = await loadReports(test.db, [reference]);
    const result = await buildCaseFile({
      organisation: 'Exhibit Hub',
      generatedAt: '2026-12-06T09:30:00.000Z',
      reports,
      evidence: await loadEvidence(test.db, reports),
      audit: await loadAudit(test.db, [reference]),
      proof: await loadProof(test.db, 'Exhibit Hub', [reference]),
      keysUrl: 'https://hub.example/.well-known/ohr',
    });
    if (!result.ok) throw new Error('no case file');
    files = unzipSync(result.bytes);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await tsa?.close();
    await test?.dispose();
  });

  it('holds the receipt, the token, custody.txt and exhibit.pdf, and verifies whole (receipt, token, SHA256SUMS)', async () => {
    const folder = `reports/${reference}/`;
    for (const name of ['receipt.json', 'timestamps/1.tst', 'custody.txt', 'exhibit.pdf']) expect(files[folder + name], name).toBeDefined();
    const verdict = await verifyZip(files, [parseCertificate(new TextEncoder().encode(tsa.rootPem))]);
    expect(verdict.text).not.toMatch(/FAIL/);
    expect(verdict.ok).toBe(true);
    // Contact details were withheld from this copy, so the report as received is vouched for by hash only.
    expect(verdict.text).toMatch(/report as received not compared: withheld from this copy: reporter.name, reporter.email/);
    expect(verdict.text).toContain(`time ${genTime}`);
  });

  it('tells the chain of custody in words: who opened which file and asked for contact details, never a note’s words', async () => {
    const custody = strFromU8(files[`reports/${reference}/custody.txt`]!);
    const lines = custody.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`Exhibit Hub received the report and filed it as ${reference}`));
    expect(lines.filter((line) => line.includes(`liaison@hub.example opened evidence file ${hashes[0]}`))).toHaveLength(1);
    expect(custody).toContain('liaison@hub.example asked to see the reporter’s contact details.');
    expect(custody).toContain('liaison@hub.example opened the reporter’s sealed contact details with the organisation’s key.');
    expect(custody).toContain('liaison@hub.example wrote an internal note.');
    expect(custody).not.toContain(NOTE);
  });

  it('has an A4 exhibit PDF naming every evidence hash, the report hash, the timestamp time and serial, as text', async () => {
    const pdf = files[`reports/${reference}/exhibit.pdf`]!;
    const { PDFDocument } = await import('pdf-lib');
    const doc = await PDFDocument.load(pdf);
    for (const page of doc.getPages()) expect(page.getSize()).toEqual({ width: 595.28, height: 841.89 });
    const text = await pdfText(pdf);
    for (const sha256 of hashes) expect(text).toContain(sha256);
    expect(text).toContain(`${genTime.slice(0, 19).replace('T', ' ')} UTC`);
    expect(text).toContain('O=OHR test, CN=OHR Test TSA');
    expect(text).toContain(`Exhibit ${reference}`);
    expect(text).toMatch(/in the captured text/);
    expect(text).not.toContain(NOTE);
    expect(text).not.toContain('jo@example.org');
  });

  it('through the console: opening a file is recorded, the report view shows the timestamp, the case file tells both', async () => {
    const console = consoleApp(test.db);
    const { browser, moderator } = await signedIn(console, test.db);
    expect((await browser.get(`/console/evidence/${hashes[1]}`)).status).toBe(200);
    const views = await test.db.query<{ after: unknown }>(`SELECT after FROM audit_log WHERE reference = $1 AND actor_id = $2 AND action = 'evidence.view'`, [reference, moderator.id]);
    expect(views.map((row) => (typeof row.after === 'string' ? JSON.parse(row.after) : row.after))).toEqual([{ sha256: hashes[1] }]);
    const page = await (await browser.get(`/console/reports/${reference}`)).text();
    expect(page).toContain('data-testid="capture-proof"');
    expect(page).toContain(`${genTime.slice(0, 16).replace('T', ' ')} UTC`);
    const zip = await browser.post('/console/referrals/case-file', { refs: reference });
    expect(zip.status).toBe(200);
    const caseFile = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(strFromU8(caseFile[`reports/${reference}/custody.txt`]!)).toContain(`${moderator.email} opened evidence file ${hashes[1]}.`);
    expect((await verifyZip(caseFile)).ok).toBe(true);
  });
});
