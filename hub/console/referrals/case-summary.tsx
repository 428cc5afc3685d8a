/**
 * The police case file's printable summary, as HTML rendered by Preact (every value is a text node or an attribute
 * Preact escapes, so captured content cannot become markup) and as plain text with reported words quoted line by line.
 * Both are written from the same `CaseSummaryData`, so they cannot disagree.
 */
import type { ComponentChildren } from 'preact';
import { renderToStaticMarkup } from 'preact-render-to-string';
import { t } from '../../../lib/i18n';
import { ct } from '../../../lib/i18n/console';
import { isUrgent, type Report } from '../../../lib/schema';
import type { ReportVerdict } from '../../../lib/integrity/verify';
import { quoted } from './dsa-notice';
import { characteristicLabel, harmLabel, outcomeLabel, platformLabel } from '../shared/labels';
import type { AuditEntry, HeldReport } from './sources';

export interface CaseReport {
  held: HeldReport;
  /** The report as filed in the case file: contact details withheld unless the reporter agreed. */
  report: Report;
  withheld: string[];
  verdict: ReportVerdict;
}

export interface CaseSummaryData {
  organisation: string;
  generatedAt: string;
  reports: CaseReport[];
  audit: AuditEntry[];
}

type Row = [label: string, value: string | undefined];

function reportRows({ held, report, withheld }: CaseReport): Row[] {
  const reporter = report.reporter;
  const incident = report.incident;
  return [
    [ct('case.received'), held.receivedAt],
    [ct('case.status'), `${t(`status.${held.status}`)}${held.outcome ? ` (${outcomeLabel(held.outcome)})` : ''}`],
    [ct('case.urgent'), held.urgent || isUrgent(report.urgency) ? ct('case.urgentYes', { reasons: Object.entries(report.urgency).filter(([, yes]) => yes).map(([what]) => what).join(', ') }) : ct('case.no')],
    [ct('case.reporter'), `${reporter.role}${reporter.anonymous ? `, ${ct('case.anonymous')}` : ''}`],
    [ct('case.name'), reporter.name],
    [ct('case.email'), reporter.email],
    [ct('case.phone'), reporter.phone],
    [ct('case.withheld'), withheld.length > 0 ? ct('case.withheldWhy', { fields: withheld.join(', ') }) : undefined],
    [ct('case.consents'), Object.entries(reporter.consents).filter(([, given]) => given).map(([what]) => what).join(', ') || ct('case.none')],
    [ct('case.characteristics'), [...incident.targetedCharacteristics.map(characteristicLabel), incident.targetedCharacteristicOther].filter(Boolean).join(', ')],
    [ct('case.harms'), [...incident.harmTypes.map(harmLabel), incident.harmTypeOther].filter(Boolean).join(', ')],
    [ct('case.firstSeen'), incident.firstSeenAt],
    [ct('case.policeReference'), incident.priorActions?.policeReference],
  ];
}

function itemRows(item: Report['items'][number]): Row[] {
  return [
    [ct('case.address'), item.url],
    [ct('case.permalink'), item.permalink],
    [ct('case.platform'), `${platformLabel(item.platform)}, ${item.kind}`],
    [ct('case.author'), [item.author?.displayName, item.author?.handle && `@${item.author.handle}`, item.author?.profileUrl].filter(Boolean).join(' ')],
    [ct('case.posted'), item.postedAt],
    [ct('case.captured'), `${item.capturedAt} (${item.captureMethod})`],
  ];
}

/** Long free text the reporter typed or the capture took: shown as a block, never as part of the labels. */
function longTexts(report: Report): Row[] {
  return [
    [ct('case.summary'), report.incident.summary],
    [ct('case.impact'), report.incident.impact],
    [ct('case.grounds'), report.grounds?.explanation],
  ];
}

const present = (rows: Row[]) => rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '');

