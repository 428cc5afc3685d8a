/**
 * The queue's routes. GET /console/queue: the query string is checked with zod at the edge; a bad value is answered
 * 400 with the form and what was wrong, in words, never a 500. POST /console/queue: "Assign to me" and the actions on
 * chosen rows, answered with a redirect (303) back to the same filters and page, carrying what happened. The saved
 * views' two forms, and the keyboard script (keys.js, the only script the console's CSP lets the queue page load).
 */
import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ct } from '../../../lib/i18n/console';
import { fieldErrors } from '../../../lib/schema';
import { peopleById, personLabel } from '../../domain/people';
import { activeModerators } from '../auth/accounts';
import { formBody, requireCsrf, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { decodeOutcome, encodeOutcome } from '../shared/bulk';
import { ownScripts } from '../shared/csp';
import { render } from '../shared/layout';
import { href, referralsHref } from '../shared/links';
import { applyQueueAction, Back, QueueForm } from './actions';
import { QueuePage, type QueuePageProps, type QueueSettings } from './page';
import { countMatches, QueueParams, queueClock, queuePage } from './query';
import { deleteView, saveView, SaveViewForm, VIEW_MAX, VIEW_NAME_MAX, viewsOf } from './views';

const SCRIPT = readFileSync(new URL('./keys.js', import.meta.url), 'utf8');

/** What a form did, as one word in the address (only these: the query cannot carry text of anyone's). */
const NOTICES = {
  saved: () => ({ kind: 'done' as const, text: ct('queue.view.saved') }),
  deleted: () => ({ kind: 'done' as const, text: ct('queue.view.deleted') }),
  too_many: () => ({ kind: 'problem' as const, text: ct('queue.view.tooMany', { count: VIEW_MAX }) }),
  invalid: () => ({ kind: 'problem' as const, text: ct('queue.view.invalid', { count: VIEW_NAME_MAX }) }),
  none_chosen: () => ({ kind: 'problem' as const, text: ct('cluster.noneChosen') }),
};
type Note = keyof typeof NOTICES;
const isNote = (word: string | undefined): word is Note => word !== undefined && Object.hasOwn(NOTICES, word);

const ViewId = z.uuid();

export function queueRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const now = deps.now ?? (() => new Date());
  const settings: QueueSettings = {
    targets: { urgentHours: deps.config.console.triageUrgentHours, normalHours: deps.config.console.triageNormalHours },
    contentWarnings: deps.config.console.contentWarningHarmTypes,
  };

  routes.get('/queue/keys.js', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  routes.get('/queue', requireModerator(deps), ownScripts(), async (c) => {
    const { result, note, ...raw } = c.req.query();
    const outcome = decodeOutcome(result);
    const session = sessionOf(c);
    const me = session.moderator.id;
    const [active, people, views] = await Promise.all([activeModerators(deps.db), peopleById(deps.db), viewsOf(deps.db, me)]);
    // Colleagues by the names they gave themselves (hub/domain/people.ts), as the rows name the assignee.
    const moderators = active.map((moderator) => ({ ...moderator, label: personLabel(people.get(moderator.id) ?? { ...moderator, displayName: null }) }));
    const at = now();
    const base: QueuePageProps = {
      session,
      raw,
      moderators,
      settings,
      views,
      now: at,
      ...(outcome ? { result: outcome } : {}),
      ...(isNote(note) ? { notice: NOTICES[note]() } : {}),
    };
    const params = QueueParams.safeParse(raw);
    if (!params.success) return render(c, <QueuePage {...base} problems={fieldErrors(params.error)} />, 400);
    const { cursor, ...filters } = params.data;
    const clock = queueClock(deps.config.console, at);
    const [page, count] = await Promise.all([queuePage(deps.db, filters, me, cursor, clock), countMatches(deps.db, filters, me, clock)]);
    return render(c, <QueuePage {...base} page={page} count={count} />);
  });

  routes.post('/queue', requireModerator(deps), requireCsrf(deps), async (c) => {
    const body = await c.req.parseBody({ all: true });
    const form = QueueForm.safeParse(body);
    const back = (query: string, extra: string) => c.redirect(`${href.queue}?${[query, extra].filter(Boolean).join('&')}`, 303);
    if (!form.success) {
      // Nothing chosen is the usual slip: said on the same queue page. Anything else is not a form this page sends.
      const noneChosen = form.error.issues.some((issue) => issue.path[0] === 'reference');
      const backTo = Back.safeParse(body.back);
      if (noneChosen && backTo.success) return back(backTo.data, 'note=none_chosen');
      return c.text(ct('queue.bulk.badForm', { message: form.error.issues[0]?.message ?? '' }), 400);
    }
    if ('action' in form.data && form.data.action === 'refer') return c.redirect(referralsHref(form.data.reference), 303);
    const data = form.data as Exclude<QueueForm, { action: 'refer' }>;
    const outcome = await applyQueueAction(deps.db, data, c.get('moderator').id);
    return back(form.data.back, `result=${encodeOutcome(outcome)}`);
  });

  routes.post('/queue/views', requireModerator(deps), requireCsrf(deps), async (c) => {
    const form = SaveViewForm.safeParse(await formBody(c));
    if (!form.success) return c.redirect(`${href.queue}?note=invalid`, 303);
    const saved = await saveView(deps.db, c.get('moderator').id, form.data);
    const query = saved === 'saved' ? form.data.query : '';
    return c.redirect(`${href.queue}?${[query, `note=${saved}`].filter(Boolean).join('&')}`, 303);
  });

  routes.post('/queue/views/:id/delete', requireModerator(deps), requireCsrf(deps), async (c: Context<ConsoleEnv>) => {
    const id = ViewId.safeParse(c.req.param('id'));
    if (id.success) await deleteView(deps.db, c.get('moderator').id, id.data);
    return c.redirect(`${href.queue}?note=deleted`, 303);
  });
  return routes;
}

