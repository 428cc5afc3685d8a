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
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import { requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { ConsolePage, render, type SessionView } from '../shared/layout';
import { CONSOLE_BASE } from '../shared/links';
import { BarTable, countText, gapText, isZero, type Bar } from './chart';
import { openDataCounts, SMALL_COUNT, type Counts, type Shown } from './counts';
import { openDataCsv } from './csv';
import { foldEmpty } from './fold';
import { PublicPage } from './public';
import { openDataJson, publish, type OpenData, type PublishedTable } from './publish';
import { openDataTables, type Tables } from './tables';

export const openDataHref = { page: `${CONSOLE_BASE}/open-data`, csv: `${CONSOLE_BASE}/open-data.csv`, json: `${CONSOLE_BASE}/open-data.json` } as const;

const CACHE_MS = 60_000;

const ONE_WAY_TITLES: Record<string, () => string> = {
  reports_by_characteristic: () => ct('openData.byCharacteristic'),
  reports_by_harm: () => ct('openData.byHarm'),
  reports_by_platform: () => ct('openData.byPlatform'),
  reports_by_month: () => ct('openData.byMonth'),
  reports_by_outcome: () => ct('openData.byOutcome'),
};

/** What each one-way table's rows are, heading their column. */
const ONE_WAY_HEADINGS: Record<string, () => string> = {
  reports_by_characteristic: () => ct('openData.axis.characteristic'),
  reports_by_harm: () => ct('openData.axis.harm'),
  reports_by_platform: () => ct('openData.axis.platform'),
  reports_by_month: () => ct('openData.axis.month'),
  reports_by_outcome: () => ct('openData.axis.outcome'),
};

const tableTitle = (table: PublishedTable): string => (table.id in ONE_WAY_TITLES ? ONE_WAY_TITLES[table.id]!() : ct(`openData.table.${table.id}` as ConsoleKey));

/**
 * A cross-tab with its totals; months run down the page (24 columns would not fit a phone), so such a table is turned,
 * and its empty months are folded (fold.ts).
 */
function CrossTabTable({ table }: { table: PublishedTable }): VNode {
  const turned = table.columns?.axis === 'month';
  const rows = turned ? table.columns!.values : table.rows.values;
  const columns = turned ? table.rows.values : table.columns!.values;
  const cell = (r: number, c: number): Shown => (turned ? table.cells[c]![r]! : table.cells[r]![c]!);
  const rowTotal = (r: number) => (turned ? table.columnTotals[r]! : table.rowTotals[r]!);
  const columnTotal = (c: number) => (turned ? table.rowTotals[c]! : table.columnTotals[c]!);
  const title = tableTitle(table);
  if (rows.length === 0 || (table.total.kind === 'exact' && table.total.count === 0)) return <p>{ct('openData.noData')}</p>;
  const byMonth = turned || table.rows.axis === 'month';
  const shown = byMonth ? foldEmpty(rows, (_, r) => isZero(rowTotal(r))) : rows.map((row, index) => ({ kind: 'row' as const, row, index }));
  const of = table.id === 'satisfaction_by_month' ? 'answers' : 'reports';
  return (
    <div class="table-scroll" tabindex={0} role="region" aria-label={title}>
      <table>
        <caption class="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <td></td>
            {columns.map((column) => (
              <th scope="col">{column.label}</th>
            ))}
            <th scope="col">{ct('openData.total')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((entry) =>
            entry.kind === 'gap' ? (
              <tr class="gap">
                <td colSpan={columns.length + 2}>{gapText(entry.from.label, entry.to.label, of)}</td>
              </tr>
            ) : (
              <tr>
                <th scope="row">{entry.row.label}</th>
                {columns.map((_, c) => (
                  <td>{countText(cell(entry.index, c))}</td>
                ))}
                <td>{countText(rowTotal(entry.index))}</td>
              </tr>
            ),
          )}
          <tr class="totals">
            <th scope="row">{ct('openData.total')}</th>
            {columns.map((_, c) => (
              <td>{countText(columnTotal(c))}</td>
            ))}
            <td>{countText(table.total)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function FirstActionTable({ data }: { data: OpenData }): VNode {
  return (
    <section aria-labelledby="first-action-heading">
      <h2 id="first-action-heading">{ct('openData.firstAction')}</h2>
      <p>{ct('openData.firstActionExplain', { threshold: SMALL_COUNT })}</p>
      <div class="table-scroll" tabindex={0} role="region" aria-label={ct('openData.firstAction')}>
        <table>
          <caption class="visually-hidden">{ct('openData.firstAction')}</caption>
          <thead>
            <tr>
              {(['month', 'acted', 'waiting', 'p25', 'median', 'p75'] as const).map((key) => (
                <th scope="col">{ct(`openData.firstAction.${key}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {foldEmpty(data.firstAction, (row) => isZero(row.acted) && isZero(row.waiting)).map((entry) =>
              entry.kind === 'gap' ? (
                <tr class="gap">
                  <td colSpan={6}>{gapText(entry.from.month.label, entry.to.month.label, 'reports')}</td>
                </tr>
              ) : (
                <tr>
                  <th scope="row">{entry.row.month.label}</th>
                  <td>{countText(entry.row.acted)}</td>
                  <td>{countText(entry.row.waiting)}</td>
                  <td>{entry.row.quartiles ? entry.row.quartiles.p25.toLocaleString('en-GB') : '–'}</td>
                  <td>{entry.row.quartiles ? entry.row.quartiles.median.toLocaleString('en-GB') : '–'}</td>
                  <td>{entry.row.quartiles ? entry.row.quartiles.p75.toLocaleString('en-GB') : '–'}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The figures, the same for the public and for moderators; only the words around them and the exactness differ. */
function OpenDataBody({ data, session }: { data: OpenData; session?: SessionView }): VNode {
  return (
    <>
      <p>{ct('openData.intro')}</p>
      <p>{data.suppressed ? ct('openData.suppressed', { threshold: SMALL_COUNT, largest: SMALL_COUNT - 1 }) : ct('openData.exact', { threshold: SMALL_COUNT })}</p>
      <ul>
        <li>
          <a href={openDataHref.csv}>{ct('openData.csvAll')}</a>
        </li>
        <li>
          <a href={openDataHref.json}>{ct('openData.json')}</a>
        </li>
        {session ? (
          <li>
            <a href={openDataHref.page}>{ct('openData.publicPage')}</a>
          </li>
        ) : null}
      </ul>
      {data.oneWay.map((table) => {
        const bars: Bar[] = table.rows.values.map((value, index) => ({ label: value.label, shown: table.cells[index]![0]! }));
        const title = tableTitle(table);
        const id = table.id.replace('reports_by_', '');
        return (
          <section aria-labelledby={`${id}-heading`}>
            <h2 id={`${id}-heading`}>{title}</h2>
            <BarTable title={title} heading={ONE_WAY_HEADINGS[table.id]?.() ?? title} bars={bars} months={table.rows.axis === 'month'} />
          </section>
        );
      })}
      {data.crossTabs.map((table) => (
        <section aria-labelledby={`${table.id}-heading`}>
          <h2 id={`${table.id}-heading`}>{tableTitle(table)}</h2>
          <CrossTabTable table={table} />
        </section>
      ))}
      <FirstActionTable data={data} />
    </>
  );
}

export function openDataRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const now = deps.now ?? (() => new Date());
  // The promise is kept, not its result, so requests arriving while the counts are computed share that one query.
  let cached: { at: number; counts: Promise<{ counts: Counts; tables: Tables }> } | undefined;
  const counts = () => {
    const at = now().getTime();
    if (!cached || at - cached.at > CACHE_MS) {
      const computing = Promise.all([openDataCounts(deps.db, now()), openDataTables(deps.db, now())]).then(([counts, tables]) => ({ counts, tables }));
      cached = { at, counts: computing };
      // A failed query is not kept: the next request tries again.
      computing.catch(() => {
        if (cached?.counts === computing) cached = undefined;
      });
    }
    return cached.counts;
  };
  const published = async (suppress: boolean) => {
    const { counts: found, tables } = await counts();
    return publish(found, tables, suppress, now());
  };
  const fileName = (extension: string) => `attachment; filename="open-data-${now().toISOString().slice(0, 10)}.${extension}"`;

  // The public page under the organisation's name, not the console's: people who never sign in read it.
  routes.get('/open-data', async (c) =>
    render(
      c,
      <PublicPage title={ct('openData.publicTitle')} organisation={deps.config.name}>
        <OpenDataBody data={await published(true)} />
      </PublicPage>,
    ),
  );

  // Stable addresses: the newest figures are always here; the file name carries the day they were downloaded.
  routes.get('/open-data.csv', async (c) => {
    c.header('Content-Disposition', fileName('csv'));
    c.header('Cache-Control', 'no-store');
    return c.body(openDataCsv(await published(true)), 200, { 'Content-Type': 'text/csv; charset=utf-8; header=present' });
  });

  routes.get('/open-data.json', async (c) => {
    c.header('Content-Disposition', fileName('json').replace('attachment', 'inline'));
    c.header('Cache-Control', 'no-store');
    return c.body(`${JSON.stringify(openDataJson(await published(true), deps.config.name), null, 2)}\n`, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  routes.get('/dashboard', requireModerator(deps), async (c) => {
    const session = sessionOf(c);
    return render(
      c,
      <ConsolePage title={ct('openData.title')} session={session} current="dashboard">
        <OpenDataBody data={await published(false)} session={session} />
      </ConsolePage>,
    );
  });
  return routes;
}
