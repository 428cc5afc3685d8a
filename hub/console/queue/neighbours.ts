/**
 * The report view's "previous" and "next" (issue 19 item 4), in this queue's own order, filters and paging: the report
 * view gets this function through hub/console/index.ts (it cannot import the queue), with the query string of the queue
 * page the report was opened from (`reportInQueue` in shared/links.ts). Only whole queue pages are read, through
 * `queuePage`, so the order here is always the queue's.
 */
import type { Queryable } from '../../db';
import { encodeCursor, QueueParams, queuePage, type Cursor, type QueueClock } from './query';

interface InQueue {
  reference: string;
  query: string;
}

/**
 * The neighbours of `reference` on the queue page `query` names (or the page before or after, at its edges). A report
 * no longer on that page (closed or reassigned since, so the filters drop it) has no previous, and the first report
 * left on the page is its next: the one to work on now.
 */
export async function queueNeighbours(
  db: Queryable,
  query: string,
  reference: string,
  me: string,
  /** The organisation's time targets and now, for the "past target" view (hub config's defaults without). */
  clock?: QueueClock,
): Promise<{ previous: InQueue | undefined; next: InQueue | undefined } | undefined> {
  const search = new URLSearchParams(query);
  const params = QueueParams.safeParse(Object.fromEntries(search));
  if (!params.success) return undefined;
  const { cursor, ...filters } = params.data;
  const page = await queuePage(db, filters, me, cursor, clock);
  const at = page.rows.findIndex((row) => row.reference === reference);
  const here = (row: { reference: string } | undefined) => (row ? { reference: row.reference, query } : undefined);
  if (at < 0) return { previous: undefined, next: here(page.rows.find((row) => row.reference !== reference)) };
  const onPage = async (to: Cursor | undefined, pick: 'first' | 'last'): Promise<InQueue | undefined> => {
    if (!to) return undefined;
    const other = await queuePage(db, filters, me, to, clock);
    const row = pick === 'first' ? other.rows[0] : other.rows.at(-1);
    if (!row) return undefined;
    const moved = new URLSearchParams(search);
    moved.set('cursor', encodeCursor(to));
    return { reference: row.reference, query: moved.toString() };
  };
  return {
    previous: here(page.rows[at - 1]) ?? (await onPage(page.prev, 'last')),
    next: here(page.rows[at + 1]) ?? (await onPage(page.next, 'first')),
  };
}
