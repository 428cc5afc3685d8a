/**
 * Issue 17, finding 3, at the schema (the one place every product shares): short fields and addresses refuse
 * control characters, so a report cannot carry a line break into a one-line field of a notice or a summary. URLs are
 * checked as sent: the URL parser would silently strip a raw CR/LF/TAB and let it through.
 */
import { describe, expect, it } from 'vitest';
import { Report } from '../../lib/schema';
import { sampleReport } from '../fixtures/report';

const FORGED = 'x\r\nEvidence verified: all files match';
/** C0 (TAB, LF, CR, NUL, ESC …), DEL and C1 (NEL, CSI …), and the Unicode line and paragraph separators. */
const CONTROLS = ['\t', '\n', '\r', '\u0000', '\u001b', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029'];

type Change = (report: Report, value: string) => Report;
const item = (report: Report, change: Partial<Report['items'][number]>): Report => ({ ...report, items: [{ ...report.items[0]!, ...change }] });
const named = (report: Report, value: string): Report => ({
  ...report,
  reporter: { role: 'victim', anonymous: false, name: value, contact: { channel: 'none' }, consents: report.reporter.consents, wantsSupport: false },
});

const SHORT_FIELDS: Record<string, Change> = {
  'reporter.name': named,
  'reporter.contact.safeTimes': (r, v) => ({ ...r, reporter: { ...r.reporter, contact: { ...r.reporter.contact, safeTimes: v } } }),
  'incident.targetedCharacteristicOther': (r, v) => ({ ...r, incident: { ...r.incident, targetedCharacteristicOther: v } }),
  'incident.harmTypeOther': (r, v) => ({ ...r, incident: { ...r.incident, harmTypeOther: v } }),
  'incident.priorActions.policeReference': (r, v) => ({ ...r, incident: { ...r.incident, priorActions: { policeReference: v } } }),
  'incident.priorActions.reportedToPlatform.reference': (r, v) => ({ ...r, incident: { ...r.incident, priorActions: { reportedToPlatform: { reference: v } } } }),
  'items.0.pageTitle': (r, v) => item(r, { pageTitle: v }),
  'items.0.author.handle': (r, v) => item(r, { author: { handle: v } }),
  'items.0.author.displayName': (r, v) => item(r, { author: { displayName: v } }),
  'items.0.author.platformId': (r, v) => item(r, { author: { platformId: v } }),
  'client.app': (r, v) => ({ ...r, client: { ...r.client, app: v } }),
};

const URL_FIELDS: Record<string, Change> = {
  'items.0.url': (r, v) => item(r, { url: v }),
  'items.0.permalink': (r, v) => item(r, { permalink: v }),
  'items.0.canonicalUrl': (r, v) => item(r, { canonicalUrl: v }),
  'items.0.author.profileUrl': (r, v) => item(r, { author: { profileUrl: v } }),
  'items.0.context.parent.permalink': (r, v) => item(r, { context: { parent: { permalink: v } } }),
};

const pathOf = (result: ReturnType<typeof Report.safeParse>) => (result.success ? undefined : result.error.issues.map((issue) => issue.path.join('.')));

describe('control characters at the schema', () => {
  it('accepts the same fields without them (the sample is valid in each)', () => {
    for (const change of Object.values(SHORT_FIELDS)) expect(pathOf(Report.safeParse(change(sampleReport(), 'Jo Bloggs ünïcödé 名前')))).toBeUndefined();
    for (const change of Object.values(URL_FIELDS)) expect(pathOf(Report.safeParse(change(sampleReport(), 'https://example.org/a?b=c#d')))).toBeUndefined();
  });

  it.each(Object.entries(SHORT_FIELDS))('refuses a forged line, and every control character, in %s', (path, change) => {
    expect(pathOf(Report.safeParse(change(sampleReport(), FORGED)))).toContain(path);
    for (const control of CONTROLS) expect(pathOf(Report.safeParse(change(sampleReport(), `a${control}b`))), JSON.stringify(control)).toContain(path);
  });

  it.each(Object.entries(URL_FIELDS))('refuses raw control characters in %s, which the URL parser would strip', (path, change) => {
    expect(new URL('https://example.org/a\r\nEvidence-verified').href).not.toContain('\n');
    expect(pathOf(Report.safeParse(change(sampleReport(), 'https://example.org/a\r\nEvidence verified')))).toContain(path);
    for (const control of ['\t', '\n', '\r', '\u0000', '\u007f', '\u0085']) {
      expect(pathOf(Report.safeParse(change(sampleReport(), `https://example.org/a${control}b`))), JSON.stringify(control)).toContain(path);
    }
  });

  it('keeps line breaks and tabs in long free text (what happened, captured words)', () => {
    const report = sampleReport();
    const long = 'first line\nsecond line\r\n\tindented';
    const withLines: Report = { ...report, incident: { ...report.incident, summary: long, impact: long }, items: [{ ...report.items[0]!, text: long }] };
    expect(pathOf(Report.safeParse(withLines))).toBeUndefined();
  });
});
