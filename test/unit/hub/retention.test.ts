/**
 * Retention and erasure (hub/domain/retention.ts) on a real database through the real routes: a withdrawn report's
 * personal data and evidence are gone from every table at once (the whole database's text is searched for them), its
 * audit entries remain without them and the chain still verifies; evidence another live report uses stays; a report
 * closed longer than the retention period is erased by the purge the hub schedules at start; an admin erases a report
 * from the console, a moderator cannot, and an open report is refused.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Receipt, type Report } from '../../../lib/schema';
import { verifyAuditChain } from '../../../hub/domain/audit';
import { readEvidence } from '../../../hub/domain/evidence';
import { purgeExpired } from '../../../hub/domain/retention';
import { addNote, changeStatus, setPublicNote } from '../../../hub/domain/workflow';
import { startHub } from '../../../hub/server';
import { sampleReport } from '../../fixtures/report';
import { clock, consoleApp, makeModerator, signedIn, type Browser } from './console-helpers';
import { bearer, captureLogger, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;
let moderatorId: string;
beforeAll(async () => {
  testDb = await openTestDatabase();
  app = consoleApp(testDb.db, clock());
  moderatorId = (await makeModerator(testDb.db)).id;
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

const db = () => testDb.db;

/** Words only this test's reporter could have written, so finding any of them anywhere means it was kept. */
function personal() {
  const tag = crypto.randomUUID().slice(0, 8);
  return {
    name: `Ffion Eraseme-${tag}`,
    email: `ffion.${tag}@example.org`,
    phone: `+44 7700 9${tag.replace(/[^0-9]/g, '0').slice(0, 5)}`,
    summary: `zqsummary${tag} was threatened`,
    text: `zqcaptured${tag} hateful words`,
    url: `https://example.org/posts/zqurl${tag}`,
    note: `Called Ffion Eraseme-${tag} back zqnote${tag}`,
    publicNote: `Thank you zqpublic${tag}`,
  };
}

/** Files a named reporter's report through the API with the given evidence files. */
async function file(words: ReturnType<typeof personal>, evidence: Array<{ sha256: string; bytes: Uint8Array }>): Promise<Receipt> {
  const base = sampleReport();
  const report: Report = {
    ...base,
    reporter: { ...base.reporter, anonymous: false, name: words.name, email: words.email, phone: words.phone, contact: { channel: 'email' } },
    incident: { ...base.incident, summary: words.summary },
    items: [
      {
        ...base.items[0]!,
        url: words.url,
        text: words.text,
        platform: 'x',
        author: { handle: `@zqhandle${words.email.slice(6, 14)}` },
        evidence: evidence.map((file) => ({ sha256: file.sha256, mediaType: 'image/png' as const, bytes: file.bytes.byteLength, kind: 'screenshot' as const })),
      },
    ],
  };
  const response = await postReport(app, report, report.id);
  expect(response.status).toBe(201);
  return Receipt.parse(await response.json());
}

