/**
 * GET /console/clusters/:reference shows a report's cluster; POST applies a bulk action to the chosen members and
 * answers with a redirect (303) back to the page, carrying what happened.
 */
import { Hono, type Context } from 'hono';
import { ct } from '../../../lib/i18n/console';
import { Receipt } from '../../../lib/schema';
import { activeModerators } from '../auth/accounts';
import { requireCsrf, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { MessagePage, render } from '../shared/layout';
import { applyBulk, BulkForm, decodeOutcome, encodeOutcome } from './actions';
import { ClusterPage } from './page';
import { clusterHref } from '../shared/links';
import { clusterOf, type Cluster } from './query';

export function clustersRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  /** The cluster named in the address, or a 404 page. */
  const load = async (c: Context<ConsoleEnv>): Promise<{ reference: string; cluster: Cluster } | Response> => {
    const reference = c.req.param('reference') ?? '';
    const cluster = Receipt.shape.reference.safeParse(reference).success ? await clusterOf(deps.db, reference, deps.config.imageMatchDistance) : undefined;
    if (!cluster) return render(c, MessagePage({ title: ct('notFound.title'), message: ct('cluster.notFound'), session: sessionOf(c) }), 404);
    return { reference, cluster };
  };

  routes.get('/clusters/:reference', requireModerator(deps), async (c) => {
    const found = await load(c);
    if (found instanceof Response) return found;
    const flash = decodeOutcome(c.req.query('result'));
    const moderators = await activeModerators(deps.db);
    return render(c, <ClusterPage session={sessionOf(c)} {...found} moderators={moderators} imageMatchDistance={deps.config.imageMatchDistance} {...(flash ? { flash } : {})} />);
  });

  routes.post('/clusters/:reference', requireModerator(deps), requireCsrf(deps), async (c) => {
    const found = await load(c);
    if (found instanceof Response) return found;
    const form = BulkForm.safeParse(await c.req.parseBody({ all: true }));
    if (!form.success) {
      const moderators = await activeModerators(deps.db);
      const formProblems = form.error.issues.map((issue) => issue.message);
      return render(c, <ClusterPage session={sessionOf(c)} {...found} moderators={moderators} imageMatchDistance={deps.config.imageMatchDistance} formProblems={formProblems} />, 400);
    }
    const members = new Set(found.cluster.members.map((member) => member.reference));
    const outcome = await applyBulk(deps.db, form.data, members, c.get('moderator').id);
    return c.redirect(`${clusterHref(found.reference)}?result=${encodeOutcome(outcome)}`, 303);
  });
  return routes;
}
