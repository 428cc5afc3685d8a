import { describe, expect, it } from 'vitest';
import { Report, evidenceHashes, fieldErrors, isUrgent } from '../../lib/schema';
import { sampleReport } from '../fixtures/report';

describe('Report schema', () => {
  it('accepts a complete anonymous report', () => {
    expect(Report.safeParse(sampleReport()).success).toBe(true);
  });

  it('refuses contact details on an anonymous report, naming the field', () => {
    const report = sampleReport();
    const result = Report.safeParse({ ...report, reporter: { ...report.reporter, email: 'a@example.org' } });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!)).toContainEqual({
      path: 'reporter.email',
      message: 'An anonymous report cannot include contact details',
    });
  });

  it('requires the address for the chosen contact channel', () => {
    const report = sampleReport();
    const result = Report.safeParse({
      ...report,
      reporter: { ...report.reporter, anonymous: false, contact: { channel: 'email' } },
    });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!).map((field) => field.path)).toEqual(['reporter.email']);
  });

  it('caps free text and rejects unknown keys and enum values', () => {
    const report = sampleReport();
    const tooLong = { ...report, incident: { ...report.incident, summary: 'x'.repeat(5_001) } };
    expect(Report.safeParse(tooLong).success).toBe(false);
    expect(Report.safeParse({ ...report, extra: 1 }).success).toBe(false);
    const badPlatform = { ...report, items: [{ ...report.items[0]!, platform: 'myspace' }] };
    expect(fieldErrors(Report.safeParse(badPlatform).error!)[0]!.path).toBe('items.0.platform');
  });

  it('accepts only UTC times and web URLs', () => {
    const report = sampleReport();
    const item = report.items[0]!;
    expect(Report.safeParse({ ...report, createdAt: '2026-11-25T10:00:00+01:00' }).success).toBe(false);
    expect(Report.safeParse({ ...report, items: [{ ...item, url: 'javascript:alert(1)' }] }).success).toBe(false);
  });

  it('rejects repeated choices', () => {
    const report = sampleReport();
    const repeated = { ...report, incident: { ...report.incident, harmTypes: ['threat', 'threat'] } };
    expect(Report.safeParse(repeated).success).toBe(false);
  });

  it('derives urgency from any yes on the screen', () => {
    expect(isUrgent({ immediateDanger: false, perpetratorIdentityKnown: false, relatesToFutureEvent: false })).toBe(false);
    expect(isUrgent({ immediateDanger: false, perpetratorIdentityKnown: false, relatesToFutureEvent: true })).toBe(true);
  });

  it('lists each evidence hash once', () => {
    const report = sampleReport();
    const item = report.items[0]!;
    expect(evidenceHashes({ items: [item, item] })).toEqual(['a'.repeat(64)]);
  });
});
