import type { FunctionComponent } from 'preact';
import type { MessageKey } from '@/lib/i18n';
import type { ReportDetails } from '@/lib/report/details';
import type { FormStep } from '@/lib/report/steps';
import type { FieldErrors } from '@/lib/report/validate';
import type { ItemPreview } from '@/extension/drafts';
import type { HiddenArea } from '@/lib/schema';
import type { Endpoint } from '@/extension/settings';

/** A captured item as the form shows it: the item, and its picture when one was captured. */
export type { ItemPreview };

/** What every step receives: the answers so far, the schema's errors, and ways to change them. */
export interface StepProps {
  details: ReportDetails;
  summary: string;
  errors: FieldErrors;
  change(change: ReportDetails): void;
  setSummary(summary: string): void;
  /** The organisations ticked to receive this report, with what each said it accepts. */
  destinations: readonly Endpoint[];
  items: readonly ItemPreview[];
  removeItem(index: number): void;
  /** Sets the areas to hide in item `index`'s pictures (offered only when the host can keep them). */
  setHiddenAreas?(index: number, areas: HiddenArea[]): void;
  /** From the check step: go back to a step to change it. */
  goTo(stepId: string): void;
}

/** A shared step (`lib/report/steps.ts`) as the extension draws it. */
export interface StepDefinition extends FormStep {
  title: MessageKey;
  Component: FunctionComponent<StepProps>;
}
