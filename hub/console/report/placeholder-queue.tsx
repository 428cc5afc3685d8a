/**
 * A plain list of open reports, urgent first, at /console/queue — registered after the queue part's routes, so it
 * answers only while that part is not mounted (the first route to answer wins).
 */
import type { VNode } from 'preact';
import { ct } from '../../../lib/i18n/console';
import type { ReportStatus } from '../../../lib/schema';
import { requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps } from '../auth';
import { ConsolePage, formatTime, href, render, type SessionView } from '../layout';
import { statusLabel } from './view';

interface Row {
  reference: string;
  status: ReportStatus;
  urgent: boolean;
  receivedAt: Date;
}

export function registerPlaceholderQueue(console: ConsoleApp, deps: ConsoleDeps): void {
  console.get('/queue', requireModerator(deps), async (c) => {
    const rows = await deps.db.query<Row>(
      `SELECT reference, status, urgent, received_at AS "receivedAt" FROM reports
        WHERE status <> 'closed' ORDER BY urgent DESC, received_at LIMIT 100`,
    );
    return render(c, <PlaceholderQueue session={sessionOf(c)} rows={rows} />);
  });
}

function PlaceholderQueue({ session, rows }: { session: SessionView; rows: Row[] }): VNode {
  return (
    <ConsolePage title={ct('placeholder.queueTitle')} session={session} current="queue">
      {rows.length === 0 ? (
        <p>{ct('placeholder.queueEmpty')}</p>
      ) : (
        <ul class="plain">
          {rows.map((row) => (
            <li>
              <a href={href.report(row.reference)}>{row.reference}</a> · {statusLabel(row.status)} · {formatTime(row.receivedAt)}
              {row.urgent && <strong> · {ct('report.urgent')}</strong>}
            </li>
          ))}
        </ul>
      )}
    </ConsolePage>
  );
}
