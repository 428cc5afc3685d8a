/**
 * /console/queue: the filter form (a GET form, so a filtered queue is a link that can be kept), the matching reports
 * urgent first then oldest first, and links to the neighbouring pages. No script: the page is all HTML.
 */
import type { VNode } from 'preact';

import { ct } from '../../../lib/i18n/console';
import { HarmType, Platform, ReportStatus, TargetedCharacteristic, type FieldError } from '../../../lib/schema';
import type { Moderator } from '../auth/accounts';
import { characteristicLabel, harmLabel, platformLabel, statusLabel } from '../shared/labels';
import { ConsolePage, formatTime, Notice, ReferenceCell, type SessionView } from '../shared/layout';
import { clusterHref, href } from '../shared/links';
import { COUNT_CAP, encodeCursor, RELATED_CAP, type Cursor, type QueuePage as Page, type QueueRow } from './query';

export interface QueuePageProps {
  session: SessionView;
  /** The query string as sent, so the form shows what was asked even when it could not be used. */
  raw: Record<string, string>;
  moderators: Moderator[];
  problems?: FieldError[];
  page?: Page;
  count?: number;
  now: Date;
}

export function QueuePage({ session, raw, moderators, problems, page, count, now }: QueuePageProps): VNode {
  return (
    <ConsolePage title={ct('queue.title')} session={session} current="queue">
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
      <Filters raw={raw} moderators={moderators} />
      {page && count !== undefined && <Results page={page} count={count} raw={raw} now={now} />}
    </ConsolePage>
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

function Filters({ raw, moderators }: { raw: Record<string, string>; moderators: Moderator[] }): VNode {
  return (
    <form method="get" action={href.queue} class="filters">
      <fieldset>
        <legend>{ct('queue.filters')}</legend>
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
            ...moderators.map((m): [string, string] => [m.id, m.email]),
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
        <p>
          <button type="submit">{ct('queue.apply')}</button> <a href={href.queue}>{ct('queue.clear')}</a>
        </p>
      </fieldset>
    </form>
  );
}

function countText(count: number): string {
  if (count > COUNT_CAP) return ct('queue.countMany', { count: COUNT_CAP.toLocaleString('en') });
  return count === 1 ? ct('queue.countOne') : ct('queue.count', { count: count.toLocaleString('en') });
}

function Results({ page, count, raw, now }: { page: Page; count: number; raw: Record<string, string>; now: Date }): VNode {
  if (page.rows.length === 0) return <p role="status">{ct('queue.empty')}</p>;
  return (
    <>
      <p role="status">{countText(count)}</p>
      <table class="queue">
        <caption>{ct('queue.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{ct('queue.col.reference')}</th>
            <th scope="col">{ct('queue.col.received')}</th>
            <th scope="col">{ct('queue.col.status')}</th>
            <th scope="col">{ct('queue.col.characteristics')}</th>
            <th scope="col">{ct('queue.col.harms')}</th>
            <th scope="col">{ct('queue.col.platforms')}</th>
            <th scope="col">{ct('queue.col.assignee')}</th>
            <th scope="col">{ct('queue.col.related')}</th>
          </tr>
        </thead>
        <tbody>
          {page.rows.map((row) => (
            <Row row={row} now={now} />
          ))}
        </tbody>
      </table>
      <Pages page={page} raw={raw} />
    </>
  );
}

function Row({ row, now }: { row: QueueRow; now: Date }): VNode {
  return (
    <tr>
      <ReferenceCell reference={row.reference} urgent={row.urgent} />
      <td>
        {age(row.receivedAt, now)}
        <br />
        <span class="meta">{formatTime(row.receivedAt)}</span>
      </td>
      <td>{statusLabel(row.status)}</td>
      <td>{list(row.characteristics.map(characteristicLabel))}</td>
      <td>{list(row.harmTypes.map(harmLabel))}</td>
      <td>{list(row.platforms.map(platformLabel))}</td>
      <td>{row.assigneeEmail ?? ct('queue.unassigned')}</td>
      <td>
        <RelatedCell row={row} />
      </td>
    </tr>
  );
}

export function RelatedCell({ row }: { row: Pick<QueueRow, 'reference' | 'related' | 'sameReporter'> }): VNode {
  const capped = (count: number, one: 'queue.related' | 'queue.repeat', many: 'queue.relatedMany' | 'queue.repeatMany') =>
    count >= RELATED_CAP ? ct(many, { count: RELATED_CAP }) : ct(one, { count });
  return (
    <>
      {row.related > 0 ? <a href={clusterHref(row.reference)}>{capped(row.related, 'queue.related', 'queue.relatedMany')}</a> : ct('queue.noRelated')}
      {row.sameReporter > 0 && (
        <>
          <br />
          <a class="repeat" href={clusterHref(row.reference)}>
            {capped(row.sameReporter, 'queue.repeat', 'queue.repeatMany')}
          </a>
        </>
      )}
    </>
  );
}

const list = (labels: string[]) => (labels.length > 0 ? labels.join(', ') : ct('queue.none'));

/** How long ago, in the largest whole unit that fits. */
function age(receivedAt: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(receivedAt).getTime()) / 60_000));
  if (minutes < 60) return ct('queue.age.minutes', { count: minutes });
  if (minutes < 48 * 60) return ct('queue.age.hours', { count: Math.floor(minutes / 60) });
  return ct('queue.age.days', { count: Math.floor(minutes / (24 * 60)).toLocaleString('en') });
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
  const query = new URLSearchParams(Object.entries(raw).filter(([key, value]) => key !== 'cursor' && value !== ''));
  query.set('cursor', encodeCursor(cursor));
  return `${href.queue}?${query.toString()}`;
}

