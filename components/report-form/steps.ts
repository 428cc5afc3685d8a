/**
 * The form's steps in order: urgency first (it changes what the person should do now), the one required answer
 * early, everything optional after it, and a check before sending. Each step lists the report paths it answers.
 */
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

export const STEPS: readonly StepDefinition[] = [
  { id: 'urgency', title: 'urgency.title', paths: ['urgency'], optional: true, Component: UrgencyStep },
  { id: 'who', title: 'who.title', paths: ['reporter.role', 'reporter.ageBand'], optional: true, Component: WhoStep },
  { id: 'what', title: 'what.title', paths: ['incident.summary'], optional: false, Component: WhatStep },
  {
    id: 'characteristics',
    title: 'characteristics.title',
    paths: ['incident.targetedCharacteristics', 'incident.targetedCharacteristicOther'],
    optional: true,
    Component: CharacteristicsStep,
  },
  { id: 'harm', title: 'harm.title', paths: ['incident.harmTypes', 'incident.harmTypeOther'], optional: true, Component: HarmStep },
  { id: 'when', title: 'when.title', paths: ['incident.firstSeenAt', 'incident.ongoing'], optional: true, Component: WhenStep },
  { id: 'impact', title: 'impact.title', paths: ['incident.impact', 'reporter.wantsSupport'], optional: true, Component: ImpactStep },
  { id: 'prior', title: 'prior.title', paths: ['incident.priorActions'], optional: true, Component: PriorStep },
  {
    id: 'contact',
    title: 'contact.title',
    paths: ['reporter.anonymous', 'reporter.name', 'reporter.email', 'reporter.phone', 'reporter.contact', 'reporter.consents'],
    optional: false,
    Component: ContactStep,
  },
  {
    id: 'grounds',
    title: 'grounds.title',
    paths: ['grounds'],
    optional: true,
    applies: (details) => details.reporter?.consents?.platform === true,
    Component: GroundsStep,
  },
  { id: 'items', title: 'items.title', paths: ['items'], optional: false, Component: ItemsStep },
  { id: 'check', title: 'check.title', paths: [], optional: false, Component: CheckStep },
];
