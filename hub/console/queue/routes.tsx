/**
 * GET /console/queue: the query string is checked with zod at the edge; a bad value is answered 400 with the form and
 * what was wrong, in words, never a 500.
 */
import { Hono } from 'hono';
import { fieldErrors } from '../../../lib/schema';
import { activeModerators } from '../auth/accounts';
import { requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { render } from '../shared/layout';
import { QueuePage } from './page';
import { countMatches, QueueParams, queuePage } from './query';

export function queueRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/queue', requireModerator(deps), async (c) => {
    const raw = c.req.query();
    const session = sessionOf(c);
    const moderators = await activeModerators(deps.db);
    const params = QueueParams.safeParse(raw);
    if (!params.success) {
      return render(c, <QueuePage session={session} raw={raw} moderators={moderators} problems={fieldErrors(params.error)} now={new Date()} />, 400);
    }
    const { cursor, ...filters } = params.data;
    const me = session.moderator.id;
    const [page, count] = await Promise.all([queuePage(deps.db, filters, me, cursor), countMatches(deps.db, filters, me)]);
    return render(c, <QueuePage session={session} raw={raw} moderators={moderators} page={page} count={count} now={new Date()} />);
  });
  return routes;
}
