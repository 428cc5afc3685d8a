/**
 * /console/queue: the queue as a work list. Views (built-in and the moderator's own), the filter and sort forms (GET
 * forms, so a filtered queue is a link that can be kept), and the matching reports, each row with what a moderator
 * triages by: a short summary (folded behind a content warning where the organisation asks for one), a blurred
 * picture, the time since it arrived against the organisation's target, who has it. Rows can be chosen and acted on
 * together, or taken one at a time ("Assign to me"): plain forms that work without script. A small script of the
 * queue's own (keys.js) adds keyboard shortcuts on top.
 */
import type { VNode } from 'preact';

import { ct, ctn } from '../../../lib/i18n/console';
import { HarmType, Outcome, Platform, ReportStatus, TargetedCharacteristic, type FieldError } from '../../../lib/schema';
import type { Moderator } from '../auth/accounts';
import { problemText, type BulkOutcome } from '../shared/bulk';
import { characteristicLabel, harmLabel, outcomeLabel, platformLabel, statusLabel } from '../shared/labels';
import { ConsolePage, CsrfField, formatTime, Notice, ReferenceCell, type SessionView } from '../shared/layout';
import { clusterHref, href, reportInQueue } from '../shared/links';
import { Reported } from '../shared/reported';
import { SensitiveImage } from '../shared/wellbeing';
import { COUNT_CAP, encodeCursor, RELATED_CAP, SNIPPET_CHARS, WAITING, type Cursor, type QueuePage as Page, type QueueRow, type QueueSort, type TriageTargets } from './query';
import { BUILT_IN_VIEWS, canonicalQuery, VIEW_NAME_MAX, type SavedView } from './views';

export const QUEUE_SCRIPT = `${href.queue}/keys.js`;

/** How the organisation shows the queue (hub config `console.*`). */
export interface QueueSettings {
  targets: TriageTargets;
  /** Harm types whose summaries are folded behind a content warning. */
  contentWarnings: readonly HarmType[];
}

export interface QueuePageProps {
  session: SessionView;
  /** The query string as sent, so the form shows what was asked even when it could not be used. */
  raw: Record<string, string>;
  /** The active moderators, each with the words they are shown by. */
  moderators: Array<Moderator & { label: string }>;
  settings: QueueSettings;
  views: SavedView[];
  problems?: FieldError[];
  page?: Page;
  count?: number;
  /** What the last bulk action did. */
  result?: BulkOutcome;
  /** What a view form or an empty choice came to, in words. */
  notice?: { kind: 'done' | 'problem'; text: string };
  now: Date;
}

export function QueuePage(props: QueuePageProps): VNode {
  const { session, raw, moderators, problems, page, count, result, notice } = props;
  return (
    <ConsolePage title={ct('queue.title')} session={session} current="queue" wide scripts={[QUEUE_SCRIPT]}>
      {problems && problems.length > 0 && (
        <Notice kind="problem">
          <p>{ct('queue.problems')}</p>
          <ul>
            {problems.map((problem) => (
              <li>{problem.message}</li>
            ))}
          </ul>
        </Notice>
      )}
      {result && <ResultNotices result={result} />}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      <Views raw={raw} views={props.views} />
      <Filters raw={raw} moderators={moderators} open={Boolean(problems?.length)} view={isView(raw, props.views)} />
      {page && count !== undefined && <Results {...props} page={page} count={count} />}
      <KeyboardHelp />
    </ConsolePage>
  );
}

function ResultNotices({ result }: { result: BulkOutcome }): VNode {
  return (
    <>
      {result.done > 0 && <Notice kind="done">{ctn('cluster.done', result.done)}</Notice>}
      {result.problems.length > 0 && (
        <Notice kind="problem">
          {result.problems.map((problem) => (
            <p>{problemText(problem)}</p>
          ))}
        </Notice>
      )}
    </>
  );
}

