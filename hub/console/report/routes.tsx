/**
 * The report view's routes: the page, its four forms (status, assignment, public note, internal note), the audited
 * request to see contact details, and the evidence files. Every form is POST → 303 back to the page with a `done` or
 * `problem` word in the query, which the page shows (the browser's history then holds no re-postable form).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import { Outcome, QUESTION_MAX, ReportStatus, sha256Hex } from '../../../lib/schema';
import { activeModerators } from '../auth/accounts';
import { formBody, requireAdmin, requireCsrf, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { MessagePage, render } from '../shared/layout';
import { href } from '../shared/links';
import { auditTrail, recordEvidenceView, revealContact, revealedRecently } from '../../domain/audit';
import { addNote, assign, changeStatus, notesOf, setPublicNote, type Result } from '../../domain/workflow';
import { readEvidence } from '../../domain/evidence';
import { ADMIN_ERASURE_REASONS, eraseReport } from '../../domain/retention';
import { askQuestion, questionsWithItems } from '../../domain/questions';
import { ErasePage } from './erase';
import { loadReport } from './load';
import { ReportPage } from './view';

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
};

const StatusForm = z.object({ to: ReportStatus, outcome: z.union([z.literal('').transform(() => undefined), Outcome]).optional() });
const AssignForm = z.object({ assignee: z.union([z.literal('').transform(() => null), z.uuid()]) });
const PublicNoteForm = z.object({ note: z.string().max(2_000) });
const NoteForm = z.object({ body: z.string().trim().min(1).max(10_000) });
const QuestionForm = z.object({ text: z.string().trim().min(1).max(QUESTION_MAX) });
const EraseForm = z.object({ reason: z.enum(ADMIN_ERASURE_REASONS), confirm: z.literal('yes') });

export function reportRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const { db } = deps;
  const signedIn = requireModerator(deps);
  const csrf = requireCsrf(deps);

  routes.get('/reports/:reference', signedIn, async (c) => {
    const reference = c.req.param('reference');
    const loaded = Reference.safeParse(reference).success ? await loadReport(db, reference) : undefined;
    if (!loaded) return notFound(c);
    const moderator = c.get('moderator');
    const [notes, trail, moderators, questions] = await Promise.all([
      notesOf(db, reference),
      auditTrail(db, reference),
      activeModerators(db),
      questionsWithItems(db, reference),
    ]);
    const consented = loaded.kind === 'ok' && loaded.report.reporter.consents.shareContact && !loaded.report.reporter.anonymous;
    const contactShown = consented && c.req.query('contact') === 'shown' && (await revealedRecently(db, reference, moderator.id, CONTACT_REVEAL_MINUTES));
    const flash = FLASH[c.req.query('done') ?? c.req.query('problem') ?? ''];
    return render(c, <ReportPage session={sessionOf(c)} loaded={loaded} notes={notes} questions={questions} trail={trail} moderators={moderators} contactShown={contactShown} flash={flash} />);
  });

  /** Parses the form with `schema`, runs `act`, and redirects back to the page saying how it went. */
  const action = <S extends z.ZodType>(schema: S, done: string, act: (input: z.output<S>, reference: string, actorId: string) => Promise<Result>) =>
    async (c: Context<ConsoleEnv>) => {
      const reference = c.req.param('reference') ?? '';
      if (!Reference.safeParse(reference).success) return notFound(c);
      const form = schema.safeParse(await formBody(c));
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
    if (result.kind === 'asked') return c.redirect(`${href.report(reference)}?done=question#questions-heading`, 303);
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
    return c.redirect(`${href.report(reference)}?contact=shown#reporter-heading`, 303);
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

function back(c: Context, reference: string, kind: 'done' | 'problem', word: string): Response {
  return c.redirect(`${href.report(reference)}?${kind}=${word}`, 303);
}

function notFound(c: Context<ConsoleEnv>): Response {
  return render(c, MessagePage({ title: ct('notFound.title'), message: ct('notFound.report'), session: sessionOf(c) }), 404);
}
