/**
 * The report view's routes: the page, its four forms (status, assignment, public note, internal note), the audited
 * request to see contact details, the evidence files and the keyboard shortcuts script. Every form is POST → 303 back
 * to the page with a `done` or `problem` word in the query, which the page shows (the browser's history then holds no
 * re-postable form), and with the queue the report was opened from (`queue`), so next and previous still follow it.
 */
import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import { Outcome, QUESTION_MAX, ReportStatus, sha256Hex } from '../../../lib/schema';
import { activeModerators } from '../auth/accounts';
import { formBody, requireAdmin, requireCsrf, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { ownScripts } from '../shared/csp';
import { MessagePage, render } from '../shared/layout';
import { CONSOLE_BASE, href } from '../shared/links';
import { auditTrail, recordEvidenceView, revealContact, revealedRecently } from '../../domain/audit';
import { addNote, assign, changeStatus, notesOf, setPublicNote, type Result } from '../../domain/workflow';
import { readEvidence } from '../../domain/evidence';
import { ADMIN_ERASURE_REASONS, eraseReport } from '../../domain/retention';
import { askQuestion, questionsWithItems } from '../../domain/questions';
import { peopleById } from '../../domain/people';
import { ErasePage } from './erase';
import { loadReport } from './load';
import type { ReportPorts } from './ports';
import { KEYS_SCRIPT, ReportPage } from './view';

/** The keyboard shortcuts: plain JavaScript, served from the console's own origin (its CSP allows only that). */
const KEYS = readFileSync(new URL('./report-keys.js', import.meta.url), 'utf8');

/** How long one "show contact details" lasts before the moderator must ask (and be audited) again. */
const CONTACT_REVEAL_MINUTES = 15;

const Reference = z.string().regex(/^OHR-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

/** The words a redirect may carry back to the page: only these keys, so the query cannot inject text. */
const FLASH: Record<string, { kind: 'problem' | 'done'; key: ConsoleKey }> = {
  status: { kind: 'done', key: 'flash.status' },
  assigned: { kind: 'done', key: 'flash.assigned' },
  note: { kind: 'done', key: 'flash.note' },
  public_note: { kind: 'done', key: 'flash.publicNote' },
  not_allowed: { kind: 'problem', key: 'flash.notAllowed' },
  outcome_required: { kind: 'problem', key: 'flash.outcomeRequired' },
  outcome_only_on_close: { kind: 'problem', key: 'flash.outcomeOnlyOnClose' },
  unknown_moderator: { kind: 'problem', key: 'flash.unknownModerator' },
  invalid: { kind: 'problem', key: 'flash.invalid' },
  erased: { kind: 'done', key: 'flash.erased' },
  not_closed: { kind: 'problem', key: 'flash.notClosed' },
  already_erased: { kind: 'problem', key: 'flash.alreadyErased' },
  question: { kind: 'done', key: 'flash.question' },
  closed: { kind: 'problem', key: 'flash.questionClosed' },
  choose_status: { kind: 'problem', key: 'flash.chooseStatus' },
  queue_start: { kind: 'done', key: 'report.queueStart' },
  queue_end: { kind: 'done', key: 'report.queueEnd' },
};

/** The queue page's query string a report was opened from; anything else is dropped (the default queue is used). */
const QueueQuery = z.string().max(2_000).regex(/^[^#\s]*$/);
const queueOf = (value: unknown): string => {
  const parsed = QueueQuery.safeParse(value);
  return parsed.success ? parsed.data : '';
};

const StatusForm = z.object({ to: ReportStatus, outcome: z.union([z.literal('').transform(() => undefined), Outcome]).optional() });
const AssignForm = z.object({ assignee: z.union([z.literal('').transform(() => null), z.uuid()]) });
const PublicNoteForm = z.object({ note: z.string().max(2_000) });
const NoteForm = z.object({ body: z.string().trim().min(1).max(10_000) });
const QuestionForm = z.object({ text: z.string().trim().min(1).max(QUESTION_MAX) });
const EraseForm = z.object({ reason: z.enum(ADMIN_ERASURE_REASONS), confirm: z.literal('yes') });

/** Without the other features (a test of the report view alone): no related reports, no queue neighbours. */
const NO_PORTS: ReportPorts = { related: async () => undefined, neighbours: async () => undefined };

export function reportRoutes(deps: ConsoleDeps, ports: ReportPorts = NO_PORTS): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const { db } = deps;
  const signedIn = requireModerator(deps);
  const csrf = requireCsrf(deps);

  routes.get('/reports/:reference', signedIn, ownScripts(), async (c) => {
    const reference = c.req.param('reference');
    const loaded = Reference.safeParse(reference).success ? await loadReport(db, reference) : undefined;
    if (!loaded) return notFound(c);
    const moderator = c.get('moderator');
    const queue = queueOf(c.req.query('queue'));
    const [notes, trail, moderators, questions, people, related] = await Promise.all([
      notesOf(db, reference),
      auditTrail(db, reference),
      activeModerators(db),
      questionsWithItems(db, reference),
      peopleById(db),
      ports.related(db, reference),
    ]);
    const consented = loaded.kind === 'ok' && loaded.report.reporter.consents.shareContact && !loaded.report.reporter.anonymous;
    const contactShown = consented && c.req.query('contact') === 'shown' && (await revealedRecently(db, reference, moderator.id, CONTACT_REVEAL_MINUTES));
    const flash = FLASH[c.req.query('done') ?? c.req.query('problem') ?? ''];
    return render(
      c,
      <ReportPage
        session={sessionOf(c)}
        loaded={loaded}
        notes={notes}
        questions={questions}
        trail={trail}
        moderators={moderators}
        people={people}
        contactShown={contactShown}
        flash={flash}
        queue={queue}
        related={related}
      />,
    );
  });

  // Previous and next in the queue the report was opened from, found when asked (a page of the queue is read), so
  // they are where the queue is now: a report closed or reassigned meanwhile is skipped as the queue skips it.
  for (const [step, edge] of [['previous', 'queue_start'], ['next', 'queue_end']] as const) {
    routes.get(`/reports/:reference/${step}`, signedIn, async (c) => {
      const reference = c.req.param('reference');
      if (!Reference.safeParse(reference).success) return notFound(c);
      const position = await ports.neighbours(db, queueOf(c.req.query('queue')), reference, c.get('moderator').id);
      const target = position?.[step];
      if (!target) return back(c, reference, 'done', edge);
      return c.redirect(href.report(target.reference, target.query || undefined), 303);
    });
  }

  /** Parses the form with `schema`, runs `act`, and redirects back to the page saying how it went. */
  const action = <S extends z.ZodType>(schema: S, done: string, act: (input: z.output<S>, reference: string, actorId: string) => Promise<Result>) =>
    async (c: Context<ConsoleEnv>) => {
      const reference = c.req.param('reference') ?? '';
      if (!Reference.safeParse(reference).success) return notFound(c);
      const form = schema.safeParse(await formBody(c));
      // "Choose…" sent as it is: nothing was chosen, so nothing changes, and the page says so.
      if (!form.success && done === 'status' && !(await formBody(c)).to) return back(c, reference, 'problem', 'choose_status');
      if (!form.success) return back(c, reference, 'problem', 'invalid');
      const result = await act(form.data, reference, c.get('moderator').id);
      if (result.kind === 'not_found') return notFound(c);
      return result.kind === 'done' ? back(c, reference, 'done', done) : back(c, reference, 'problem', result.kind);
    };

  routes.post('/reports/:reference/status', signedIn, csrf, action(StatusForm, 'status', (form, reference, actorId) =>
    changeStatus(db, { reference, actorId, to: form.to, ...(form.outcome ? { outcome: form.outcome } : {}) }),
  ));
  routes.post('/reports/:reference/assign', signedIn, csrf, action(AssignForm, 'assigned', (form, reference, actorId) =>
    assign(db, { reference, actorId, assigneeId: form.assignee }),
  ));
  routes.post('/reports/:reference/public-note', signedIn, csrf, action(PublicNoteForm, 'public_note', (form, reference, actorId) =>
    setPublicNote(db, { reference, actorId, note: form.note }),
  ));
  routes.post('/reports/:reference/notes', signedIn, csrf, action(NoteForm, 'note', (form, reference, actorId) =>
    addNote(db, { reference, actorId, body: form.body }),
  ));

  // A question to the reporter: asked, the report moved to needs_info and both audited in one transaction.
  routes.post('/reports/:reference/questions', signedIn, csrf, async (c) => {
    const reference = c.req.param('reference');
    if (!Reference.safeParse(reference).success) return notFound(c);
    const form = QuestionForm.safeParse(await formBody(c));
    if (!form.success) return back(c, reference, 'problem', 'invalid');
    const result = await askQuestion(db, { reference, actorId: c.get('moderator').id, text: form.data.text });
    if (result.kind === 'not_found') return notFound(c);
    if (result.kind === 'asked') return c.redirect(`${and(await pageOf(c, reference), 'done=question')}#questions-heading`, 303);
    return back(c, reference, 'problem', result.kind === 'closed' ? 'closed' : 'invalid');
  });

  // Erasure (admins only): a page that says what goes and asks why and for confirmation, then the erasure itself.
  const admin = requireAdmin();
  routes.get('/reports/:reference/erase', signedIn, admin, async (c) => {
    const reference = c.req.param('reference');
    const loaded = Reference.safeParse(reference).success ? await loadReport(db, reference) : undefined;
    if (!loaded) return notFound(c);
    if (loaded.kind === 'erased') return back(c, reference, 'problem', 'already_erased');
    if (loaded.row.status !== 'closed') return back(c, reference, 'problem', 'not_closed');
    const problem = c.req.query('problem') === 'invalid' ? ('flash.eraseInvalid' as const) : undefined;
    return render(c, <ErasePage session={sessionOf(c)} reference={reference} problem={problem} />);
  });
  routes.post('/reports/:reference/erase', signedIn, admin, csrf, async (c) => {
    const reference = c.req.param('reference');
    if (!Reference.safeParse(reference).success) return notFound(c);
    const form = EraseForm.safeParse(await formBody(c));
    if (!form.success) return c.redirect(`${href.report(reference)}/erase?problem=invalid`, 303);
    const result = await eraseReport(db, { reference, actorId: c.get('moderator').id, reason: form.data.reason });
    if (result.kind === 'not_found') return notFound(c);
    return result.kind === 'erased' ? back(c, reference, 'done', 'erased') : back(c, reference, 'problem', result.kind);
  });

  // Asking to see contact details is itself recorded; the page then shows them to this moderator for a while.
  routes.post('/reports/:reference/contact', signedIn, csrf, async (c) => {
    const reference = c.req.param('reference');
    const loaded = Reference.safeParse(reference).success ? await loadReport(db, reference) : undefined;
    if (!loaded) return notFound(c);
    const reporter = loaded.kind === 'ok' ? loaded.report.reporter : undefined;
    if (!reporter || reporter.anonymous || !reporter.consents.shareContact) return back(c, reference, 'problem', 'invalid');
    await revealContact(db, reference, c.get('moderator').id);
    return c.redirect(`${and(await pageOf(c, reference), 'contact=shown')}#reporter-heading`, 303);
  });

  routes.get(KEYS_SCRIPT.slice(CONSOLE_BASE.length), (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(KEYS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  routes.get('/evidence/:sha256', signedIn, async (c) => {
    const sha256 = sha256Hex.safeParse(c.req.param('sha256'));
    if (!sha256.success) return notFound(c);
    const file = await readEvidence(db, sha256.data);
    if (!file) return notFound(c);
    // The chain of custody: who opened which file, recorded before the bytes leave.
    await recordEvidenceView(db, c.get('moderator').id, sha256.data);
    const html = file.mediaType === 'text/html';
    return c.body(file.bytes, 200, {
      // A snapshot is someone else's page: never rendered, only offered as its text.
      'Content-Type': html ? 'text/plain; charset=utf-8' : file.mediaType,
      ...(html ? { 'Content-Disposition': `attachment; filename="${sha256.data}.html.txt"` } : {}),
      'Content-Security-Policy': 'sandbox',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
  });
  return routes;
}

/** The report's page, with the queue the posted form came from (its hidden `queue` field). */
async function pageOf(c: Context, reference: string): Promise<string> {
  const body = c.req.method === 'POST' ? await formBody(c) : { queue: c.req.query('queue') };
  return href.report(reference, queueOf(body.queue) || undefined);
}

/** `page` with one more query parameter. */
const and = (page: string, parameter: string): string => `${page}${page.includes('?') ? '&' : '?'}${parameter}`;

async function back(c: Context, reference: string, kind: 'done' | 'problem', word: string): Promise<Response> {
  return c.redirect(and(await pageOf(c, reference), `${kind}=${word}`), 303);
}

function notFound(c: Context<ConsoleEnv>): Response {
  return render(c, MessagePage({ title: ct('notFound.title'), message: ct('notFound.report'), session: sessionOf(c) }), 404);
}
