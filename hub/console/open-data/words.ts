/** The open data's values in words: the closed lists through the shared labels, months as "November 2026". */
import type { z } from 'zod';
import { HarmType, Outcome, Platform, TargetedCharacteristic } from '../../../lib/schema';
import { consoleEn, ct, type ConsoleKey } from '../../../lib/i18n/console';
import { characteristicLabel, harmLabel, outcomeLabel, platformLabel } from '../shared/labels';
import { OPEN } from './counts';
import type { Axis } from './tables';

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A value outside its list (never stored, since intake validates) is shown as it is. */
const labelled = <T>(schema: z.ZodType<T>, label: (value: T) => string) => (value: string) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? label(parsed.data) : value;
};

/** Words from the catalogue for the values that have them; "prefer not to say" and "not answered" for every question. */
const fromCatalogue = (prefix: string) => (value: string) => {
  const key = (['not_answered', 'prefer_not_to_say'].includes(value) ? `openData.community.${value}` : `${prefix}.${value}`) as ConsoleKey;
  return key in consoleEn ? ct(key) : value;
};

const LABELS: Record<Axis, (value: string) => string> = {
  characteristic: labelled(TargetedCharacteristic, characteristicLabel),
  harm: labelled(HarmType, harmLabel),
  platform: labelled(Platform, platformLabel),
  month: (value) => MONTH.format(new Date(`${value}-01T00:00:00Z`)),
  outcome: (value) => (value === OPEN ? ct('openData.open') : labelled(Outcome, outcomeLabel)(value)),
  score: fromCatalogue('openData.score'),
  ethnic_group_broad: fromCatalogue('openData.community'),
  religion: fromCatalogue('openData.religion'),
  sexual_orientation: fromCatalogue('openData.orientation'),
  gender_identity: fromCatalogue('openData.gender'),
  disability: fromCatalogue('openData.disability'),
};

export const valueLabel = (axis: Axis, value: string): string => LABELS[axis](value);
