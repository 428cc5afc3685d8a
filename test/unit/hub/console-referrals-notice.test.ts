/**
 * The DSA Article 16 notice: what it says for each kind of reporter, every address of a cluster, the transparency
 * database fields, and captured text surviving as text (the Big List of Naughty Strings) in both the JSON and the
 * plain text.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../lib/schema';
import { buildDsaNotice, DsaNotice, noticeText, quoted, type ReferralSource } from '../../../hub/console/referrals/dsa-notice';
import { visible } from '../../../lib/text/reported';
import { blns } from '../../fixtures/naughty';
import { sampleReport } from '../../fixtures/report';

const NAUGHTY = blns();

const NOTIFIER = { organisation: 'Tell Us Hate Hub', email: 'moderator@hub.example' };
const AT = '2026-11-25T12:00:00.000Z';

function named(overrides: Partial<Report['reporter']> = {}): Report {
  const base = sampleReport();
  return {
    ...base,
    reporter: {
      ...base.reporter,
      anonymous: false,
      name: 'Amira Example',
      email: 'amira@example.org',
      phone: '+44 7700 900123',
      contact: { channel: 'email' },
      consents: { police: true, platform: true, shareContact: true, supportReferral: false },
      ...overrides,
    },
    grounds: { explanation: 'Incitement to religious hatred under the Public Order Act 1986.', goodFaith: { accepted: true, at: '2026-11-25T10:00:00.000Z' } },
  };
}

const source = (report: Report, reference = 'OHR-AAAA-0001'): ReferralSource => ({ reference, receivedAt: '2026-11-25T10:01:00.000Z', report });

function notice(sources: ReferralSource[]): DsaNotice {
  const result = buildDsaNotice(sources, NOTIFIER, AT);
  if (!result.ok) throw new Error('expected a notice');
  return result.notice;
}

describe('DSA Article 16 notice', () => {
  it('gives the reporter’s name and email when they agreed to the platform being told and to sharing contact', () => {
    const built = notice([source(named())]);
    expect(DsaNotice.parse(built)).toEqual(built);
    expect(built.reporters).toEqual([{ reference: 'OHR-AAAA-0001', shared: true, name: 'Amira Example', email: 'amira@example.org' }]);
    const text = noticeText(built);
    expect(text).toContain('"Amira Example", "amira@example.org"');
    // Only name and email: Art. 16(2)(c) asks for no more.
    expect(text).not.toContain('7700');
    expect(JSON.stringify(built)).not.toContain('7700');
  });

  it('withholds the reporter’s details without consent to share contact, but still names the notifier', () => {
    const built = notice([source(named({ consents: { police: true, platform: true, shareContact: false, supportReferral: false } }))]);
    expect(built.reporters).toEqual([{ reference: 'OHR-AAAA-0001', shared: false, reason: 'no_consent' }]);
    const all = JSON.stringify(built) + noticeText(built);
    expect(all).not.toContain('amira@example.org');
    expect(all).not.toContain('Amira Example');
    expect(noticeText(built)).toContain('Tell Us Hate Hub, contact moderator@hub.example');
    expect(noticeText(built)).toContain('did not agree to share their contact details');
  });

  it('says an anonymous report is anonymous and gives only the notifier', () => {
    const built = notice([source(sampleReport())]);
    expect(built.reporters).toEqual([{ reference: 'OHR-AAAA-0001', shared: false, reason: 'anonymous' }]);
    expect(built.notifier).toEqual(NOTIFIER);
    expect(noticeText(built)).toContain('made anonymously');
    // No grounds were given, so there is no reporter statement, but the notifier's always stands.
    expect(built.goodFaith.reporterStatements).toEqual([]);
    expect(built.goodFaith.statement).toContain('bona fide belief');
  });

  it('leaves out a report whose reporter did not agree to the platform being told, and makes none from it alone', () => {
    const refused = sampleReport();
    refused.reporter.consents = { ...refused.reporter.consents, platform: false };
    expect(buildDsaNotice([source(refused)], NOTIFIER, AT)).toEqual({ ok: false, withoutConsent: ['OHR-AAAA-0001'] });
    const result = buildDsaNotice([source(refused), source(named(), 'OHR-AAAA-0002')], NOTIFIER, AT);
    expect(result.ok && result.notice.references).toEqual(['OHR-AAAA-0002']);
    expect(result.withoutConsent).toEqual(['OHR-AAAA-0001']);
  });

  it('lists every address of a cluster, permalinks first, with the reasons of each report and the transparency fields', () => {
    const first = named();
    const second = sampleReport();
    second.incident = { ...second.incident, harmTypes: ['threat', 'hate_speech'], targetedCharacteristics: ['race'] };
    second.items = [
      { ...second.items[0]!, url: 'https://x.com/home', permalink: 'https://x.com/someone/status/1', platform: 'x', kind: 'post', author: { handle: 'someone' } },
      { ...second.items[0]!, url: 'https://x.com/someone/status/2', platform: 'x', kind: 'reply' },
    ];
    const built = notice([source(first, 'OHR-AAAA-0001'), source(second, 'OHR-AAAA-0002')]);
    expect(built.references).toEqual(['OHR-AAAA-0001', 'OHR-AAAA-0002']);
    expect(built.locations.map((location) => [location.reference, location.permalink ?? location.url])).toEqual([
      ['OHR-AAAA-0001', 'https://example.org/posts/1'],
      ['OHR-AAAA-0002', 'https://x.com/someone/status/1'],
      ['OHR-AAAA-0002', 'https://x.com/someone/status/2'],
    ]);
    const text = noticeText(built);
    expect(text).toContain('1. <https://example.org/posts/1>');
    expect(text).toContain('2. <https://x.com/someone/status/1>\n  Address where it was seen: <https://x.com/home>');
    expect(text).toContain('3. <https://x.com/someone/status/2>');
    expect(text).toContain('    > Incitement to religious hatred under the Public Order Act 1986.');
    expect(built.explanation.map((reason) => reason.harmTypes)).toEqual([['hate_speech', 'incitement'], ['threat', 'hate_speech']]);
    expect(built.transparencyDatabase).toEqual({
      category: 'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH',
      categorySpecification: ['KEYWORD_HATE_SPEECH', 'KEYWORD_DISCRIMINATION', 'KEYWORD_CYBER_INCITEMENT', 'KEYWORD_VIOLATION_NATIONAL_LAW', 'KEYWORD_OTHER'],
      categorySpecificationOther: 'threat',
    });
    expect(built.goodFaith.reporterStatements).toEqual([{ reference: 'OHR-AAAA-0001', at: '2026-11-25T10:00:00.000Z' }]);
  });

  it('keeps every naughty string as text in the JSON and, quoted, in the plain text', () => {
    for (const naughty of NAUGHTY.filter((value) => value.trim() !== '')) {
      const report = named({ name: naughty.slice(0, 200) });
      report.incident = { ...report.incident, summary: naughty };
      report.items = [{ ...report.items[0]!, text: naughty, author: { handle: naughty.slice(0, 200) } }];
      report.grounds = { explanation: naughty, goodFaith: { accepted: true, at: AT } };
      const built = notice([source(report)]);
      const json = JSON.parse(JSON.stringify(built)) as unknown;
      expect(DsaNotice.parse(json)).toEqual(built);
      expect(built.explanation[0]?.summary).toBe(naughty);
      expect(built.locations[0]?.text).toBe(naughty);
      const text = noticeText(built);
      expect(text).toContain(quoted(naughty));
      // Nothing the reporter typed can start a line of its own and pass for part of the notice: split at every line
      // terminator a viewer honours, each line is quoted, and no other terminator is left in the text.
      const lines = text.split('\n');
      for (const line of quoted(naughty).split('\n')) expect(lines).toContain(line);
      expect(text).not.toMatch(/[\r\u000b\u000c\u0085\u2028\u2029]/);
      // Short values (the name, the handle) are one quoted token each.
      expect(text).toContain(JSON.stringify(visible(naughty.slice(0, 200).replace(/\r\n|[\n\r]/g, '\n'))));
    }
  });

  it('refuses to produce a notice its own schema would refuse', () => {
    expect(() => buildDsaNotice([source(sampleReport())], { organisation: 'Hub', email: 'not an email' }, AT)).toThrow();
  });
});
