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
import { inline, oneLine, visible } from '../../../lib/text/reported';
import { address, quoted } from './dsa-notice';
import { characteristicLabel, harmLabel, outcomeLabel, platformLabel } from '../shared/labels';
import { Reported } from '../shared/reported';
import type { CustodyEntry } from './case-file';
import type { AuditEntry, HeldReport } from './sources';

export interface CaseReport {
  held: HeldReport;
  /** The report as filed in the case file: contact details withheld unless the reporter agreed. */
  report: Report;
  withheld: string[];
  verdict: ReportVerdict;
  /** The reporter's sealed contact details are added, opened in a moderator's browser, as contact.json. */
  sealedAdded?: boolean;
}

export interface CaseSummaryData {
  organisation: string;
  generatedAt: string;
  reports: CaseReport[];
  /** The chain of custody (`custodyOf` in case-file.ts): no note bodies, no public-note words, no contact details. */
  custody: CustodyEntry[];
}

/**
 * A label and its value. Values a reporter typed or a capture took are `Typed` (one or more pieces): the text
 * summary fences each piece (`inline`, `address`) and the HTML isolates it (`<Reported>`), so none can pass for the
 * summary's own words. Plain strings are the tool's (labels, closed-list words, checked dates).
 */
interface Typed {
  /** `url`: an address (fenced as `<…>`); `ours`: the tool's own word among the reporter's (a closed-list label). */
  typed: Array<{ text: string; url?: boolean; ours?: boolean }>;
}
type Value = string | Typed | undefined;
type Row = [label: string, value: Value];

/** The pieces a reporter supplied, empty ones left out; undefined when there are none. */
function typed(...pieces: Array<string | { url: string } | undefined>): Typed | undefined {
  const kept = pieces.flatMap((piece) => (piece === undefined || piece === '' ? [] : typeof piece === 'string' ? [{ text: piece }] : piece.url ? [{ text: piece.url, url: true }] : []));
  return kept.length > 0 ? { typed: kept } : undefined;
}

/** The tool's words followed by typed pieces, e.g. closed-list labels then the reporter's "other" text. */
function withTyped(words: string[], extra: Typed | undefined): Value {
  if (!extra) return words.join(', ') || undefined;
  return { typed: [...words.map((text) => ({ text, ours: true })), ...extra.typed] };
}

/** What the summary says of withheld fields: the reporter's refusal, or a sealed block no one opened for this file. */
function withheldWords(withheld: readonly string[], shared: boolean): string | undefined {
  if (withheld.length === 0) return undefined;
  return shared ? ct('case.sealedNotAdded', { fields: withheld.join(', ') }) : ct('case.withheldWhy', { fields: withheld.join(', ') });
}

function reportRows({ held, report, withheld, sealedAdded }: CaseReport): Row[] {
  const reporter = report.reporter;
  const incident = report.incident;
  return [
    [ct('case.received'), held.receivedAt],
    [ct('case.status'), `${t(`status.${held.status}`)}${held.outcome ? ` (${outcomeLabel(held.outcome)})` : ''}`],
    [ct('case.urgent'), held.urgent || isUrgent(report.urgency) ? ct('case.urgentYes', { reasons: Object.entries(report.urgency).filter(([, yes]) => yes).map(([what]) => what).join(', ') }) : ct('case.no')],
    [ct('case.reporter'), `${reporter.role}${reporter.anonymous ? `, ${ct('case.anonymous')}` : ''}`],
    [ct('case.name'), typed(reporter.name)],
    [ct('case.email'), typed(reporter.email)],
    [ct('case.phone'), typed(reporter.phone)],
    [ct('case.sealedContact'), sealedAdded ? ct('case.sealedAdded', { file: `reports/${held.reference}/contact.json` }) : undefined],
    [ct('case.withheld'), withheldWords(withheld, reporter.consents.police && reporter.consents.shareContact)],
    [ct('case.consents'), Object.entries(reporter.consents).filter(([, given]) => given).map(([what]) => what).join(', ') || ct('case.none')],
    [ct('case.characteristics'), withTyped(incident.targetedCharacteristics.map(characteristicLabel), typed(incident.targetedCharacteristicOther))],
    [ct('case.harms'), withTyped(incident.harmTypes.map(harmLabel), typed(incident.harmTypeOther))],
    [ct('case.firstSeen'), incident.firstSeenAt],
    [ct('case.policeReference'), typed(incident.priorActions?.policeReference)],
  ];
}

