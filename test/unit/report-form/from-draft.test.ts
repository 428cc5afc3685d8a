import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DraftStore, type Draft } from '../../../extension/drafts';
import { reportFromAnswers } from '../../../lib/report/from-answers';
import { errorsFor, reportErrors } from '../../../lib/report/validate';
import { Report, isUrgent } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';

const client = { app: 'ohr-test', version: '0.1.0' };

function draft(overrides: Partial<Draft> = {}): Draft {
  const at = '2026-11-25T10:00:00.000Z';
  return { id: crypto.randomUUID(), createdAt: at, updatedAt: at, items: sampleReport().items, summary: 'Abuse', status: 'draft', ...overrides };
}

describe('reportFromAnswers, from an extension draft', () => {
  it('keeps the safe defaults for a draft without answers (drafts from before the form)', () => {
    const report = Report.parse(reportFromAnswers(draft(), client));
    expect(report.reporter).toEqual({
      role: 'witness',
      anonymous: true,
      contact: { channel: 'none' },
      consents: { police: false, platform: false, shareContact: false, supportReferral: false },
      wantsSupport: false,
    });
    expect(isUrgent(report.urgency)).toBe(false);
    expect(report.grounds).toBeUndefined();
  });

  it('uses every answer the form saved', () => {
    const report = Report.parse(
      reportFromAnswers(
        draft({
          details: {
            urgency: { relatesToFutureEvent: true },
            reporter: {
              role: 'victim',
              anonymous: false,
              name: ' Sam ',
              email: 'sam@example.org',
              contact: { channel: 'email', safeTimes: 'evenings' },
              consents: { police: true, shareContact: true },
              wantsSupport: true,
            },
            incident: {
              targetedCharacteristics: ['religion', 'other'],
              targetedCharacteristicOther: 'accent',
              harmTypes: ['threat'],
              harmTypeOther: 'dropped because other is not chosen',
              ongoing: true,
              impact: 'I am scared',
              reportedToPlatform: true,
              priorActions: { reportedToPlatform: { reference: 'X-1' }, policeReference: '  ' },
            },
            grounds: { explanation: 'It threatens violence', goodFaithAt: '2026-11-25T10:05:00.000Z' },
          },
        }),
        client,
      ),
    );
    expect(isUrgent(report.urgency)).toBe(true);
    expect(report.reporter).toMatchObject({ role: 'victim', anonymous: false, name: 'Sam', email: 'sam@example.org', wantsSupport: true });
    expect(report.reporter.consents).toEqual({ police: true, platform: false, shareContact: true, supportReferral: false });
    expect(report.incident).toMatchObject({ targetedCharacteristicOther: 'accent', ongoing: true, impact: 'I am scared' });
    expect(report.incident.harmTypeOther).toBeUndefined();
    expect(report.incident.priorActions).toEqual({ reportedToPlatform: { reference: 'X-1' } });
    expect(report.grounds).toEqual({ explanation: 'It threatens violence', goodFaith: { accepted: true, at: '2026-11-25T10:05:00.000Z' } });
  });

  it('drops contact details from an anonymous report instead of sending them', () => {
    const report = reportFromAnswers(
      draft({ details: { reporter: { anonymous: true, name: 'Sam', email: 'x@example.org', contact: { channel: 'email' }, consents: { shareContact: true } } } }),
      client,
    );
    expect(Report.safeParse(report).success).toBe(true);
    expect(report.reporter).not.toHaveProperty('name');
    expect(report.reporter.contact.channel).toBe('none');
    expect(report.reporter.consents.shareContact).toBe(false);
  });
});

describe('reportErrors', () => {
  it('gives the schema’s messages by field path, and nothing for a valid draft', () => {
    expect(reportErrors(draft(), client)).toEqual({});
    const errors = reportErrors(
      draft({ summary: ' ', items: [], details: { reporter: { anonymous: false, email: 'not-an-email', contact: { channel: 'phone' } } } }),
      client,
    );
    expect(errors['incident.summary']).toBe('Say in a few words what happened');
    expect(errors['items']).toBe('Add at least one captured item');
    expect(errors['reporter.email']).toMatch(/email address/);
    expect(errors['reporter.phone']).toMatch(/phone number/);
    expect(Object.keys(errorsFor(errors, ['reporter']))).toEqual(expect.arrayContaining(['reporter.email', 'reporter.phone']));
    expect(errorsFor(errors, ['reporter'])).not.toHaveProperty('items');
  });
});

describe('DraftStore answers', () => {
  it('saves answers section by section, and never changes a sent draft', async () => {
    const store = await DraftStore.open(`ohr-test-${crypto.randomUUID()}`);
    try {
      const saved = draft();
      await store.create(saved, []);
      await store.saveAnswers(saved.id, { urgency: { immediateDanger: true } });
      await store.saveAnswers(saved.id, { urgency: { relatesToFutureEvent: true }, reporter: { role: 'victim' } }, 'New summary');
      const after = await store.get(saved.id);
      expect(after?.details).toEqual({ urgency: { immediateDanger: true, relatesToFutureEvent: true }, reporter: { role: 'victim' } });
      expect(after?.summary).toBe('New summary');
      await store.removeItem(saved.id, 0);
      expect((await store.get(saved.id))?.items).toEqual([]);
      await store.update(saved.id, (current) => ({ ...current, status: 'queued' }));
      await store.saveAnswers(saved.id, { urgency: { immediateDanger: false } }, 'late');
      expect((await store.get(saved.id))?.summary).toBe('New summary');
    } finally {
      store.close();
    }
  });
});
