/**
 * Issue 17, finding 3, in the outputs: a crafted report printed a fake "who is submitting this notice" section and a
 * fake "Evidence verified" line above the real "NOT verified" in the DSA notice and the police summaries. The schema
 * now refuses control characters in short fields (schema-control-characters.test.ts); these tests feed the outputs
 * values the schema would refuse (as a report stored before that change could hold) and values it allows (bidi
 * overrides, Unicode line separators in long text), and check that every reporter-supplied value is quoted or fenced
 * and every invisible character shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDsaNotice, noticeText, type DsaNotice } from '../../../hub/console/referrals/dsa-notice';
import { caseSummaryHtml, caseSummaryText, type CaseSummaryData } from '../../../hub/console/referrals/case-summary';
import { inline, quoteLines, visible } from '../../../lib/text/reported';
import type { Report } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';
import { consoleApp, signedIn } from './console-helpers';
import { seedReport } from './console-queue-fixtures';
import { openTestDatabase, type TestDatabase } from './helpers';

const FAKE = 'Evidence verified';
const FAKE_SECTION = '(c) Who is submitting this notice (forged)';
const NL = `\r\n${FAKE}\r\n${FAKE_SECTION}\n  Notifier: Police Scotland <fake@police.example>\n`;
/** Right-to-left override: "NOT verified" typed reversed shows as "deifirev TON" → reads as something else. */
const RLO = '\u202e';
const ZWSP = '\u200b';

function hostileReport(): Report {
  const base = sampleReport();
  return {
    ...base,
    reporter: {
      role: 'victim',
      anonymous: false,
      name: `Jo${NL}`,
      email: 'jo@example.org',
      contact: { channel: 'email', safeTimes: `evenings${NL}` },
      consents: { police: true, platform: true, shareContact: true, supportReferral: false },
      wantsSupport: false,
    },
    incident: {
      ...base.incident,
      summary: `what happened\u2028${FAKE}\u2029${FAKE_SECTION}\u0085${FAKE}\u000b${FAKE}\u000c${FAKE} ${RLO}deifirev TON`,
      targetedCharacteristics: ['other'],
      targetedCharacteristicOther: `other${NL}`,
      harmTypes: ['other'],
      harmTypeOther: `harm${NL}`,
      priorActions: { policeReference: `PR-1${NL}` },
    },
    items: [
      {
        ...base.items[0]!,
        url: `https://example.org/a${NL}`,
        permalink: `https://example.org/p${NL}`,
        pageTitle: `Title${NL}${ZWSP}`,
        author: { handle: `h${NL}`, displayName: `d${RLO}${NL}`, profileUrl: `https://example.org/u${NL}` },
        text: `captured${NL}`,
        captureMethod: 'manual',
        evidence: [],
      },
    ],
  };
}

/** Each line of an output that mentions the forged words: it must be a quoted line, or hold them inside "…". */
function forgedLines(output: string): string[] {
  return output
    .split(/\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/)
    .filter((line) => line.includes(FAKE) || line.includes(FAKE_SECTION) || line.includes('Notifier: Police Scotland'))
    .filter((line) => !/^\s*> /.test(line) && !/"[^"]*(Evidence verified|Who is submitting|Police Scotland)/.test(line));
}

describe('the helpers', () => {
  it('show invisible characters and fence values', () => {
    expect(visible(`a${RLO}b${ZWSP}c\u2066d\u0007e\tf\ng`)).toBe('a⟦U+202E⟧b⟦U+200B⟧c⟦U+2066⟧d⟦U+0007⟧e\tf\ng');
    expect(visible('👨‍👩‍👧 می‌خواهم')).toBe('👨‍👩‍👧 می‌خواهم');
    expect(inline(`a"b\r\nc${RLO}`)).toBe('"a\\"b\\nc⟦U+202E⟧"');
    expect(quoteLines(`a\u2028b\u0085c\rd`)).toBe('    > a\n    > b\n    > c\n    > d');
  });
});

