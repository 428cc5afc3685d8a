/**
 * Open data. Public on purpose — `/console/open-data` and `/console/open-data.csv` need no sign-in, since counts
 * nobody can see are not open data — and so shown with small counts (1 to 4) as "fewer than 5", which stops a count
 * of one from pointing at a person in a small community. Moderators get the same page with exact counts at
 * `/console/dashboard`, linked from the console's navigation, with a link to what the public sees.
 * The counts are computed at most once a minute (they are full scans of the triage columns), so the pages cost the
 * database little however often they are read; suppression is applied when they are shown.
 */
import { Hono } from 'hono';
import type { VNode } from 'preact';
import { ct } from '../../../lib/i18n/console';
import { requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { ConsolePage, render, type SessionView } from '../shared/layout';
import { CONSOLE_BASE } from '../shared/links';
import { BarChart, CountTable, type Bar } from './chart';
import { DIMENSIONS, openDataCounts, shown, SMALL_COUNT, type Counts, type Dimension } from './counts';
import { openDataCsv } from './csv';
import { valueLabel } from './words';

export const openDataHref = { page: `${CONSOLE_BASE}/open-data`, csv: `${CONSOLE_BASE}/open-data.csv` } as const;

const CACHE_MS = 60_000;

const TITLES: Record<Dimension, () => string> = {
  characteristic: () => ct('openData.byCharacteristic'),
  harm: () => ct('openData.byHarm'),
  platform: () => ct('openData.byPlatform'),
  month: () => ct('openData.byMonth'),
  outcome: () => ct('openData.byOutcome'),
};

function OpenDataPage({ counts, session }: { counts: Counts; session?: SessionView }): VNode {
  const suppress = !session;
  return (
    <ConsolePage title={ct('openData.title')} session={session} current="dashboard">
      <p>{ct('openData.intro')}</p>
      <p>{suppress ? ct('openData.suppressed', { threshold: SMALL_COUNT, largest: SMALL_COUNT - 1 }) : ct('openData.exact', { threshold: SMALL_COUNT })}</p>
      <p>
        <a href={openDataHref.csv}>{ct('openData.csv')}</a>
        {session ? (
          <>
            {' · '}
            <a href={openDataHref.page}>{ct('openData.publicPage')}</a>
          </>
        ) : null}
      </p>
      {DIMENSIONS.map((dimension) => {
        const bars: Bar[] = counts[dimension].map(({ value, count }) => ({ label: valueLabel(dimension, value), shown: shown(count, suppress) }));
        const title = TITLES[dimension]();
        return (
          <section aria-labelledby={`${dimension}-heading`}>
            <h2 id={`${dimension}-heading`}>{title}</h2>
            <BarChart id={`chart-${dimension}`} title={title} bars={bars} />
            <CountTable title={title} bars={bars} />
          </section>
        );
      })}
    </ConsolePage>
  );
}

export function openDataRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const now = deps.now ?? (() => new Date());
  // The promise is kept, not its result, so requests arriving while the counts are computed share that one query.
  let cached: { at: number; counts: Promise<Counts> } | undefined;
  const counts = () => {
    const at = now().getTime();
    if (!cached || at - cached.at > CACHE_MS) {
      const computing = openDataCounts(deps.db, now());
      cached = { at, counts: computing };
      // A failed query is not kept: the next request tries again.
      computing.catch(() => {
        if (cached?.counts === computing) cached = undefined;
      });
    }
    return cached.counts;
  };

  routes.get('/open-data', async (c) => render(c, <OpenDataPage counts={await counts()} />));

  routes.get('/open-data.csv', async (c) => {
    c.header('Content-Disposition', `attachment; filename="open-data-${now().toISOString().slice(0, 10)}.csv"`);
    c.header('Cache-Control', 'no-store');
    return c.body(openDataCsv(await counts(), true), 200, { 'Content-Type': 'text/csv; charset=utf-8; header=present' });
  });

  routes.get('/dashboard', requireModerator(deps), async (c) =>
    render(c, <OpenDataPage counts={await counts()} session={sessionOf(c)} />),
  );
  return routes;
}
