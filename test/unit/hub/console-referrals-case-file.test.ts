/**
 * The police case file, from reports filed through the real intake API into a real database: every file present,
 * SHA256SUMS right, evidence and signatures checked, contact details only with consent, escaping in the summary, and
 * the same bytes for the same input.
 */
import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest, newSigningKey, signManifest } from '../../../lib/integrity';
import { verifyReport, type EvidenceSource } from '../../../lib/integrity/verify';
import type { Report } from '../../../lib/schema';
import { buildCaseFile, canAddSealedContact, forPolice, SUMS_FILE, type CaseFileInput } from '../../../hub/console/referrals/case-file';
import { loadAudit, loadEvidence, loadReports } from '../../../hub/console/referrals/sources';
import { sampleReport } from '../../fixtures/report';
import { createTestApp, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;

beforeAll(async () => {
  testDb = await openTestDatabase();
  app = createTestApp({ db: testDb.db });
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

const GENERATED_AT = '2026-11-25T12:34:56.000Z';
const HOSTILE = '<script>alert("case")</script><img src=x onerror=alert(1)>';

/** A signed report about one uploaded screenshot, from a named reporter with the given consents. */
async function fileSignedReport(consents: Partial<Report['reporter']['consents']>, email: string): Promise<string> {
  const { sha256, bytes } = await uploadPng(app);
  const key = await newSigningKey();
  const base = sampleReport();
  const evidence = [{ sha256, mediaType: 'image/png' as const, bytes: bytes.byteLength, kind: 'screenshot' as const }];
  const item = { ...base.items[0]!, text: `${HOSTILE}\nsecond line`, evidence };
  const manifest = await signManifest(
    await buildManifest({ itemIndex: 0, pageUrl: item.url, capturedAt: item.capturedAt, tool: base.client, browser: 'Chromium 140', evidence, text: item.text }),
    key.privateKey,
  );
  const report: Report = {
    ...base,
    reporter: {
      ...base.reporter,
      anonymous: false,
      name: 'Sam Reporter',
      email,
      phone: '+44 7700 900456',
      contact: { channel: 'email', safeTimes: 'weekday evenings' },
      consents: { police: true, platform: true, shareContact: true, supportReferral: false, ...consents },
    },
    incident: { ...base.incident, summary: HOSTILE },
    items: [item],
    captureManifests: [manifest],
    publicKey: key.publicJwk,
  };
  const response = await postReport(app, report, report.id);
  expect(response.status).toBe(201);
  return ((await response.json()) as { reference: string }).reference;
}

async function input(references: string[]): Promise<CaseFileInput> {
  const reports = await loadReports(testDb.db, references);
  return {
    organisation: 'Test Hub',
    generatedAt: GENERATED_AT,
    reports,
    evidence: await loadEvidence(testDb.db, reports),
    audit: await loadAudit(testDb.db, references),
  };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('police case file', () => {
  let consented: string;
  let withheld: string;

  beforeAll(async () => {
    consented = await fileSignedReport({}, 'sam@example.org');
    withheld = await fileSignedReport({ shareContact: false }, 'private@example.org');
    const [moderator] = await testDb.db.query<{ id: string }>(
      `INSERT INTO moderators (email, password_hash, role) VALUES ('mod@hub.example', 'x', 'moderator') RETURNING id`,
    );
    await testDb.db.query(`INSERT INTO audit_log (actor_id, action, reference, before, after) VALUES ($1, 'status.change', $2, '{"status":"received"}', '{"status":"in_review"}')`, [
      moderator!.id,
      consented,
    ]);
    await testDb.db.query(`INSERT INTO audit_log (action, reference, after) VALUES ('note.public', $1, $2)`, [withheld, JSON.stringify({ note: HOSTILE })]);
  }, SETUP_TIMEOUT_MS);

  it('holds every report, artefact, manifest, summary and audit row, with a right SHA256SUMS', async () => {
    const result = await buildCaseFile(await input([consented, withheld]));
    if (!result.ok) throw new Error('expected a case file');
    const files = unzipSync(result.bytes);
    const reports = await loadReports(testDb.db, [consented, withheld]);
    const hashes = reports.map((held) => held.report.items[0]!.evidence[0]!.sha256).sort();
    expect(Object.keys(files)).toEqual(
      [
        'audit-trail.json',
        ...hashes.map((hash) => `evidence/${hash}.png`),
        ...[consented, withheld]
          .sort()
          .flatMap((reference) => [
            `reports/${reference}/custody.txt`,
            `reports/${reference}/exhibit.pdf`,
            `reports/${reference}/manifests/item-0.json`,
            `reports/${reference}/report.json`,
            `reports/${reference}/verification.txt`,
          ]),
        'summary.html',
        'summary.txt',
        SUMS_FILE,
      ].sort((a, b) => (a === SUMS_FILE ? 1 : b === SUMS_FILE ? -1 : a < b ? -1 : 1)),
    );
    expect(result.files).toEqual(Object.keys(files));
    const sums = strFromU8(files[SUMS_FILE]!).trimEnd().split('\n');
    expect(sums).toHaveLength(Object.keys(files).length - 1);
    for (const line of sums) {
      const [hash, name] = line.split('  ');
      expect(sha256(files[name!]!), name).toBe(hash);
    }
    expect(result.sha256).toBe(sha256(result.bytes));
    for (const held of reports) {
      const evidence = held.report.items[0]!.evidence[0]!;
      expect(sha256(files[`evidence/${evidence.sha256}.png`]!)).toBe(evidence.sha256);
      expect(strFromU8(files[`reports/${held.reference}/verification.txt`]!)).toContain('VERIFIED: every artefact and signature checks out.');
    }
    // The police can repeat the check from the file alone: each report keeps the public key of its own copy.
    const inFile = reports.map((held) => (JSON.parse(strFromU8(files[`reports/${held.reference}/report.json`]!)) as { report: Report }).report);
    const zipped: EvidenceSource = {
      async *files() {
        for (const [name, bytes] of Object.entries(files)) if (name.startsWith('evidence/')) yield { name, bytes: bytes as Uint8Array<ArrayBuffer> };
      },
    };
    for (const report of inFile) expect((await verifyReport(report, zipped)).ok).toBe(true);
    expect(inFile[0]!.publicKey).not.toEqual(inFile[1]!.publicKey);
    const audit = JSON.parse(strFromU8(files['audit-trail.json']!)) as Array<{ actor: string | null; action: string; reference: string }>;
    expect(audit.map((row) => [row.reference, row.action, row.actor])).toEqual([
      [consented, 'status.change', 'mod@hub.example'],
      [withheld, 'note.public', null],
    ]);
  });

  it('gives contact details only where the reporter agreed to share them with the police', async () => {
    const result = await buildCaseFile(await input([consented, withheld]));
    if (!result.ok) throw new Error('expected a case file');
    const files = unzipSync(result.bytes);
    const text = Object.entries(files)
      .filter(([name]) => !name.startsWith('evidence/'))
      .map(([, bytes]) => strFromU8(bytes))
      .join('\n');
    expect(text).toContain('sam@example.org');
    expect(text).not.toContain('private@example.org');
    const filed = JSON.parse(strFromU8(files[`reports/${withheld}/report.json`]!)) as { withheld: string[]; report: Report; status: string };
    expect(filed.withheld).toEqual(['reporter.name', 'reporter.email', 'reporter.phone', 'reporter.contact.safeTimes']);
    expect(filed.report.reporter).not.toHaveProperty('email');
    expect(filed.report.reporter.contact).toEqual({ channel: 'none' });
    expect(filed.status).toBe('received');
    const open = JSON.parse(strFromU8(files[`reports/${consented}/report.json`]!)) as { withheld: string[]; report: Report };
    expect(open.withheld).toEqual([]);
    expect(open.report.reporter.phone).toBe('+44 7700 900456');
  });

  it('escapes captured and reported text in the HTML summary and quotes it in the plain text', async () => {
    const result = await buildCaseFile(await input([consented]));
    if (!result.ok) throw new Error('expected a case file');
    const files = unzipSync(result.bytes);
    const html = strFromU8(files['summary.html']!);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script>alert(&quot;case&quot;)&lt;/script>');
    expect(html).toContain('Evidence verified');
    const text = strFromU8(files['summary.txt']!);
    expect(text).toContain(`    > ${HOSTILE}\n    > second line`);
  });

  it('makes the same bytes from the same input', async () => {
    const first = await buildCaseFile(await input([withheld, consented]));
    const second = await buildCaseFile(await input([withheld, consented]));
    if (!first.ok || !second.ok) throw new Error('expected case files');
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(second.sha256).toBe(first.sha256);
  });

  it('says when evidence does not match and leaves out reports without consent to tell the police', async () => {
    const base = await input([consented, withheld]);
    const tampered = base.evidence.map((file, index) => (index === 0 ? { ...file, bytes: file.bytes.map((byte, at) => (at === 40 ? byte ^ 1 : byte)) } : file));
    const result = await buildCaseFile({ ...base, evidence: tampered });
    if (!result.ok) throw new Error('expected a case file');
    const files = unzipSync(result.bytes);
    const verdicts = Object.entries(files).filter(([name]) => name.endsWith('verification.txt')).map(([, bytes]) => strFromU8(bytes));
    expect(verdicts.filter((verdict) => verdict.includes('NOT VERIFIED'))).toHaveLength(1);

    const refused = base.reports.map((held) => ({ ...held, report: { ...held.report, reporter: { ...held.report.reporter, consents: { ...held.report.reporter.consents, police: held.reference !== consented } } } }));
    const partial = await buildCaseFile({ ...base, reports: refused });
    expect(partial.ok && partial.references).toEqual([withheld]);
    expect(partial.withoutConsent).toEqual([consented]);
    const none = await buildCaseFile({ ...base, reports: refused.filter((held) => held.reference === consented) });
    expect(none).toEqual({ ok: false, withoutConsent: [consented] });
  });
});

describe('forPolice and sealed contact details', () => {
  /** A reporter who sealed their details (the ciphertext is the schema's shape; it is never opened here). */
  const sealedReport = (consents: Partial<Report['reporter']['consents']>): Report => {
    const base = sampleReport();
    return {
      ...base,
      reporter: {
        ...base.reporter,
        anonymous: false,
        contact: { channel: 'email', safeTimes: 'mornings' },
        sealed: { alg: 'HPKE-Base-P256-SHA256-AES128GCM', kid: 'org-1', enc: 'A'.repeat(87), ct: 'c2VhbGVk' },
        consents: { police: true, platform: false, shareContact: true, supportReferral: false, ...consents },
      },
    };
  };

  it('never carries the sealed block, and lists it as withheld unless its details are added', () => {
    const consented = sealedReport({});
    expect(canAddSealedContact(consented)).toBe(true);
    const kept = forPolice(consented);
    expect(kept.report.reporter).not.toHaveProperty('sealed');
    expect(kept.withheld).toEqual(['reporter.sealed']);
    expect(kept.report.reporter.contact).toEqual({ channel: 'email', safeTimes: 'mornings' });
    const added = forPolice(consented, true);
    expect(added.report.reporter).not.toHaveProperty('sealed');
    expect(added.withheld).toEqual([]);
  });

  it('withholds the sealed block from a reporter who did not agree to share contact details, even when asked to add it', () => {
    const refused = sealedReport({ shareContact: false });
    expect(canAddSealedContact(refused)).toBe(false);
    const filed = forPolice(refused, true);
    expect(filed.report.reporter).not.toHaveProperty('sealed');
    expect(filed.withheld).toEqual(['reporter.contact.safeTimes', 'reporter.sealed']);
    expect(filed.report.reporter.contact).toEqual({ channel: 'none' });
    expect(canAddSealedContact(sealedReport({ police: false }))).toBe(false);
    const plain = sampleReport();
    expect(canAddSealedContact({ ...plain, reporter: { ...plain.reporter, consents: { ...plain.reporter.consents, police: true, shareContact: true } } })).toBe(false);
    expect(forPolice(plain).withheld).not.toContain('reporter.sealed');
  });

  it('says in report.json and the summary where added details are, and that the others were not opened', async () => {
    const held = (reference: string, report: Report) => ({ reference, receivedAt: GENERATED_AT, report, status: 'received' as const, urgent: false });
    const reports = [held('OHR-AAAA-AAAA', sealedReport({})), held('OHR-BBBB-BBBB', sealedReport({})), held('OHR-CCCC-CCCC', sealedReport({ shareContact: false }))];
    const result = await buildCaseFile({
      organisation: 'Test Hub',
      generatedAt: GENERATED_AT,
      reports,
      evidence: [],
      audit: [],
      addSealedContact: new Set(['OHR-AAAA-AAAA', 'OHR-CCCC-CCCC']),
    });
    if (!result.ok) throw new Error('expected a case file');
    expect(result.sealedAdded).toEqual(['OHR-AAAA-AAAA']);
    const files = unzipSync(result.bytes);
    const filed = (reference: string) => JSON.parse(strFromU8(files[`reports/${reference}/report.json`]!)) as { withheld: string[]; contactDetails?: string; report: Report };
    expect(filed('OHR-AAAA-AAAA')).toMatchObject({ withheld: [], contactDetails: 'contact.json' });
    expect(filed('OHR-BBBB-BBBB').withheld).toEqual(['reporter.sealed']);
    expect(filed('OHR-BBBB-BBBB')).not.toHaveProperty('contactDetails');
    expect(filed('OHR-CCCC-CCCC').withheld).toEqual(['reporter.contact.safeTimes', 'reporter.sealed']);
    expect(filed('OHR-CCCC-CCCC')).not.toHaveProperty('contactDetails');
    // The ciphertext is nowhere in the file.
    for (const [name, bytes] of Object.entries(files)) if (!name.endsWith('.pdf')) expect(strFromU8(bytes), name).not.toContain('c2VhbGVk');
    const text = strFromU8(files['summary.txt']!);
    expect(text).toContain('reports/OHR-AAAA-AAAA/contact.json');
    expect(text).toContain('they were not opened for this case file');
    expect(text).toContain('did not agree to share contact details with the police');
  });
});
