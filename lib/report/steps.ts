/**
 * The report form's steps, for the extension's form and the widget's: urgency first (it changes what the person should
 * do now), the one required answer early, everything optional after it, the items, and a check before sending. Each
 * step lists the report paths it answers, so an error there (the schema's, or the hub's 422 `fields`) is shown on the
 * step that can fix it. Each product draws the steps its own way, keyed by `id`.
 */
import type { ReportDetails } from './details';

export type StepId =
  | 'urgency' | 'who' | 'what' | 'characteristics' | 'harm' | 'when' | 'impact' | 'prior' | 'contact' | 'grounds' | 'items' | 'check';

export interface FormStep {
  id: StepId;
  /** Report field paths this step answers: errors under them belong to it. */
  paths: readonly string[];
  /** Nothing here is required: the step offers "skip". */
  optional?: boolean;
  /** Whether the step applies to these answers (the DSA statement only when the platform is to be told). */
  applies?(details: ReportDetails): boolean;
}

export const FORM_STEPS: readonly FormStep[] = [
  { id: 'urgency', paths: ['urgency'], optional: true },
  { id: 'who', paths: ['reporter.role'], optional: true },
  { id: 'what', paths: ['incident.summary'] },
  { id: 'characteristics', paths: ['incident.targetedCharacteristics', 'incident.targetedCharacteristicOther'], optional: true },
  { id: 'harm', paths: ['incident.harmTypes', 'incident.harmTypeOther'], optional: true },
  { id: 'when', paths: ['incident.firstSeenAt', 'incident.ongoing'], optional: true },
  { id: 'impact', paths: ['incident.impact', 'reporter.wantsSupport'], optional: true },
  { id: 'prior', paths: ['incident.priorActions'], optional: true },
  // The age band is asked here, once: beside the consents, where its hint (support for young people) belongs.
  {
    id: 'contact',
    paths: ['reporter.anonymous', 'reporter.name', 'reporter.email', 'reporter.phone', 'reporter.contact', 'reporter.accessNeeds',
      'reporter.ageBand', 'reporter.consents'],
  },
  { id: 'grounds', paths: ['grounds'], optional: true, applies: (details) => details.reporter?.consents?.platform === true },
  { id: 'items', paths: ['items'] },
  { id: 'check', paths: [] },
];

/** The steps among these that apply to the answers so far, in order. */
export function applying<S extends FormStep>(steps: readonly S[], details: ReportDetails): S[] {
  return steps.filter((step) => step.applies?.(details) ?? true);
}
