import { describe, expect, it } from 'vitest';
import { withEmailUpdates } from '../../../lib/report/email-updates';
import { Report as ReportSchema } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';

const identified = sampleReport({
  reporter: {
    role: 'victim',
    anonymous: false,
    email: 'person@example.net',
    contact: { channel: 'email' },
    consents: { police: false, platform: false, shareContact: false, supportReferral: false },
    wantsSupport: false,
  },
});

describe('email updates (consents.emailUpdates)', () => {
  it('is set only when ticked, with an address, and not anonymous; the report stays valid', () => {
    const ticked = withEmailUpdates(identified, { consents: { emailUpdates: true } });
    expect(ticked.reporter.consents.emailUpdates).toBe(true);
    expect(ReportSchema.safeParse(ticked).success).toBe(true);
    expect(withEmailUpdates(identified, { consents: { emailUpdates: false } }).reporter.consents).not.toHaveProperty('emailUpdates');
    expect(withEmailUpdates(identified, undefined).reporter.consents).not.toHaveProperty('emailUpdates');
    const noAddress = { ...identified, reporter: { ...identified.reporter, email: undefined, contact: { channel: 'none' as const } } };
    expect(withEmailUpdates(noAddress, { consents: { emailUpdates: true } }).reporter.consents).not.toHaveProperty('emailUpdates');
    expect(withEmailUpdates(sampleReport(), { consents: { emailUpdates: true } }).reporter.consents).not.toHaveProperty('emailUpdates');
  });
});
