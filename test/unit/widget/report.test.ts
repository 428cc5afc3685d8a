/**
 * The widget's report and its quick checks against the one model: what `buildReport` makes passes the zod `Report`
 * schema the hub runs, and each quick check says exactly what the schema says about the same answer.
 */
import { describe, expect, it } from 'vitest';
import { Report } from '../../../lib/schema';
import { write, type Answers } from '../../../widget/answers';
import { checkStep, type ItemAnswer } from '../../../widget/checks';
import { buildReport, type WidgetItem } from '../../../widget/report';

const ID = '8a4f0f3e-5c1d-4c8e-9a7b-1f2e3d4c5b6a';
const png = (sha256: string): WidgetItem['uploads'][number] => ({ name: 'a.png', sha256, mediaType: 'image/png', blob: new Blob([new Uint8Array(10)]) });

/** The schema's message for `path` when the widget's answers become a report. */
function schemaSays(answers: Answers, items: WidgetItem[], path: string): string | undefined {
  const parsed = Report.safeParse(buildReport(ID, answers, items));
  return parsed.error?.issues.find((issue) => issue.path.join('.') === path)?.message;
}

const item = (url: string): WidgetItem => ({ url, uploads: [] });
const summary = write({}, 'incident.summary', 'Abuse');

describe('buildReport', () => {
  it('makes a valid report of pasted addresses and uploads, with the safe defaults of the extension', () => {
    const answers = write(write(summary, 'incident.targetedCharacteristics', ['religion']), 'urgency.immediateDanger', true);
    const report = buildReport(ID, answers, [{ url: ' https://www.instagram.com/p/1 ', uploads: [png('a'.repeat(64)), png('b'.repeat(64))] }, item('')]);
    expect(Report.safeParse(report).success).toBe(true);
    expect(report.reporter).toMatchObject({ anonymous: true, role: 'witness', contact: { channel: 'none' } });
    expect(report.urgency.immediateDanger).toBe(true);
    expect(report.items).toEqual([
      expect.objectContaining({
        url: 'https://www.instagram.com/p/1',
        platform: 'instagram',
        captureMethod: 'widget_upload',
        evidence: [
          { sha256: 'a'.repeat(64), mediaType: 'image/png', bytes: 10, kind: 'upload' },
          { sha256: 'b'.repeat(64), mediaType: 'image/png', bytes: 10, kind: 'upload' },
        ],
      }),
    ]);
  });

  it('asks for email updates only for a reachable person with an address who ticked them, as the extension does', () => {
    const ticked = write(write(write(summary, 'reporter.anonymous', false), 'reporter.email', 'sam@example.org'), 'reporter.consents.emailUpdates', true);
    const report = buildReport(ID, ticked, [item('https://x.com/a/status/1')]);
    expect(Report.safeParse(report).success).toBe(true);
    expect(report.reporter.consents.emailUpdates).toBe(true);
    expect(buildReport(ID, write(ticked, 'reporter.consents.emailUpdates', false), []).reporter.consents).not.toHaveProperty('emailUpdates');
    expect(buildReport(ID, write(ticked, 'reporter.email', ' '), []).reporter.consents).not.toHaveProperty('emailUpdates');
    expect(buildReport(ID, write(ticked, 'reporter.anonymous', true), []).reporter.consents).not.toHaveProperty('emailUpdates');
  });
});

describe('quick checks say what the schema says', () => {
  const cases: Array<[string, string, Answers, ItemAnswer[] & WidgetItem[]]> = [
    ['what', 'incident.summary', write({}, 'incident.summary', '   '), [item('https://example.org/')]],
    ['contact', 'reporter.email', write(write(summary, 'reporter.anonymous', false), 'reporter.email', 'not-an-address'), [item('https://example.org/')]],
    ['contact', 'reporter.phone', write(write(summary, 'reporter.anonymous', false), 'reporter.phone', 'call me'), [item('https://example.org/')]],
    ['contact', 'reporter.email', write(write(summary, 'reporter.anonymous', false), 'reporter.contact.channel', 'email'), [item('https://example.org/')]],
    ['items', 'items', summary, [item('')]],
  ];
  it.each(cases)('%s: %s', (step, path, answers, items) => {
    const message = checkStep(step, answers, items)[path];
    expect(message).toBeDefined();
    expect(message).toBe(schemaSays(answers, items, path));
  });

  it('an address the schema refuses is refused with its words', () => {
    const errors = checkStep('items', summary, [item('ftp://example.org/file')]);
    expect(errors['items.0.url']).toBe('Use a full web address starting with http:// or https://');
    expect(Report.safeParse({ ...buildReport(ID, summary, [item('https://example.org/')]), items: [{ ...buildReport(ID, summary, [item('https://example.org/')]).items[0]!, url: 'ftp://example.org/file' }] }).error?.issues[0]?.message).toBe(errors['items.0.url']);
  });

  it('passes answers the schema accepts', () => {
    const answers = write(write(write(summary, 'reporter.anonymous', false), 'reporter.email', 'name@example.org'), 'reporter.contact.channel', 'email');
    const items = [item('https://example.org/post')];
    for (const step of ['what', 'contact', 'items']) expect(checkStep(step, answers, items)).toEqual({});
    expect(Report.safeParse(buildReport(ID, answers, items)).success).toBe(true);
  });
});
