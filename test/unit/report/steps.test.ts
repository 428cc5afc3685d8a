/**
 * The one step table (`lib/report/steps.ts`) that the extension's form and the widget both draw: the same steps in the
 * same order, every answer owned by exactly one step (the age band asked once), the DSA statement only when the
 * platform may be told.
 */
import { describe, expect, it } from 'vitest';
import { STEPS as extensionSteps } from '../../../components/report-form/steps';
import { applying, FORM_STEPS } from '../../../lib/report/steps';
import { errorsFor } from '../../../lib/report/validate';
import { STEPS as widgetSteps } from '../../../widget/steps';

const owners = (path: string) => FORM_STEPS.filter((step) => step.paths.some((prefix) => path === prefix || path.startsWith(`${prefix}.`)));

describe('the form steps', () => {
  it('run from urgency to the check, with the one required answer early', () => {
    expect(FORM_STEPS.map((step) => step.id)).toEqual(
      ['urgency', 'who', 'what', 'characteristics', 'harm', 'when', 'impact', 'prior', 'contact', 'grounds', 'items', 'check'],
    );
    expect(FORM_STEPS.filter((step) => !step.optional).map((step) => step.id)).toEqual(['what', 'contact', 'items', 'check']);
  });

  it('are the steps of both the extension and the widget', () => {
    for (const steps of [extensionSteps, widgetSteps]) {
      expect(steps.map(({ id, paths, optional, applies }) => ({ id, paths, optional, applies }))).toEqual(
        FORM_STEPS.map(({ id, paths, optional, applies }) => ({ id, paths, optional, applies })),
      );
    }
  });

  it('give every answer to exactly one step, so the age band is asked once', () => {
    const answers = ['urgency.immediateDanger', 'reporter.role', 'reporter.ageBand', 'incident.summary', 'incident.targetedCharacteristics',
      'incident.targetedCharacteristicOther', 'incident.harmTypes', 'incident.harmTypeOther', 'incident.firstSeenAt', 'incident.ongoing',
      'incident.impact', 'reporter.wantsSupport', 'incident.priorActions.policeReference', 'reporter.anonymous', 'reporter.name',
      'reporter.email', 'reporter.phone', 'reporter.contact.channel', 'reporter.contact.language', 'reporter.accessNeeds',
      'reporter.consents.police', 'grounds.explanation', 'items', 'items.0.url'];
    for (const path of answers) expect(owners(path).map((step) => step.id), path).toHaveLength(1);
    expect(owners('reporter.ageBand').map((step) => step.id)).toEqual(['contact']);
  });

  it('ask for the DSA statement only when the platform may be told', () => {
    const ids = (platform: boolean) => applying(FORM_STEPS, { reporter: { consents: { platform } } }).map((step) => step.id);
    expect(ids(false)).not.toContain('grounds');
    expect(ids(true)).toContain('grounds');
    expect(applying(FORM_STEPS, {}).map((step) => step.id)).not.toContain('grounds');
  });

  it('route an error to the step that can fix it', () => {
    const errors = { 'reporter.email': 'Enter a valid email address', items: 'Add at least one captured item' };
    const holding = FORM_STEPS.filter((step) => Object.keys(errorsFor(errors, step.paths)).length > 0).map((step) => step.id);
    expect(holding).toEqual(['contact', 'items']);
  });
});