/** The built-in views and the moderator's own, the one being looked at marked as current. */
function Views({ raw, views }: { raw: Record<string, string>; views: SavedView[] }): VNode {
  const current = canonicalQuery(raw);
  const link = (query: string, label: VNode | string) => (
    <a href={query ? `${href.queue}?${query}` : href.queue} aria-current={query === current ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav aria-labelledby="queue-views" class="views">
      <h2 id="queue-views" class="views-heading">
        {ct('queue.views')}
      </h2>
      <ul>
        {BUILT_IN_VIEWS.map((view) => (
          <li>{link(view.query, ct(view.label))}</li>
        ))}
      </ul>
      {views.length > 0 && (
        <ul aria-label={ct('queue.view.own')}>
          {views.map((view) => (
            <li>
              {link(view.query, <Reported text={view.name} />)}{' '}
              <form method="post" action={`${href.queue}/views/${view.id}/delete`} class="view-delete">
                <CsrfField />
                <button type="submit" class="quiet" aria-label={ct('queue.view.deleteName', { name: view.name })}>
                  {ct('queue.view.delete')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}

/** Saves the filters in use as a view of the moderator's own (a POST form of its own, after the filters' GET form). */
function SaveView({ current }: { current: string }): VNode {
  return (
    <form method="post" action={`${href.queue}/views`} class="view-save">
      <CsrfField />
      <input type="hidden" name="query" value={current} />
      <label for="view-name">{ct('queue.view.name')}</label>{' '}
      <input id="view-name" name="name" maxLength={VIEW_NAME_MAX} required autocomplete="off" />{' '}
      <button type="submit" class="secondary">
        {ct('queue.view.saveSubmit')}
      </button>
    </form>
  );
}

/** A labelled `<select>` whose first option means "no filter". */
function Choice(props: { name: string; label: string; value: string | undefined; options: Array<[value: string, label: string]>; any?: string }): VNode {
  const id = `filter-${props.name}`;
  return (
    <div class="inline">
      <label for={id}>{props.label}</label>{' '}
      <select id={id} name={props.name}>
        {props.any !== undefined && <option value="">{props.any}</option>}
        {props.options.map(([value, label]) => (
          <option value={value} selected={props.value === value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

const SORTS: readonly QueueSort[] = ['urgency', 'oldest', 'newest'];

/** The filters in use (those a view or a link set, other than the order). */
function filtersInUse(raw: Record<string, string>): number {
  return [...new URLSearchParams(canonicalQuery(raw)).keys()].filter((key) => key !== 'sort').length;
}

/** Whether the queue shown is one of the views (built in or saved), whose filters need not be spread out. */
function isView(raw: Record<string, string>, views: SavedView[]): boolean {
  const current = canonicalQuery(raw);
  return [...BUILT_IN_VIEWS, ...views].some((view) => view.query === current);
}

/** The filters, folded away unless some are in use outside a view (or could not be used). */
function Filters({ raw, moderators, open, view }: { raw: Record<string, string>; moderators: QueuePageProps['moderators']; open: boolean; view: boolean }): VNode {
  const inUse = filtersInUse(raw);
  const current = canonicalQuery(raw);
  return (
    <details class="filters" open={open || (inUse > 0 && !view)}>
      <summary>{inUse > 0 ? ctn('queue.filtersActive', inUse) : ct('queue.filters')}</summary>
      <form method="get" action={href.queue}>
        <div class="stack">
          <label for="filter-q">{ct('queue.search')}</label>
          <input id="filter-q" type="search" name="q" value={raw.q ?? ''} maxLength={200} aria-describedby="filter-q-hint" />
          <p id="filter-q-hint" class="hint">
            {ct('queue.searchHint')}
          </p>
        </div>
        <Choice
          name="status"
          label={ct('queue.status')}
          value={raw.status}
          options={[['open', ct('queue.status.open')], ['all', ct('queue.status.all')], ...ReportStatus.options.map((s): [string, string] => [s, statusLabel(s)])]}
        />
        <Choice name="urgent" label={ct('queue.urgentOnly')} value={raw.urgent} any={ct('queue.urgentOnly.any')} options={[['only', ct('queue.urgentOnly.only')]]} />
        <Choice name="due" label={ct('queue.due')} value={raw.due} any={ct('queue.due.any')} options={[['over', ct('queue.due.over')]]} />
        <Choice
          name="characteristic"
          label={ct('queue.characteristic')}
          value={raw.characteristic}
          any={ct('queue.any')}
          options={TargetedCharacteristic.options.map((c) => [c, characteristicLabel(c)])}
        />
        <Choice name="harm" label={ct('queue.harm')} value={raw.harm} any={ct('queue.any')} options={HarmType.options.map((h) => [h, harmLabel(h)])} />
        <Choice name="platform" label={ct('queue.platform')} value={raw.platform} any={ct('queue.any')} options={Platform.options.map((p) => [p, platformLabel(p)])} />
        <Choice
          name="assignee"
          label={ct('queue.assignee')}
          value={raw.assignee}
          options={[
            ['any', ct('queue.assignee.any')],
            ['unassigned', ct('queue.assignee.unassigned')],
            ['mine', ct('queue.assignee.mine')],
            ...moderators.map((m): [string, string] => [m.id, m.label]),
          ]}
        />
        <div class="inline">
          <label for="filter-from">{ct('queue.from')}</label> <input id="filter-from" type="date" name="from" value={raw.from ?? ''} aria-describedby="filter-dates" />
        </div>
        <div class="inline">
          <label for="filter-to">{ct('queue.to')}</label> <input id="filter-to" type="date" name="to" value={raw.to ?? ''} aria-describedby="filter-dates" />
        </div>
        <p id="filter-dates" class="hint">
          {ct('queue.dateHint')}
        </p>
        {raw.sort && <input type="hidden" name="sort" value={raw.sort} />}
        <p>
          <button type="submit">{ct('queue.apply')}</button> <a href={href.queue}>{ct('queue.clear')}</a>
        </p>
      </form>
      <SaveView current={current} />
    </details>
  );
}

/** The order of the rows: its own small GET form, carrying the filters in use. */
function SortForm({ raw }: { raw: Record<string, string> }): VNode {
  const kept = [...new URLSearchParams(canonicalQuery(raw))].filter(([key]) => key !== 'sort');
  return (
    <form method="get" action={href.queue} class="sort">
      {kept.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <label for="queue-sort">{ct('queue.sort')}</label>{' '}
      <select id="queue-sort" name="sort">
        {SORTS.map((sort) => (
          <option value={sort} selected={(raw.sort || 'urgency') === sort}>
            {ct(`queue.sort.${sort}`)}
          </option>
        ))}
      </select>{' '}
      <button type="submit">{ct('queue.sortApply')}</button>
    </form>
  );
}

function countText(count: number): string {
  if (count > COUNT_CAP) return ct('queue.countMany', { count: COUNT_CAP.toLocaleString('en') });
  return ctn('queue.matches', count);
}

type ResultsProps = QueuePageProps & { page: Page; count: number };

function Results(props: ResultsProps): VNode {
  const { page, count, raw, moderators: _moderators } = props;
  const sort = (SORTS as readonly string[]).includes(raw.sort ?? '') ? (raw.sort as QueueSort) : 'urgency';
  if (page.rows.length === 0)
    return (
      <>
        <SortForm raw={raw} />
        <p role="status">{ct('queue.empty')}</p>
      </>
    );
  return (
    <>
      <div class="queue-head">
        <p role="status">{countText(count)}</p>
        <p class="hint" id="queue-keys-hint" hidden>
          {ct('queue.keys.hint')}
        </p>
        <SortForm raw={raw} />
      </div>
      <form method="post" action={href.queue} id="queue-bulk">
        <CsrfField />
        <input type="hidden" name="back" value={backQuery(raw)} />
        <BulkActions />
        <table class="queue">
          <caption>{ct(`queue.caption.${sort}`)}</caption>
          <thead>
            <tr>
              <th scope="col" class="choose">
                {ct('queue.col.choose')}
              </th>
              <th scope="col">{ct('queue.col.reference')}</th>
              <th scope="col">{ct('queue.col.summary')}</th>
              <th scope="col">{ct('queue.col.picture')}</th>
              <th scope="col">{ct('queue.col.received')}</th>
              <th scope="col">{ct('queue.col.status')}</th>
              <th scope="col">{ct('queue.col.assignee')}</th>
              <th scope="col">{ct('queue.col.related')}</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((row) => (
              <Row row={row} {...props} />
            ))}
          </tbody>
        </table>
      </form>
      <Pages page={page} raw={raw} />
    </>
  );
}

/** Where the bulk form sends the moderator back to: the same filters, order and page. */
function backQuery(raw: Record<string, string>): string {
  const query = new URLSearchParams(canonicalQuery(raw));
  if (raw.cursor) query.set('cursor', raw.cursor);
  return query.toString();
}

/** The actions on the chosen rows; first in the form, so a key press that submits it never picks a row's button. */
function BulkActions(): VNode {
  return (
    <fieldset class="bulk">
      <legend>{ct('queue.bulk')}</legend>
      <div class="bulk-row">
        <button type="submit" name="action" value="assign_me">
          {ct('queue.bulk.assignMe')}
        </button>
        <label for="bulk-to">{ct('queue.bulk.moveTo')}</label>
        <select id="bulk-to" name="to">
          {ReportStatus.options.map((status) => (
            <option value={status}>{statusLabel(status)}</option>
          ))}
        </select>
        <label for="bulk-outcome">{ct('queue.bulk.outcome')}</label>
        <select id="bulk-outcome" name="outcome">
          <option value="">{ct('cluster.outcomeNone')}</option>
          {Outcome.options.map((outcome) => (
            <option value={outcome}>{outcomeLabel(outcome)}</option>
          ))}
        </select>
        <button type="submit" name="action" value="status">
          {ct('queue.bulk.statusSubmit')}
        </button>
        <button type="submit" name="action" value="refer" class="secondary">
          {ct('queue.bulk.refer')}
        </button>
      </div>
      <p class="hint">{ct('queue.bulk.hint')}</p>
    </fieldset>
  );
}

type Target = { kind: 'over' | 'soon'; hours: number } | undefined;

/** Where a report waiting for the organisation stands against its target: past it, or in its last quarter. */
export function targetOf(row: Pick<QueueRow, 'urgent' | 'status' | 'receivedAt'>, now: Date, targets: TriageTargets): Target {
  if (!WAITING.includes(row.status)) return undefined;
  const hours = row.urgent ? targets.urgentHours : targets.normalHours;
  const elapsed = (now.getTime() - new Date(row.receivedAt).getTime()) / 3_600_000;
  if (elapsed >= hours) return { kind: 'over', hours };
  if (elapsed >= hours * 0.75) return { kind: 'soon', hours: Math.max(1, Math.ceil(hours - elapsed)) };
  return undefined;
}

function Row({ row, now, settings, session, raw }: { row: QueueRow } & ResultsProps): VNode {
  // The report opens with this page's queue, so its "next" and "previous" follow the same filters, order and page.
  const queryHere = backQuery(raw);
  const target = targetOf(row, now, settings.targets);
  const mine = row.assignedTo === session.moderator.id;
  return (
    <tr class={target ? `target-${target.kind}` : undefined} data-reference={row.reference}>
      <td class="choose">
        <input type="checkbox" name="reference" value={row.reference} aria-label={ct('queue.choose', { reference: row.reference })} />
      </td>
      <ReferenceCell reference={row.reference} urgent={row.urgent} to={reportInQueue(row.reference, queryHere)} />
      <td class="summary">
        <Summary row={row} warnings={settings.contentWarnings} />
        <p class="meta">{[...row.characteristics.map(characteristicLabel), ...row.harmTypes.map(harmLabel), ...row.platforms.map(platformLabel)].join(' · ') || ct('queue.none')}</p>
      </td>
      <td class="picture">
        <Thumbnail row={row} />
      </td>
      <td>
        {age(row.receivedAt, now)}
        {target && (
          <>
            <br />
            <strong class={`target ${target.kind}`}>{ct(`queue.target.${target.kind}`, { hours: target.hours })}</strong>
          </>
        )}
        <br />
        <span class="meta">{formatTime(row.receivedAt)}</span>
      </td>
      <td>{statusLabel(row.status)}</td>
      <td>
        {row.assigneeName ?? ct('queue.unassigned')}
        {!mine && row.status !== 'closed' && (
          <>
            <br />
            <button type="submit" name="mine" value={row.reference} class="secondary small" data-key="assign">
              {ct('queue.assignMe')}
              <span class="visually-hidden"> {ct('queue.assignMeOf', { reference: row.reference })}</span>
            </button>
          </>
        )}
      </td>
      <td>
        <RelatedCell row={row} />
      </td>
    </tr>
  );
}

/** The summary's first words, cut at a word where one is near the end. */
export function snippet(summary: string): string {
  const chars = Array.from(summary);
  if (chars.length <= SNIPPET_CHARS) return summary;
  const cut = chars.slice(0, SNIPPET_CHARS).join('');
  const space = cut.search(/\s\S*$/);
  return `${(space > SNIPPET_CHARS * 0.75 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function Summary({ row, warnings }: { row: QueueRow; warnings: readonly HarmType[] }): VNode {
  if (row.summary === null) return <p class="absent">{ct('queue.noSummary')}</p>;
  const text = (
    <p class="snippet">
      <Reported text={snippet(row.summary)} />
    </p>
  );
  const warned = row.harmTypes.filter((harm) => warnings.includes(harm));
  if (warned.length === 0) return text;
  return (
    <details class="warning">
      <summary>{ct('queue.contentWarning', { harms: warned.map(harmLabel).join(', ') })}</summary>
      {text}
    </details>
  );
}

/** The first picture, small, blurred and grey by the moderator's settings until "Show" is ticked (the report view's reveal). */
function Thumbnail({ row }: { row: QueueRow }): VNode {
  if (!row.thumbnail) return <span class="absent">{ct('queue.picture.none')}</span>;
  const label = (
    <>
      {ct('queue.picture.show')}
      <span class="visually-hidden"> {ct('queue.picture.showOf', { reference: row.reference })}</span>
    </>
  );
  return (
    <div class="thumb">
      <SensitiveImage src={href.evidence(row.thumbnail)} alt={ct('queue.picture.alt', { reference: row.reference })} id={`thumb-${row.reference}`} label={label} />
    </div>
  );
}

export function RelatedCell({ row }: { row: Pick<QueueRow, 'reference' | 'related' | 'sameReporter'> }): VNode {
  return (
    <>
      {row.related > 0 ? (
        <a href={clusterHref(row.reference)}>{row.related >= RELATED_CAP ? ct('queue.relatedMany', { count: RELATED_CAP }) : ct('queue.related', { count: row.related })}</a>
      ) : (
        ct('queue.noRelated')
      )}
      {row.sameReporter > 0 && (
        <>
          <br />
          <a class="repeat" href={clusterHref(row.reference)}>
            {row.sameReporter >= RELATED_CAP ? ct('queue.repeatMany', { count: RELATED_CAP }) : ctn('queue.repeat', row.sameReporter)}
          </a>
        </>
      )}
    </>
  );
}

/** How long ago, in the largest whole unit that fits. */
function age(receivedAt: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(receivedAt).getTime()) / 60_000));
  if (minutes < 60) return ct('queue.age.minutes', { count: minutes });
  if (minutes < 48 * 60) return ct('queue.age.hours', { count: Math.floor(minutes / 60) });
  return ct('queue.age.days', { count: Math.floor(minutes / (24 * 60)).toLocaleString('en') });
}

/** The shortcuts' list, shown by the script on "?" (a page without script never opens it). */
function KeyboardHelp(): VNode {
  const keys: Array<[key: string, what: Parameters<typeof ct>[0]]> = [
    ['j', 'queue.keys.next'],
    ['k', 'queue.keys.prev'],
    ['x', 'queue.keys.choose'],
    ['a', 'queue.keys.assign'],
    ['Enter', 'queue.keys.open'],
    ['?', 'queue.keys.help'],
  ];
  return (
    <dialog id="queue-keys" aria-labelledby="queue-keys-title" class="keys">
      <h2 id="queue-keys-title">{ct('queue.keys.title')}</h2>
      <dl>
        {keys.map(([key, what]) => (
          <>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{ct(what)}</dd>
          </>
        ))}
      </dl>
      <p class="hint">{ct('queue.keys.where')}</p>
      <form method="dialog">
        <button type="submit">{ct('queue.keys.close')}</button>
      </form>
    </dialog>
  );
}

function Pages({ page, raw }: { page: Page; raw: Record<string, string> }): VNode | null {
  if (!page.prev && !page.next) return null;
  return (
    <nav aria-label={ct('queue.pages')}>
      <ul class="pager">
        {page.prev && (
          <li>
            <a href={pageHref(raw, page.prev)} rel="prev">
              {ct('queue.prev')}
            </a>
          </li>
        )}
        {page.next && (
          <li>
            <a href={pageHref(raw, page.next)} rel="next">
              {ct('queue.next')}
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

/** The same filters, another page. */
function pageHref(raw: Record<string, string>, cursor: Cursor): string {
  const query = new URLSearchParams(canonicalQuery(raw));
  query.set('cursor', encodeCursor(cursor));
  return `${href.queue}?${query.toString()}`;
}
