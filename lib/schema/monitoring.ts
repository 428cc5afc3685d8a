/**
 * Equality monitoring (issue 20 item 6): the closed lists a reporter may choose from, after sending, each optional and
 * each with "prefer not to say". The categories are the Office for National Statistics' 2021 census ones for England
 * and Wales (ethnic group: 19 detailed groups within 5 high-level groups; religion; sexual orientation; gender
 * identity), the census's day-to-day-activities question for disability (close to the Equality Act 2010's definition:
 * a condition lasting 12 months or more that limits day-to-day activities), and age bands. The words for each value
 * are in the i18n catalogues; the values here are what the wire and the database carry.
 */
import { z } from 'zod';

export const PREFER_NOT_TO_SAY = 'prefer_not_to_say';

/** ONS 2021: the high-level groups, each with its detailed groups, in the census's order. */
export const ETHNIC_GROUPS = {
  asian: ['asian_bangladeshi', 'asian_chinese', 'asian_indian', 'asian_pakistani', 'asian_other'],
  black: ['black_african', 'black_caribbean', 'black_other'],
  mixed: ['mixed_white_asian', 'mixed_white_black_african', 'mixed_white_black_caribbean', 'mixed_other'],
  white: ['white_british', 'white_irish', 'white_gypsy_irish_traveller', 'white_roma', 'white_other'],
  other: ['other_arab', 'other_any'],
} as const;
export type EthnicGroupBroad = keyof typeof ETHNIC_GROUPS;
export const ETHNIC_GROUP_BROAD = Object.keys(ETHNIC_GROUPS) as EthnicGroupBroad[];
const DETAILED = Object.values(ETHNIC_GROUPS).flat();

export const MONITORING_VALUES = {
  ethnicGroup: [...DETAILED, PREFER_NOT_TO_SAY],
  religion: ['no_religion', 'christian', 'buddhist', 'hindu', 'jewish', 'muslim', 'sikh', 'other', PREFER_NOT_TO_SAY],
  sexualOrientation: ['straight', 'gay_or_lesbian', 'bisexual', 'other', PREFER_NOT_TO_SAY],
  /** ONS 2021: "Is the gender you identify with the same as your sex registered at birth?" */
  genderIdentity: ['same', 'different', PREFER_NOT_TO_SAY],
  /** ONS 2021: "Are your day-to-day activities limited because of a health problem or disability which has lasted, or is expected to last, at least 12 months?" */
  disability: ['limited_a_lot', 'limited_a_little', 'no', PREFER_NOT_TO_SAY],
  ageBand: ['under_18', '18_24', '25_34', '35_44', '45_54', '55_64', '65_74', '75_plus', PREFER_NOT_TO_SAY],
} as const;
export type MonitoringQuestion = keyof typeof MONITORING_VALUES;
export const MONITORING_QUESTIONS = Object.keys(MONITORING_VALUES) as MonitoringQuestion[];

const choice = <Q extends MonitoringQuestion>(question: Q) =>
  z.enum(MONITORING_VALUES[question] as unknown as [(typeof MONITORING_VALUES)[Q][number], ...(typeof MONITORING_VALUES)[Q][number][]], {
    error: 'Choose one of the listed answers, or "prefer not to say"',
  });

/** What the reporter sends: every question optional (left out: skipped). */
export const MonitoringAnswers = z.strictObject({
  ethnicGroup: choice('ethnicGroup').optional(),
  religion: choice('religion').optional(),
  sexualOrientation: choice('sexualOrientation').optional(),
  genderIdentity: choice('genderIdentity').optional(),
  disability: choice('disability').optional(),
  ageBand: choice('ageBand').optional(),
});
export type MonitoringAnswers = z.infer<typeof MonitoringAnswers>;

/** The high-level group of a detailed ethnic group ("prefer not to say" stays itself). */
export function ethnicGroupBroad(detailed: string): EthnicGroupBroad | typeof PREFER_NOT_TO_SAY | undefined {
  if (detailed === PREFER_NOT_TO_SAY) return PREFER_NOT_TO_SAY;
  return ETHNIC_GROUP_BROAD.find((broad) => (ETHNIC_GROUPS[broad] as readonly string[]).includes(detailed));
}

/** The satisfaction question's five points: 1 very dissatisfied … 5 very satisfied. */
export const SATISFACTION_SCORES = [1, 2, 3, 4, 5] as const;
export const SATISFACTION_COMMENT_MAX = 2_000;
