/** The open data's values in words: the closed lists through the shared labels, months as "November 2026". */
import type { z } from 'zod';
import { HarmType, Outcome, Platform, TargetedCharacteristic } from '../../../lib/schema';
import { ct } from '../../../lib/i18n/console';
import { characteristicLabel, harmLabel, outcomeLabel, platformLabel } from '../shared/labels';
import { OPEN, type Dimension } from './counts';

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A value outside its list (never stored, since intake validates) is shown as it is. */
const labelled = <T>(schema: z.ZodType<T>, label: (value: T) => string) => (value: string) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? label(parsed.data) : value;
};

const LABELS: Record<Dimension, (value: string) => string> = {
  characteristic: labelled(TargetedCharacteristic, characteristicLabel),
  harm: labelled(HarmType, harmLabel),
  platform: labelled(Platform, platformLabel),
  month: (value) => MONTH.format(new Date(`${value}-01T00:00:00Z`)),
  outcome: (value) => (value === OPEN ? ct('openData.open') : labelled(Outcome, outcomeLabel)(value)),
};

export const valueLabel = (dimension: Dimension, value: string): string => LABELS[dimension](value);
