/**
 * The EU DSA transparency database's vocabulary where OHR's values have a match, in one place for the referral notice
 * (referrals/dsa-notice.ts) and the open data (open-data/publish.ts). Values as the database's API takes them: the
 * statement category for illegal or harmful speech, and its keywords (`category_specification`).
 */
import { z } from 'zod';
import type { HarmType } from '../../../lib/schema';

export const DSA_CATEGORY = 'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH';

/** The keywords under the illegal or harmful speech category that OHR's values can map to. */
export const DsaKeyword = z.enum([
  'KEYWORD_HATE_SPEECH',
  'KEYWORD_DISCRIMINATION',
  'KEYWORD_CYBER_INCITEMENT',
  'KEYWORD_DEFAMATION',
  'KEYWORD_VIOLATION_NATIONAL_LAW',
  'KEYWORD_OTHER',
]);
export type DsaKeyword = z.infer<typeof DsaKeyword>;

/** The harm types with a keyword of their own; the others are `KEYWORD_OTHER` in a notice. */
export const HARM_KEYWORDS: Partial<Record<HarmType, DsaKeyword>> = {
  hate_speech: 'KEYWORD_HATE_SPEECH',
  incitement: 'KEYWORD_CYBER_INCITEMENT',
};

/** A report naming any targeted characteristic is about discrimination. */
export const CHARACTERISTIC_KEYWORD: DsaKeyword = 'KEYWORD_DISCRIMINATION';