function Table({ rows }: { rows: Row[] }) {
  return (
    <table>
      <tbody>
        {present(rows).map(([label, value]) => (
          <tr>
            <th scope="row">{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function ReportSection({ entry }: { entry: CaseReport }) {
  const { held, report, verdict } = entry;
  return (
    <Section title={ct('case.reportHeading', { reference: held.reference })}>
      <Table rows={reportRows(entry)} />
      {present(longTexts(report)).map(([label, value]) => (
        <>
          <h3>{label}</h3>
          <p class="text">{value}</p>
        </>
      ))}
      {report.items.map((item, index) => {
        const itemVerdict = verdict.items.find((candidate) => candidate.itemIndex === index);
        return (
          <section>
            <h3>{ct('case.itemHeading', { number: index + 1, title: item.pageTitle ?? item.url })}</h3>
            <Table rows={itemRows(item)} />
            {item.text ? <p class="text">{item.text}</p> : null}
            <p>{ct(itemVerdict?.ok ? 'case.verified' : 'case.notVerified')}</p>
            <ul>
              {(itemVerdict?.checks ?? []).map((check) => (
                <li>{`${check.ok ? ct('case.ok') : ct('case.failed')}: ${check.what}`}</li>
              ))}
            </ul>
          </section>
        );
      })}
    </Section>
  );
}

/** Audit rows as a table; `change` says what each row did (by default its before → after). */
export function AuditTable({ audit, change = auditChange, changeHeading = ct('case.auditChange'), time = (at: string) => at }: {
  audit: AuditEntry[];
  change?: (entry: AuditEntry) => ComponentChildren;
  changeHeading?: string;
  time?: (at: string) => string;
}) {
  return (
    <table class="trail">
      <thead>
        <tr>
          <th scope="col">{ct('case.auditAt')}</th>
          <th scope="col">{ct('case.auditReference')}</th>
          <th scope="col">{ct('case.auditActor')}</th>
          <th scope="col">{ct('case.auditAction')}</th>
          <th scope="col">{changeHeading}</th>
        </tr>
      </thead>
      <tbody>
        {audit.map((entry) => (
          <tr>
            <td>{time(entry.at)}</td>
            <td>{entry.reference ?? ''}</td>
            <td>{entry.actor ?? ct('case.auditNoActor')}</td>
            <td>{entry.action}</td>
            <td class="text">{change(entry)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const auditChange = (entry: AuditEntry) => `${JSON.stringify(entry.before ?? null)} → ${JSON.stringify(entry.after ?? null)}`;

const STYLE =
  'body{font-family:sans-serif;max-width:55rem;margin:1rem auto;line-height:1.4}th{text-align:start;vertical-align:top;padding-inline-end:1rem}' +
  '.text,td{white-space:pre-wrap;overflow-wrap:anywhere}table{border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:.2rem}';

export function caseSummaryHtml(data: CaseSummaryData): string {
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
        <title>{ct('case.title')}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <h1>{ct('case.title')}</h1>
        <p>{ct('case.generated', { organisation: data.organisation, date: data.generatedAt })}</p>
        <p>{ct('case.howToCheck')}</p>
        {data.reports.map((entry) => (
          <ReportSection entry={entry} />
        ))}
        <Section title={ct('case.auditHeading')}>
          <AuditTable audit={data.audit} />
        </Section>
      </body>
    </html>
  );
  return `<!doctype html>\n${renderToStaticMarkup(page)}\n`;
}

const textRows = (rows: Row[]) => present(rows).map(([label, value]) => `  ${label}: ${value}`);

export function caseSummaryText(data: CaseSummaryData): string {
  const lines = [ct('case.title'), ct('case.generated', { organisation: data.organisation, date: data.generatedAt }), ct('case.howToCheck')];
  for (const entry of data.reports) {
    lines.push('', ct('case.reportHeading', { reference: entry.held.reference }), ...textRows(reportRows(entry)));
    for (const [label, value] of present(longTexts(entry.report))) lines.push(`  ${label}:`, quoted(value));
    for (const [index, item] of entry.report.items.entries()) {
      const itemVerdict = entry.verdict.items.find((candidate) => candidate.itemIndex === index);
      lines.push('', `  ${ct('case.itemHeading', { number: index + 1, title: item.pageTitle ?? item.url })}`, ...textRows(itemRows(item)).map((line) => `  ${line}`));
      if (item.text) lines.push(`    ${ct('case.text')}:`, quoted(item.text));
      lines.push(`    ${ct(itemVerdict?.ok ? 'case.verified' : 'case.notVerified')}`);
      for (const check of itemVerdict?.checks ?? []) lines.push(`      ${check.ok ? ct('case.ok') : ct('case.failed')}: ${check.what}`);
    }
  }
  lines.push('', ct('case.auditHeading'));
  for (const entry of data.audit) {
    lines.push(`  ${entry.at}  ${entry.reference ?? ''}  ${entry.actor ?? ct('case.auditNoActor')}  ${entry.action}  ${auditChange(entry)}`);
  }
  return `${lines.join('\n')}\n`;
}