function itemRows(item: Report['items'][number]): Row[] {
  return [
    [ct('case.address'), typed({ url: item.url })],
    [ct('case.permalink'), item.permalink ? typed({ url: item.permalink }) : undefined],
    [ct('case.platform'), `${platformLabel(item.platform)}, ${item.kind}`],
    [ct('case.author'), typed(item.author?.displayName, item.author?.handle && `@${item.author.handle}`, item.author?.profileUrl ? { url: item.author.profileUrl } : undefined)],
    [ct('case.posted'), item.postedAt],
    [ct('case.captured'), `${item.capturedAt} (${item.captureMethod})`],
  ];
}

/** Long free text the reporter typed or the capture took: shown as a block, never as part of the labels. */
function longTexts(report: Report): Array<[string, string | undefined]> {
  return [
    [ct('case.summary'), report.incident.summary],
    [ct('case.impact'), report.incident.impact],
    [ct('case.grounds'), report.grounds?.explanation],
  ];
}

const present = <V,>(rows: Array<[string, V | undefined]>) => rows.filter((row): row is [string, V] => row[1] !== undefined && row[1] !== '');

/** Labels and an "other" text are a list (", "); a display name, handle and profile are one author (" "). */
const separator = (value: Typed) => (value.typed.some((piece) => piece.ours) ? ', ' : ' ');

/** Where a typed value goes in a sentence of the tool's (the sentence is translated, so its position varies). */
const SLOT = '\u0000';

/** The tool's sentence with the typed text in its slot, isolated and with its invisible characters shown. */
function WithTyped({ words, text }: { words: string; text: string }) {
  const [before = '', after = ''] = words.split(SLOT);
  return (
    <>
      {before}
      <Reported text={text} />
      {after}
    </>
  );
}

/** A value as HTML: the tool's words as they are, each typed piece isolated with its invisible characters shown. */
function ValueHtml({ value }: { value: string | Typed }) {
  if (typeof value === 'string') return <>{value}</>;
  return (
    <>
      {value.typed.map((piece, index) => (
        <>
          {index > 0 ? separator(value) : ''}
          {piece.ours ? piece.text : <Reported text={piece.text} />}
        </>
      ))}
    </>
  );
}

/** A value as plain text: the tool's words as they are, each typed piece fenced. */
function valueText(value: string | Typed): string {
  if (typeof value === 'string') return value;
  return value.typed.map((piece) => (piece.ours ? piece.text : piece.url ? address(piece.text) : inline(piece.text))).join(separator(value));
}

