/**
 * The report view laid out for deciding and moderator wellbeing (issue 19 items 4 and 5), through the real console on a
 * real database (PGlite, and PostgreSQL with DATABASE_URL): the audit trail in sentences with people's names (never
 * JSON or ids), "Move to" with nothing preselected and a refusal in words, previous and next in the queue's own order
 * and filters, related reports, and each moderator's effective wellbeing settings (the organisation's defaults, their
 * own choice over them) applied to the page, with the break reminder after a stretch of continuous work.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Receipt, type Report } from '../../../lib/schema';
import type { AuditRow } from '../../../hub/domain/audit';
import { auditSentence } from '../../../hub/console/report/sentences';
import { organisationDefaults, ownChoices, reminderDue, resolveProtections, wellbeingFor } from '../../../hub/domain/wellbeing';
import type { Person } from '../../../hub/domain/people';
import { sampleReport } from '../../fixtures/report';
import { clock, consoleApp, signedIn, type Browser, type Clock } from './console-helpers';
import { openTestDatabase, postReport, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

const SAM = '11111111-1111-4111-8111-111111111111';
const ALEX = '22222222-2222-4222-8222-222222222222';
const PEOPLE: ReadonlyMap<string, Person> = new Map([
  [SAM, { id: SAM, email: 'sam@hub.example', displayName: 'Sam Patel' }],
  [ALEX, { id: ALEX, email: 'alex@hub.example', displayName: null }],
]);

const entry = (action: string, actorId: string | null, before: unknown, after: unknown, erased = false): AuditRow => ({
  id: '1',
  at: new Date('2026-12-01T10:00:00Z'),
  actorId,
  actorEmail: null,
  actorName: null,
  action,
  before,
  after,
  erased,
});

describe('audit sentences', () => {
  it('names people by their name, else their email, and says what was done', () => {
    expect(auditSentence(entry('assign', SAM, { assignedTo: null }, { assignedTo: ALEX }), PEOPLE)).toBe('Sam Patel assigned this report to alex@hub.example.');
    expect(auditSentence(entry('assign', SAM, { assignedTo: null }, { assignedTo: SAM }), PEOPLE)).toBe('Sam Patel assigned this report to themselves.');
    expect(auditSentence(entry('assign', ALEX, { assignedTo: SAM }, { assignedTo: null }), PEOPLE)).toBe('alex@hub.example removed the assignment to Sam Patel.');
    expect(auditSentence(entry('contact.reveal', SAM, null, null), PEOPLE)).toBe('Sam Patel revealed the contact details.');
    expect(auditSentence(entry('contact.open_sealed', SAM, null, null), PEOPLE)).toBe('Sam Patel opened the sealed contact details with the organisation’s key.');
    expect(auditSentence(entry('evidence.view', ALEX, null, { sha256: 'ab'.repeat(32) }), PEOPLE)).toBe('alex@hub.example opened a piece of evidence.');
    expect(auditSentence(entry('status', SAM, { status: 'received', outcome: null }, { status: 'in_review', outcome: null }), PEOPLE)).toBe(
      'Sam Patel changed the status from received to being reviewed.',
    );
    expect(auditSentence(entry('status', SAM, { status: 'in_review', outcome: null }, { status: 'closed', outcome: 'referred_to_police' }), PEOPLE)).toBe(
      'Sam Patel closed the report as “referred to the police” (it was being reviewed).',
    );
    expect(auditSentence(entry('status', SAM, { duplicateOf: null }, { duplicateOf: 'OHR-AAAA-BBBB' }), PEOPLE)).toBe('Sam Patel marked this report as a duplicate of OHR-AAAA-BBBB.');
    expect(auditSentence(entry('public_note', SAM, { publicNote: null }, { publicNote: 'We are on it' }), PEOPLE)).toBe('Sam Patel wrote a note for the reporter.');
    expect(auditSentence(entry('public_note', SAM, { publicNote: 'x' }, { publicNote: null }), PEOPLE)).toBe('Sam Patel removed the note the reporter sees.');
  });

  it('says who when no moderator acted: the reporter, or the hub for an erasure', () => {
    expect(auditSentence(entry('withdraw', null, { status: 'received', outcome: null }, { status: 'closed', outcome: 'withdrawn' }), PEOPLE)).toBe('The reporter withdrew the report.');
    expect(auditSentence(entry('question.answer', null, null, { items: 2 }), PEOPLE)).toBe('The reporter answered a question and added 2 captured items.');
    expect(auditSentence(entry('question.answer', null, null, { items: 1 }), PEOPLE)).toBe('The reporter answered a question and added 1 captured item.');
    expect(auditSentence(entry('report.erase', null, null, { reason: 'retention' }), PEOPLE)).toBe('The hub erased the report’s personal data and evidence.');
  });

  it('never shows JSON or an id: unknown actions, unknown people and erased or odd payloads read as sentences', () => {
    const odd = [
      entry('something.new', SAM, { a: 1 }, { b: ALEX }),
      entry('assign', SAM, null, { assignedTo: '33333333-3333-4333-8333-333333333333' }),
      entry('assign', SAM, null, null, true),
      entry('status', SAM, null, null, true),
      entry('note', '44444444-4444-4444-8444-444444444444', null, null),
      entry('public_note', SAM, 'not an object', 42),
    ];
    const sentences = odd.map((row) => auditSentence(row, PEOPLE));
    expect(sentences).toEqual([
      'Sam Patel made a change recorded as “something.new”.',
      'Sam Patel assigned this report to an account no longer known.',
      'Sam Patel changed who the report is assigned to.',
      'Sam Patel changed the status.',
      'A moderator added an internal note.',
      'Sam Patel wrote a note for the reporter.',
    ]);
    for (const sentence of sentences) expect(sentence).not.toMatch(/[{}]|[0-9a-f]{8}-[0-9a-f]{4}/);
  });
});

describe('wellbeing settings resolution', () => {
  it('takes the moderator’s own choice where they made one, the organisation’s otherwise', () => {
    const allOn = { blurMedia: true, greyscaleMedia: true, hideText: true };
    expect(resolveProtections(allOn, {})).toEqual(allOn);
    expect(resolveProtections(allOn, { hideText: false })).toEqual({ blurMedia: true, greyscaleMedia: true, hideText: false });
    expect(resolveProtections({ blurMedia: false, greyscaleMedia: false, hideText: false }, { blurMedia: true })).toEqual({ blurMedia: true, greyscaleMedia: false, hideText: false });
  });

  it('reminds after the configured minutes, never when the minutes are 0 or no stretch began', () => {
    const start = new Date('2026-12-01T09:00:00Z');
    expect(reminderDue(45, start, new Date('2026-12-01T09:44:59Z'))).toBe(false);
    expect(reminderDue(45, start, new Date('2026-12-01T09:45:00Z'))).toBe(true);
    expect(reminderDue(0, start, new Date('2026-12-01T12:00:00Z'))).toBe(false);
    expect(reminderDue(45, null, new Date('2026-12-01T12:00:00Z'))).toBe(false);
  });
});

describe('the report view and wellbeing through the console', () => {
  let testDb: TestDatabase;
  let time: Clock;
  let app: Hono;
  let admin: Browser;
  let adminId: string;
  let moderator: Browser;
  let moderatorId: string;
  beforeAll(async () => {
    testDb = await openTestDatabase();
    time = clock(new Date('2026-12-01T09:00:00Z'));
    app = consoleApp(testDb.db, time);
    ({ browser: admin, moderator: { id: adminId } } = await signedIn(app, testDb.db, 'admin'));
    ({ browser: moderator, moderator: { id: moderatorId } } = await signedIn(app, testDb.db));
  }, SETUP_TIMEOUT_MS);
  afterAll(() => testDb?.dispose());

  async function file(change: (report: Report) => Report = (report) => report): Promise<string> {
    const base = sampleReport();
    const report = change({ ...base, items: base.items.map((item) => ({ ...item, evidence: [] })) });
    const response = await postReport(app, report, report.id);
    expect(response.status).toBe(201);
    return Receipt.parse(await response.json()).reference;
  }
  const page = async (browser: Browser, path: string) => (await browser.get(path)).text();

  it('writes the audit trail in sentences with people’s names, never JSON or ids', async () => {
    const reference = await file();
    expect((await admin.post('/console/account/name', { name: '  Sam Patel ' })).headers.get('Location')).toBe('/console/account?done=name');
    expect((await admin.post(`/console/reports/${reference}/assign`, { assignee: moderatorId })).headers.get('Location')).toContain('done=assigned');
    await admin.post(`/console/reports/${reference}/status`, { to: 'in_review', outcome: '' });
    const html = await page(admin, `/console/reports/${reference}`);
    const trail = html.slice(html.indexOf('id="trail-heading"'), html.indexOf('</ol>', html.indexOf('id="trail-heading"')));
    const moderatorEmail = (await testDb.db.query<{ email: string }>('SELECT email FROM moderators WHERE id = $1', [moderatorId]))[0]!.email;
    expect(trail).toContain(`Sam Patel assigned this report to ${moderatorEmail}.`);
    expect(trail).toContain('Sam Patel changed the status from received to being reviewed.');
    expect(trail).not.toContain('{&quot;');
    expect(trail).not.toContain(moderatorId);
    expect(trail).not.toContain(adminId);
    // A name with invisible characters is refused in words, and nothing changes.
    expect((await admin.post('/console/account/name', { name: 'Sam\u202ePatel' })).headers.get('Location')).toBe('/console/account?problem=bad_name');
    expect(await page(admin, '/console/account?problem=bad_name')).toContain('without invisible characters');
  });

  it('lets the report page alone load its own shortcuts script: no inline script, no other origin', async () => {
    const reference = await file();
    const view = await moderator.get(`/console/reports/${reference}`);
    const policy = view.headers.get('Content-Security-Policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(await view.text()).toContain('<script src="/console/report-keys.js" defer></script>');
    expect((await moderator.get('/console/account/wellbeing')).headers.get('Content-Security-Policy')).not.toContain('script-src');
    const script = await moderator.get('/console/report-keys.js');
    expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain("document.getElementById('shortcuts')");
  });

  it('starts "Move to" on "Choose…" and refuses a status change without a choice, in words', async () => {
    const reference = await file();
    const html = await page(moderator, `/console/reports/${reference}`);
    expect(html).toMatch(/<select id="to" name="to"[^>]*><option value selected>Choose…<\/option>/);
    const refused = await moderator.post(`/console/reports/${reference}/status`, { to: '', outcome: '' });
    expect(refused.headers.get('Location')).toBe(`/console/reports/${reference}?problem=choose_status`);
    expect(await page(moderator, refused.headers.get('Location')!)).toContain('Choose where to move the report; nothing was changed.');
    const [row] = await testDb.db.query<{ status: string }>('SELECT status FROM reports WHERE reference = $1', [reference]);
    expect(row!.status).toBe('received');
  });

  it('moves to the previous and next report of the queue it was opened from, keeping its filters', async () => {
    const youtube = await file((report) => ({ ...report, items: report.items.map((item) => ({ ...item, platform: 'youtube', url: 'https://www.youtube.com/watch?v=a1' })) }));
    await file(); // another platform, between them in time: not in the filtered queue
    const youtube2 = await file((report) => ({ ...report, items: report.items.map((item) => ({ ...item, platform: 'youtube', url: 'https://www.youtube.com/watch?v=a1&t=3' })) }));
    const queue = 'platform=youtube';
    const view = await page(moderator, `/console/reports/${youtube}?queue=${encodeURIComponent(queue)}`);
    expect(view).toContain(`href="/console/queue?${queue}"`);
    const next = await moderator.get(`/console/reports/${youtube}/next?queue=${encodeURIComponent(queue)}`);
    expect(next.headers.get('Location')).toBe(`/console/reports/${youtube2}?queue=${encodeURIComponent(queue)}`);
    const previous = await moderator.get(`/console/reports/${youtube2}/previous?queue=${encodeURIComponent(queue)}`);
    expect(previous.headers.get('Location')).toBe(`/console/reports/${youtube}?queue=${encodeURIComponent(queue)}`);
    const end = await moderator.get(`/console/reports/${youtube2}/next?queue=${encodeURIComponent(queue)}`);
    expect(end.headers.get('Location')).toBe(`/console/reports/${youtube2}?queue=${encodeURIComponent(queue)}&done=queue_end`);
    expect(await page(moderator, end.headers.get('Location')!)).toContain('This is the last report in the queue.');
    // A form posted from the page comes back to it in the same queue.
    const assigned = await moderator.post(`/console/reports/${youtube}/assign`, { assignee: moderatorId, queue });
    expect(assigned.headers.get('Location')).toBe(`/console/reports/${youtube}?queue=${encodeURIComponent(queue)}&done=assigned`);
    // The two reports about one video are related; the panel lists the other and links to the cluster.
    const related = view.slice(view.indexOf('id="related-heading"'));
    expect(related).toContain(youtube2);
    expect(related).toContain('same page');
    expect(related).toContain(`href="/console/clusters/${youtube}"`);
  });

  it('applies the organisation’s defaults (all on) and each moderator’s own choice to the page', async () => {
    const reference = await file((report) => ({ ...report, items: report.items.map((item) => ({ ...item, title: 'A title the poster wrote', text: 'captured words' })) }));
    expect(await organisationDefaults(testDb.db)).toEqual({ blurMedia: true, greyscaleMedia: true, hideText: true, reminderMinutes: 45 });
    let html = await page(moderator, `/console/reports/${reference}`);
    expect(html).toContain('<body class="wb-blur wb-grey wb-hide-text">');
    // The title, the words and the context held back together, behind one disclosure.
    expect(html).toMatch(
      /<details class="held-text" data-testid="held-text"><summary>Show the captured text<\/summary><p class="item-title"[^>]*><span class="label">Title:<\/span> <bdi class="reported">A title the poster wrote<\/bdi><\/p><blockquote class="captured"><bdi class="reported">captured words/,
    );

    // The moderator turns hiding off and blur off for themselves; greyscale follows the organisation.
    expect((await moderator.post('/console/account/wellbeing', { blurMedia: 'off', greyscaleMedia: 'default', hideText: 'off' })).headers.get('Location')).toBe(
      '/console/account/wellbeing?done=saved',
    );
    expect(await ownChoices(testDb.db, moderatorId)).toEqual({ blurMedia: false, hideText: false });
    html = await page(moderator, `/console/reports/${reference}`);
    expect(html).toContain('<body class="wb-grey">');
    expect(html).not.toContain('held-text');

    // The admin turns greyscale off for everyone: the moderator's own choices stay, the rest follows.
    expect((await admin.post('/console/admin/wellbeing', { blurMedia: 'yes', hideText: 'yes', reminderMinutes: '30' })).headers.get('Location')).toBe('/console/admin/wellbeing?done=saved');
    html = await page(moderator, `/console/reports/${reference}`);
    expect(html).toContain('<body>');
    expect((await wellbeingFor(testDb.db, adminId, time.now, false))).toMatchObject({ blurMedia: true, greyscaleMedia: false, hideText: true });
    const form = await page(moderator, '/console/account/wellbeing');
    expect(form).toContain('As my organisation sets it (now: off)');

    // Refusals in words, nothing changed: a bad choice, bad minutes, and a moderator on the admin page.
    expect((await moderator.post('/console/account/wellbeing', { blurMedia: 'sometimes', greyscaleMedia: 'default', hideText: 'off' })).status).toBe(422);
    const bad = await admin.post('/console/admin/wellbeing', { blurMedia: 'yes', reminderMinutes: 'soon' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Enter a whole number of minutes from 0 to 480.');
    expect((await moderator.get('/console/admin/wellbeing')).status).toBe(403);
    expect((await organisationDefaults(testDb.db)).reminderMinutes).toBe(30);
    await admin.post('/console/admin/wellbeing', { blurMedia: 'yes', greyscaleMedia: 'yes', hideText: 'yes', reminderMinutes: '20' });
    await moderator.post('/console/account/wellbeing', { blurMedia: 'default', greyscaleMedia: 'default', hideText: 'default' });
    expect(await page(moderator, `/console/reports/${reference}`)).toContain('<body class="wb-blur wb-grey wb-hide-text">');
  });

  it('reminds a moderator to take a break after the configured minutes of continuous work, and "carry on" starts again', async () => {
    // Minutes are 20 (the test before). A gap longer than a break starts a fresh stretch first.
    time.advance(11 * 60_000);
    const reference = await file();
    const at = `/console/reports/${reference}`;
    const reminded = (html: string) => html.includes('data-testid="break-reminder"');
    expect(reminded(await page(moderator, at))).toBe(false);
    time.advance(9 * 60_000);
    expect(reminded(await page(moderator, at))).toBe(false);
    // The account page is not work: it neither extends nor shows the stretch.
    expect(reminded(await page(moderator, '/console/account'))).toBe(false);
    time.advance(9 * 60_000);
    expect(reminded(await page(moderator, at))).toBe(false);
    time.advance(2 * 60_000);
    const html = await page(moderator, at);
    expect(reminded(html)).toBe(true);
    expect(html).toContain('You have been working in the queue for 20 minutes.');
    const carryOn = await moderator.post('/console/wellbeing/break', { back: at });
    expect(carryOn.headers.get('Location')).toBe(at);
    expect(reminded(await page(moderator, at))).toBe(false);
    // "back" only ever leads to a console page.
    expect((await moderator.post('/console/wellbeing/break', { back: '//evil.example/console/' })).headers.get('Location')).toBe('/console/queue');
    // Another 20 minutes of work brings it back; a break longer than the gap then starts a new stretch, without it.
    for (const minutes of [9, 9, 2]) {
      time.advance(minutes * 60_000);
      await page(moderator, at);
    }
    expect(reminded(await page(moderator, at))).toBe(true);
    time.advance(11 * 60_000);
    expect(reminded(await page(moderator, at))).toBe(false);
  });
});
