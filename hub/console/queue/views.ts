/**
 * The queue's views: the built-in ones every moderator has ("mine", "urgent", "unassigned", "past target") and each
 * moderator's own saved views (migrations/013_queue_views.sql), each a name and a queue query string. A query is
 * kept in one canonical form (known keys in a fixed order, no empty or default values, never a page cursor), so the
 * page can tell which view is being looked at and a view saved twice is the same text.
 */
import { z } from 'zod';
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import type { Queryable } from '../../db';
import { QueueParams } from './query';

/** A moderator keeps at most this many views of their own. */
export const VIEW_MAX = 30;
export const VIEW_NAME_MAX = 60;

/** The filter keys of the queue's address, in the order a canonical query lists them. */
const KEYS = ['q', 'status', 'urgent', 'due', 'assignee', 'characteristic', 'harm', 'platform', 'from', 'to', 'sort'] as const;
/** Values that mean what leaving the key out means. */
const DEFAULTS: Partial<Record<(typeof KEYS)[number], string>> = { status: 'open', assignee: 'any', sort: 'urgency' };

/** The filters of `raw` as a canonical query string ('' for the whole open queue). */
export function canonicalQuery(raw: Record<string, string>): string {
  const query = new URLSearchParams();
  for (const key of KEYS) {
    const value = raw[key]?.trim();
    if (value && value !== DEFAULTS[key]) query.set(key, value);
  }
  return query.toString();
}

export interface BuiltInView {
  key: 'all' | 'mine' | 'urgent' | 'unassigned' | 'over';
  label: ConsoleKey;
  query: string;
}

export const BUILT_IN_VIEWS: readonly BuiltInView[] = [
  { key: 'all', label: 'queue.view.all', query: '' },
  { key: 'mine', label: 'queue.view.mine', query: 'assignee=mine' },
  { key: 'urgent', label: 'queue.view.urgent', query: 'urgent=only' },
  { key: 'unassigned', label: 'queue.view.unassigned', query: 'assignee=unassigned' },
  { key: 'over', label: 'queue.view.over', query: 'due=over' },
];

export interface SavedView {
  id: string;
  name: string;
  query: string;
}

/** NUL cannot be stored in PostgreSQL text, and a lone surrogate is not text at all. */
const STORABLE = /^[^\u0000]*$/;
const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The "save this view" form: a name, and the query of the filters being looked at (checked by the queue's schema). */
export const SaveViewForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, ct('queue.view.nameMissing'))
    .max(VIEW_NAME_MAX, ct('queue.view.nameTooLong', { count: VIEW_NAME_MAX }))
    .regex(STORABLE, ct('queue.view.nameBroken'))
    .refine((name) => !UNPAIRED.test(name), ct('queue.view.nameBroken')),
  query: z
    .string()
    .max(2_000)
    .transform((text, ctx) => {
      const raw = Object.fromEntries(new URLSearchParams(text));
      if (QueueParams.safeParse(raw).success) return canonicalQuery(raw);
      ctx.addIssue({ code: 'custom', message: ct('queue.view.badQuery') });
      return z.NEVER;
    }),
});
export type SaveViewForm = z.infer<typeof SaveViewForm>;

export function viewsOf(db: Queryable, moderatorId: string): Promise<SavedView[]> {
  return db.query<SavedView>('SELECT id::text AS id, name, query FROM queue_views WHERE moderator_id = $1 ORDER BY lower(name), name', [moderatorId]);
}

/**
 * Saves a view under its name (a view of that name is replaced); refused when the moderator already has VIEW_MAX
 * others. The count and the write are one statement, so two tabs saving at once cannot pass the limit together.
 */
export async function saveView(db: Queryable, moderatorId: string, view: SaveViewForm): Promise<'saved' | 'too_many'> {
  const rows = await db.query(
    `INSERT INTO queue_views (moderator_id, name, query)
     SELECT $1, $2, $3
      WHERE (SELECT count(*) FROM queue_views WHERE moderator_id = $1 AND name <> $2) < ${VIEW_MAX}
     ON CONFLICT (moderator_id, name) DO UPDATE SET query = EXCLUDED.query
     RETURNING 1`,
    [moderatorId, view.name, view.query],
  );
  return rows.length > 0 ? 'saved' : 'too_many';
}

/** Deletes one of the moderator's own views; another's id is not found. */
export async function deleteView(db: Queryable, moderatorId: string, id: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM queue_views WHERE id = $1 AND moderator_id = $2 RETURNING 1', [id, moderatorId]);
  return rows.length > 0;
}
