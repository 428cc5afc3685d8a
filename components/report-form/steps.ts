/**
 * The form's steps: the shared step table (`lib/report/steps.ts`: order, the report paths each answers, which are
 * optional, when the DSA statement applies), each with the extension's title and component.
 */
import { FORM_STEPS, type StepId } from '@/lib/report/steps';
import { CharacteristicsStep } from './CharacteristicsStep';
import { CheckStep } from './CheckStep';
import { ContactStep } from './ContactStep';
import { GroundsStep } from './GroundsStep';
import { HarmStep } from './HarmStep';
import { ImpactStep } from './ImpactStep';
import { ItemsStep } from './ItemsStep';
import { PriorStep } from './PriorStep';
import type { StepDefinition } from './types';
import { UrgencyStep } from './UrgencyStep';
import { WhatStep } from './WhatStep';
import { WhenStep } from './WhenStep';
import { WhoStep } from './WhoStep';

/** How the extension draws each of the shared steps (`lib/report/steps.ts`). */
const VIEWS: Record<StepId, Pick<StepDefinition, 'title' | 'Component'>> = {
  urgency: { title: 'urgency.title', Component: UrgencyStep },
  who: { title: 'who.title', Component: WhoStep },
  what: { title: 'what.title', Component: WhatStep },
  characteristics: { title: 'characteristics.title', Component: CharacteristicsStep },
  harm: { title: 'harm.title', Component: HarmStep },
  when: { title: 'when.title', Component: WhenStep },
  impact: { title: 'impact.title', Component: ImpactStep },
  prior: { title: 'prior.title', Component: PriorStep },
  contact: { title: 'contact.title', Component: ContactStep },
  grounds: { title: 'grounds.title', Component: GroundsStep },
  items: { title: 'items.title', Component: ItemsStep },
  check: { title: 'check.title', Component: CheckStep },
};

export const STEPS: readonly StepDefinition[] = FORM_STEPS.map((step) => ({ ...step, ...VIEWS[step.id] }));
