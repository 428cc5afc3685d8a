/**
 * /console/deliveries: the delivery log, for admins. Each alert and reporter notification the hub queued (newest
 * first), where it went, its state and its last try (time, the HTTP status or SMTP reply code, a reason in words).
 * A reporter's address is never shown here: a notification's row says "the reporter's email address".
 */
import { Hono } from 'hono';
import type { VNode } from 'preact';
import { z } from 'zod';
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import { listDeliveries, REPORTER, type DeliveryLogRow, type DeliveryState } from '../../domain/deliveries';
import { requireAdmin, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { ConsolePage, formatTime, render, ReferenceCell, type SessionView } from '../shared/layout';
import { href } from '../shared/links';

/** Rows on the page: a log to check that alerts go out, not an archive. */
const SHOWN = 200;
const STATES = ['pending', 'sent', 'failed', 'dropped'] as const satisfies readonly DeliveryState[];
const Query = z.object({ state: z.enum(STATES).optional().catch(undefined) });

export function deliveriesRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  routes.get(href.deliveries.slice(href.home.length), requireModerator(deps), requireAdmin(), async (c) => {
    const { state } = Query.parse(c.req.query());
    const rows = await listDeliveries(deps.db, { limit: SHOWN, ...(state ? { state } : {}) });
    return render(c, <DeliveriesPage rows={rows} state={state} session={sessionOf(c)!} />);
  });
  return routes;
}

function DeliveriesPage({ rows, state, session }: { rows: DeliveryLogRow[]; state: DeliveryState | undefined; session: SessionView }): VNode {
  return (
    <ConsolePage title={ct('deliveries.title')} session={session} current="deliveries">
      <p>{ct('deliveries.intro')}</p>
      <form method="get" action={href.deliveries} class="filters">
        <label for="state">{ct('deliveries.filter')}</label>
        <select id="state" name="state">
          <option value="" selected={!state}>
            {ct('deliveries.filter.all')}
          </option>
          {STATES.map((value) => (
            <option value={value} selected={state === value}>
              {ct(`deliveries.filter.${value}`)}
            </option>
          ))}
        </select>
        <button type="submit">{ct('deliveries.apply')}</button>
      </form>
      {rows.length === 0 ? (
        <p>{ct('deliveries.none')}</p>
      ) : (
        <table>
          <caption>{ct('deliveries.caption', { count: rows.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{ct('deliveries.when')}</th>
              <th scope="col">{ct('deliveries.what')}</th>
              <th scope="col">{ct('deliveries.to')}</th>
              <th scope="col">{ct('deliveries.report')}</th>
              <th scope="col">{ct('deliveries.state')}</th>
              <th scope="col">{ct('deliveries.tries')}</th>
              <th scope="col">{ct('deliveries.last')}</th>
              <th scope="col">{ct('deliveries.id')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <DeliveryRow row={row} />
            ))}
          </tbody>
        </table>
      )}
    </ConsolePage>
  );
}

function DeliveryRow({ row }: { row: DeliveryLogRow }): VNode {
  const stateWords =
    row.state === 'pending' ? ct('deliveries.state.pending', { at: formatTime(row.due_at) }) : ct(`deliveries.state.${row.state}` as ConsoleKey);
  const last =
    row.last_at === null
      ? ct('deliveries.neverTried')
      : row.last_ok
        ? ct('deliveries.lastOk', { at: formatTime(row.last_at), code: row.last_code ?? '' })
        : ct('deliveries.lastFailed', { at: formatTime(row.last_at), reason: row.last_reason ?? String(row.last_code ?? '') });
  return (
    <tr data-delivery={row.id}>
      <td>{formatTime(row.created_at)}</td>
      <td>{ct(`deliveries.kind.${row.kind}`)}</td>
      <td>
        {ct(`deliveries.channel.${row.channel}`)}: {row.target === REPORTER ? ct('deliveries.reporter') : row.target}
      </td>
      <ReferenceCell reference={row.reference} urgent={row.kind === 'urgent_report'} />
      <td>{stateWords}</td>
      <td>{row.attempts}</td>
      <td>{last}</td>
      <td>
        <code>{row.id}</code>
      </td>
    </tr>
  );
}
