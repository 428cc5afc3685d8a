/**
 * The pack's printable summary. Text only: every value from the report is HTML-escaped, there is no script, and
 * a Content-Security-Policy forbids loading anything, so captured content can never run or call home when opened.
 * Captured pictures are listed by hash, not embedded: the officer chooses whether to open them. What the person
 * typed or captured is isolated and its invisible characters shown (`lib/text/reported.ts`), so a right-to-left
 * override cannot make it read as something else.
 */
import { t } from '../i18n';
import { isUrgent, type Report } from '../schema';
import { oneLine, visible } from '../text/reported';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Every value is isolated (`<bdi>`) with its invisible characters shown (bidi overrides, zero-width, controls). */
const row = (label: string, value: string | undefined) =>
  value === undefined || value === '' ? '' : `<tr><th scope="row">${escapeHtml(label)}</th><td><bdi>${escapeHtml(visible(value))}</bdi></td></tr>`;

function reporterRows(report: Report): string {
  const reporter = report.reporter;
  return [
    row('role', reporter.role),
    row('anonymous', String(reporter.anonymous)),
    row('name', reporter.name),
    row('email', reporter.email),
    row('phone', reporter.phone),
    row('contact', reporter.contact.channel),
    row('consents', Object.entries(reporter.consents).filter(([, given]) => given).map(([what]) => what).join(', ') || 'none'),
  ].join('');
}

function incidentRows(report: Report): string {
  const incident = report.incident;
  const prior = incident.priorActions;
  return [
    row('summary', incident.summary),
    row('targeted characteristics', [...incident.targetedCharacteristics, incident.targetedCharacteristicOther].filter(Boolean).join(', ')),
    row('harm types', [...incident.harmTypes, incident.harmTypeOther].filter(Boolean).join(', ')),
    row('first seen', incident.firstSeenAt),
    row('ongoing', String(incident.ongoing)),
    row('impact', incident.impact),
    row('reported to platform', prior?.reportedToPlatform && [prior.reportedToPlatform.at, prior.reportedToPlatform.reference, prior.reportedToPlatform.response].filter(Boolean).join(' — ')),
    row('police reference', prior?.policeReference),
    row('grounds (DSA)', report.grounds && `${report.grounds.explanation} (good faith accepted ${report.grounds.goodFaith.at})`),
  ].join('');
}

function itemSection(report: Report, item: Report['items'][number], index: number): string {
  const signed = report.captureManifests?.some((manifest) => manifest.itemIndex === index && manifest.signature);
  const evidence = item.evidence.map((entry) => `<li><code>${escapeHtml(entry.sha256)}</code> ${escapeHtml(entry.kind)}, ${escapeHtml(entry.mediaType)}, ${entry.bytes} bytes</li>`);
  return `<section><h3>${index + 1}. <bdi>${escapeHtml(oneLine(item.pageTitle ?? item.url))}</bdi></h3><table>${[
    row('address', item.url),
    row('platform', item.platform),
    row('kind', item.kind),
    row('author', [item.author?.displayName, item.author?.handle && `@${item.author.handle}`, item.author?.profileUrl].filter(Boolean).join(' ')),
    row('posted', item.postedAt),
    row('captured', `${item.capturedAt} (${item.captureMethod})`),
    row('title', item.title),
    row('text', item.text),
  ].join('')}</table><h4>${escapeHtml(t('summary.evidence'))}</h4><ul>${evidence.join('')}</ul><p>${escapeHtml(t(signed ? 'summary.signed' : 'summary.unsigned'))}</p></section>`;
}

export function summaryHtml(report: Report, generatedAt: string): string {
  const urgency = Object.entries(report.urgency).filter(([, yes]) => yes).map(([what]) => what);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(t('summary.heading'))}</title>
<style>body{font-family:sans-serif;max-width:50rem;margin:1rem auto;line-height:1.4}th{text-align:start;vertical-align:top;padding-inline-end:1rem}td{white-space:pre-wrap;overflow-wrap:anywhere}code{overflow-wrap:anywhere}</style>
</head><body>
<h1>${escapeHtml(t('summary.heading'))}</h1>
<p>${escapeHtml(t('summary.generated', { app: report.client.app, version: report.client.version, date: generatedAt }))}</p>
<table>${row(t('summary.reference'), report.id)}${row('created', report.createdAt)}</table>
<h2>${escapeHtml(t('summary.urgency'))}</h2><p>${escapeHtml(isUrgent(report.urgency) ? `URGENT: ${urgency.join(', ')}` : 'not urgent')}</p>
<h2>${escapeHtml(t('summary.reporter'))}</h2><table>${reporterRows(report)}</table>
<h2>${escapeHtml(t('summary.incident'))}</h2><table>${incidentRows(report)}</table>
<h2>${escapeHtml(t('summary.items'))}</h2>
${report.items.map((item, index) => itemSection(report, item, index)).join('\n')}
</body></html>
`;
}