function Table({ rows }: { rows: Row[] }) {
  return (
    <table>
      <tbody>
        {present(rows).map(([label, value]) => (
          <tr>
            <th scope="row">{label}</th>
            <td>
              <ValueHtml value={value} />
            </td>
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
          <p class="text">
            <Reported text={value} lines />
          </p>
        </>
      ))}
      {report.items.map((item, index) => {
        const itemVerdict = verdict.items.find((candidate) => candidate.itemIndex === index);
        return (
          <section>
            <h3>
              <WithTyped words={ct('case.itemHeading', { number: index + 1, title: SLOT })} text={item.pageTitle ?? item.url} />
            </h3>
            <Table rows={itemRows(item)} />
            {item.text ? (
              <p class="text">
                <Reported text={item.text} lines />
              </p>
            ) : null}
            <p>{ct(itemVerdict?.ok ? 'case.verified' : 'case.notVerified')}</p>
            <ul>
              {(itemVerdict?.checks ?? []).map((check) => (
                <li>{`${check.ok ? ct('case.ok') : ct('case.failed')}: ${oneLine(check.what)}`}</li>
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

/** What a custody line says changed, in the tool's words only (every value in it is a checked code or hash). */
export function custodyChange(entry: CustodyEntry): string {
  if (entry.duplicateOf) return ct('case.custodyDuplicate', { reference: entry.duplicateOf });
  if (entry.statusBefore || entry.statusAfter) return `${entry.statusBefore ?? '?'} → ${entry.statusAfter ?? '?'}${entry.outcome ? ` (${entry.outcome})` : ''}`;
  if (entry.assigned !== undefined) return ct(entry.assigned ? 'case.custodyAssigned' : 'case.custodyUnassigned');
  if (entry.sha256) return ct('case.custodyProduced', { sha256: entry.sha256 });
  return '';
}

function CustodyTable({ custody }: { custody: CustodyEntry[] }) {
  return (
    <table class="trail">
      <thead>
        <tr>
          <th scope="col">{ct('case.auditAt')}</th>
          <th scope="col">{ct('case.auditReference')}</th>
          <th scope="col">{ct('case.auditActor')}</th>
          <th scope="col">{ct('case.auditAction')}</th>
          <th scope="col">{ct('case.custodyChange')}</th>
        </tr>
      </thead>
      <tbody>
        {custody.map((entry) => (
          <tr>
            <td>{entry.at}</td>
            <td>{entry.reference}</td>
            <td>{entry.actor ?? ct('case.auditNoActor')}</td>
            <td>{entry.action}</td>
            <td>{custodyChange(entry)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const STYLE =
  'body{font-family:sans-serif;max-width:55rem;margin:1rem auto;line-height:1.4}th{text-align:start;vertical-align:top;padding-inline-end:1rem}' +
  '.text,td{white-space:pre-wrap;overflow-wrap:anywhere}table{border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:.2rem}' +
  // What a reporter typed is fenced on the page as it is in summary.txt.
  'td bdi.reported::before{content:"\\201C"}td bdi.reported::after{content:"\\201D"}';

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
          <p>{ct('case.custodyWhat')}</p>
          <CustodyTable custody={data.custody} />
        </Section>
      </body>
    </html>
  );
  return `<!doctype html>\n${renderToStaticMarkup(page)}\n`;
}

const textRows = (rows: Row[]) => present(rows).map(([label, value]) => `  ${label}: ${valueText(value)}`);

export function caseSummaryText(data: CaseSummaryData): string {
  const lines = [ct('case.title'), ct('case.generated', { organisation: data.organisation, date: data.generatedAt }), ct('case.howToCheck')];
  for (const entry of data.reports) {
    lines.push('', ct('case.reportHeading', { reference: entry.held.reference }), ...textRows(reportRows(entry)));
    for (const [label, value] of present(longTexts(entry.report))) lines.push(`  ${label}:`, quoted(value));
    for (const [index, item] of entry.report.items.entries()) {
      const itemVerdict = entry.verdict.items.find((candidate) => candidate.itemIndex === index);
      lines.push('', `  ${ct('case.itemHeading', { number: index + 1, title: item.pageTitle ? inline(item.pageTitle) : address(item.url) })}`, ...textRows(itemRows(item)).map((line) => `  ${line}`));
      if (item.text) lines.push(`    ${ct('case.text')}:`, quoted(item.text));
      lines.push(`    ${ct(itemVerdict?.ok ? 'case.verified' : 'case.notVerified')}`);
      for (const check of itemVerdict?.checks ?? []) lines.push(`      ${check.ok ? ct('case.ok') : ct('case.failed')}: ${visible(check.what).replace(/\n/g, ' ')}`);
    }
  }
  lines.push('', ct('case.auditHeading'), ct('case.custodyWhat'));
  for (const entry of data.custody) {
    lines.push(`  ${entry.at}  ${entry.reference}  ${entry.actor ?? ct('case.auditNoActor')}  ${entry.action}  ${custodyChange(entry)}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