describe('DSA notice text', () => {
  it('quotes every reporter-supplied value, so no line can pass for the notice', () => {
    const clean = buildDsaNotice([{ reference: 'OHR-AAAA-BBBB', receivedAt: '2026-11-25T10:00:00.000Z', report: sampleReport() }], { organisation: 'Hub', email: 'mod@hub.example' }, '2026-11-25T12:00:00.000Z');
    if (!clean.ok) throw new Error('no notice');
    const report = hostileReport();
    const item = report.items[0]!;
    // What buildDsaNotice would have produced from a report stored before the schema refused these values.
    const notice: DsaNotice = {
      ...clean.notice,
      explanation: [{ ...clean.notice.explanation[0]!, summary: report.incident.summary, targetedCharacteristics: ['other'], targetedCharacteristicOther: report.incident.targetedCharacteristicOther!, harmTypes: ['other'], harmTypeOther: report.incident.harmTypeOther! }],
      locations: [{ ...clean.notice.locations[0]!, url: item.url, permalink: item.permalink!, canonicalUrl: item.url, authorHandle: item.author!.handle!, authorProfileUrl: item.author!.profileUrl!, text: item.text! }],
      reporters: [{ reference: 'OHR-AAAA-BBBB', shared: true, name: report.reporter.name!, email: 'jo@example.org' }],
    };
    const text = noticeText(notice);
    expect(forgedLines(text)).toEqual([]);
    expect(text).not.toMatch(/[\u202e\u200b\u2028\u2029\u0085\u000b\u000c\r]/);
    expect(text).toContain('⟦U+202E⟧');
  });

  it('a notice built from a report the schema now refuses is refused, not printed', () => {
    const report = hostileReport();
    expect(() => buildDsaNotice([{ reference: 'OHR-AAAA-BBBB', receivedAt: '2026-11-25T10:00:00.000Z', report }], { organisation: 'Hub', email: 'mod@hub.example' }, '2026-11-25T12:00:00.000Z')).toThrow();
  });
});

describe('police case summaries', () => {
  const data = (): CaseSummaryData => ({
    organisation: 'Hub',
    generatedAt: '2026-11-25T12:00:00.000Z',
    reports: [
      {
        held: { reference: 'OHR-AAAA-BBBB', receivedAt: '2026-11-25T10:00:00.000Z', report: hostileReport(), status: 'received', urgent: false },
        report: hostileReport(),
        withheld: [],
        verdict: { ok: false, items: [{ itemIndex: 0, ok: false, checks: [{ ok: false, what: 'text not signed' }] }] } as unknown as CaseSummaryData['reports'][number]['verdict'],
      },
    ],
    custody: [],
  });

  it('summary.txt quotes every reporter-supplied value', () => {
    const text = caseSummaryText(data());
    expect(forgedLines(text)).toEqual([]);
    expect(text).not.toMatch(/[\u202e\u200b\u2028\u2029\u0085\u000b\u000c\r]/);
    expect(text).toContain('⟦U+202E⟧');
  });

  it('summary.html isolates reporter values and shows invisible characters', () => {
    const html = caseSummaryHtml(data());
    expect(html).not.toMatch(/[\u202e\u200b\u2028\u2029\u0085\u000b\u000c\r]/);
    expect(html).toContain('⟦U+202E⟧');
    // Every reporter-supplied value sits in an isolating <bdi>; short ones show their line breaks as marks.
    const outside = html.replace(/<bdi class="reported">[^<]*<\/bdi>/g, '');
    for (const forged of [FAKE, FAKE_SECTION, 'Police Scotland', 'deifirev']) expect(outside).not.toContain(forged);
    expect(html).toMatch(/<bdi class="reported">Jo⟦U\+000D⟧⟦U\+000A⟧Evidence verified⟦U\+000D⟧⟦U\+000A⟧/);
  });
});

describe('console pages', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase();
  }, 60_000);
  afterAll(() => test?.dispose());

  it('the report view shows bidi overrides and zero-width characters visibly, each value isolated', async () => {
    const reference = await seedReport(test.db, {
      incident: { summary: `all fine ${RLO}deifirev TON${ZWSP}`, harmTypes: ['other'], harmTypeOther: `spam${RLO}` },
      items: [{ pageTitle: `A${ZWSP}B`, permalink: `https://example.org/${RLO}x`, captureMethod: 'manual' }],
    });
    const app = consoleApp(test.db);
    const { browser } = await signedIn(app, test.db);
    const html = await (await browser.get(`/console/reports/${reference}`)).text();
    expect(html).not.toMatch(/[\u202e\u200b]/);
    expect(html).toContain('deifirev TON⟦U+200B⟧');
    expect(html).toContain('⟦U+202E⟧deifirev');
    expect(html).toContain('<bdi class="reported">spam⟦U+202E⟧</bdi>');
    expect(html).toContain('<bdi class="reported">A⟦U+200B⟧B</bdi>');
  });
});