/** Every row of every table in the hub's schema, as text (bytea as hex), in one string. */
async function wholeDatabase(): Promise<string> {
  const tables = await db().query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['reports', 'evidence_chunks', 'audit_entries', 'audit_payloads', 'report_keys']));
  const texts = await Promise.all(tables.map(({ name }) => db().query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`)));
  return texts.flat().map((row) => row.row).join('\n');
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('a withdrawn report', () => {
  it('is erased at once: its personal data and evidence are gone from every table, its audit entries remain and still chain', async () => {
    const words = personal();
    const own = await uploadPng(app);
    const shared = await uploadPng(app);
    const receipt = await file(words, [own, shared]);
    // Another reporter's live report uses the same second file.
    const other = await file(personal(), [shared]);
    const reference = receipt.reference;
    expect(await changeStatus(db(), { reference, actorId: moderatorId, to: 'in_review' })).toEqual({ kind: 'done' });
    expect(await addNote(db(), { reference, actorId: moderatorId, body: words.note })).toEqual({ kind: 'done' });
    expect(await setPublicNote(db(), { reference, actorId: moderatorId, note: words.publicNote })).toEqual({ kind: 'done' });
    const before = await wholeDatabase();
    for (const value of Object.values(words)) expect(before).toContain(value);
    expect(before).toContain(hex(own.bytes).slice(0, 200));

    const withdrawn = await app.request(`/api/v1/reports/${reference}`, { method: 'DELETE', headers: bearer(receipt.statusToken) });
    expect(withdrawn.status).toBe(200);

    const after = await wholeDatabase();
    for (const [what, value] of Object.entries(words)) expect(after.includes(value), `${what} is still stored`).toBe(false);
    expect(after).not.toContain(hex(own.bytes).slice(0, 200));
    expect(after).not.toContain(own.sha256);
    expect(await readEvidence(db(), own.sha256)).toBeUndefined();
    // The shared file stays for the live report.
    expect((await readEvidence(db(), shared.sha256))?.intact).toBe(true);
    expect(after).toContain(hex(shared.bytes).slice(0, 200));

    // The tombstone: status, outcome and the open-data columns, nothing else.
    const [row] = await db().query<Record<string, unknown>>(
      `SELECT status, outcome, characteristics, harm_types, platforms, url_keys, author_keys, contact_keys, evidence_hashes, search::text AS search,
              public_note, erased_at IS NOT NULL AS erased FROM reports WHERE reference = $1`,
      [reference],
    );
    expect(row).toEqual({
      status: 'closed', outcome: 'withdrawn', characteristics: ['religion'], harm_types: ['hate_speech', 'incitement'], platforms: ['x'],
      url_keys: [], author_keys: [], contact_keys: [], evidence_hashes: [], search: '', public_note: null, erased: true,
    });
    // The reporter's receipt still answers.
    const status = await app.request(`/api/v1/reports/${reference}/status`, { headers: bearer(receipt.statusToken) });
    expect(await status.json()).toMatchObject({ status: 'closed', outcome: 'withdrawn' });

    // Who did what survives; what they wrote does not.
    const trail = await db().query<{ action: string; actor_id: string | null; after: unknown; erased: boolean }>(
      'SELECT action, actor_id::text, after, erased FROM audit_log WHERE reference = $1 ORDER BY id',
      [reference],
    );
    expect(trail).toEqual([
      { action: 'status', actor_id: moderatorId, after: { status: 'in_review', outcome: null }, erased: false },
      { action: 'note', actor_id: moderatorId, after: null, erased: true },
      { action: 'public_note', actor_id: moderatorId, after: null, erased: true },
      { action: 'withdraw', actor_id: null, after: { status: 'closed', outcome: 'withdrawn' }, erased: false },
      { action: 'report.erase', actor_id: null, after: { reason: 'withdrawn', evidenceErased: 1, evidenceKept: 1, auditPayloadsErased: 2 }, erased: false },
    ]);
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true, breaks: [] });
    // The other report is untouched.
    const [kept] = await db().query<{ erased_at: Date | null }>('SELECT erased_at FROM reports WHERE reference = $1', [other.reference]);
    expect(kept?.erased_at).toBeNull();
  }, SETUP_TIMEOUT_MS);
});

describe('an admin in the console', () => {
  let admin: Browser;
  let moderator: Browser;
  beforeAll(async () => {
    ({ browser: admin } = await signedIn(app, db(), 'admin'));
    ({ browser: moderator } = await signedIn(app, db(), 'moderator'));
  });

  it('erases a closed report after choosing why and confirming; a moderator cannot; an open report is refused', async () => {
    const words = personal();
    const evidence = await uploadPng(app);
    const { reference } = await file(words, [evidence]);
    const page = `/console/reports/${reference}`;

    // Open: no erase link, and the erase page sends the admin back.
    expect(await (await admin.get(page)).text()).toContain('Only a closed report can be erased');
    expect((await admin.get(`${page}/erase`)).headers.get('Location')).toBe(`${page}?problem=not_closed`);
    expect((await admin.post(`${page}/erase`, { reason: 'reporter_request', confirm: 'yes' })).headers.get('Location')).toBe(`${page}?problem=not_closed`);
    expect(await changeStatus(db(), { reference, actorId: moderatorId, to: 'closed', outcome: 'no_further_action' })).toEqual({ kind: 'done' });

    // A moderator is not allowed, neither the page nor the action.
    expect((await moderator.get(`${page}/erase`)).status).toBe(403);
    await moderator.get(page);
    expect((await moderator.post(`${page}/erase`, { reason: 'reporter_request', confirm: 'yes' })).status).toBe(403);

    const confirmPage = await admin.get(page).then(() => admin.get(`${page}/erase`));
    expect(confirmPage.status).toBe(200);
    const html = await confirmPage.text();
    expect(html).toContain('The reporter asked for their data to be erased');
    expect(html).not.toContain('<script');
    // Without a reason, or without the confirmation, nothing happens.
    expect((await admin.post(`${page}/erase`, { confirm: 'yes' })).headers.get('Location')).toBe(`${page}/erase?problem=invalid`);
    expect((await admin.post(`${page}/erase`, { reason: 'reporter_request' })).headers.get('Location')).toBe(`${page}/erase?problem=invalid`);
    expect((await admin.post(`${page}/erase`, { reason: 'because I said so', confirm: 'yes' })).headers.get('Location')).toBe(`${page}/erase?problem=invalid`);
    expect(await readEvidence(db(), evidence.sha256)).toBeDefined();

    const erased = await admin.post(`${page}/erase`, { reason: 'reporter_request', confirm: 'yes' });
    expect(erased.headers.get('Location')).toBe(`${page}?done=erased`);
    const view = await (await admin.get(`${page}?done=erased`)).text();
    expect(view).toContain('The report was erased.');
    expect(view).toContain('data-testid="erased"');
    for (const value of [words.name, words.email, words.summary, words.text]) expect(view).not.toContain(value);
    expect(await readEvidence(db(), evidence.sha256)).toBeUndefined();
    const [entry] = await db().query<{ actor_id: string; after: unknown }>(
      `SELECT actor_id::text, after FROM audit_log WHERE reference = $1 AND action = 'report.erase'`,
      [reference],
    );
    expect(entry?.after).toEqual({ reason: 'reporter_request', evidenceErased: 1, evidenceKept: 0, auditPayloadsErased: 0 });
    // A second erasure says so.
    expect((await admin.post(`${page}/erase`, { reason: 'reporter_request', confirm: 'yes' })).headers.get('Location')).toBe(`${page}?problem=already_erased`);
  }, SETUP_TIMEOUT_MS);
});

describe('the scheduled purge', () => {
  it.runIf(process.env.DATABASE_URL)('skips a round while another process is purging', async () => {
    const counts = await db().transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('ohr.retention'), hashtext(current_schema()))`);
      return purgeExpired(db(), { erasureWithdrawnDays: 0, erasureClosedMonths: 12, unreferencedEvidenceHours: 24 });
    });
    expect(counts).toMatchObject({ ran: false, withdrawn: 0, retention: 0 });
  });

  // Last in the file: the hub it starts is stopped at the end (the database stays open for afterAll).
  it('erases, when the hub starts, a report closed longer than the retention period, and keeps a recent one', async () => {
    const old = await file(personal(), [await uploadPng(app)]);
    const recent = await file(personal(), [await uploadPng(app)]);
    for (const { reference } of [old, recent]) {
      expect(await changeStatus(db(), { reference, actorId: moderatorId, to: 'closed', outcome: 'actioned' })).toEqual({ kind: 'done' });
    }
    await db().query(`UPDATE reports SET closed_at = now() - interval '13 months' WHERE reference = $1`, [old.reference]);
    const { logger, lines } = captureLogger('info');
    const hub = await startHub({ db: { ...db(), close: async () => undefined }, port: 0, logger, config: { shutdownGraceMs: 0, erasureClosedMonths: 12 } });
    try {
      await vi.waitFor(
        async () => {
          const rows = await db().query<{ reference: string }>('SELECT reference FROM reports WHERE erased_at IS NOT NULL AND reference = ANY($1::text[])', [
            [old.reference, recent.reference],
          ]);
          expect(rows).toEqual([{ reference: old.reference }]);
        },
        { timeout: 30_000, interval: 100 },
      );
      await vi.waitFor(() => expect(lines.some((line) => line.msg === 'retention purge: erased what was due')).toBe(true), { timeout: 30_000 });
    } finally {
      await hub.close();
    }
    const logged = lines.find((line) => line.msg === 'retention purge: erased what was due');
    expect(logged).toMatchObject({ retention: 1 });
    // Counts only: no reference in the log.
    expect(JSON.stringify(lines)).not.toContain(old.reference);
    const [entry] = await db().query<{ after: unknown }>(`SELECT after FROM audit_log WHERE reference = $1 AND action = 'report.erase'`, [old.reference]);
    expect(entry?.after).toEqual({ reason: 'retention', evidenceErased: 1, evidenceKept: 0, auditPayloadsErased: 0 });
  }, SETUP_TIMEOUT_MS);
});
