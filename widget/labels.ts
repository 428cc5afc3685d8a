/**
 * The words for the values of the report's closed lists, value by value and in the vocabulary's order (a unit test
 * holds both). Spelled out rather than looked up by a key built at run time (`harm.${value}`), so the build inlines
 * every word where it is used and the script carries no catalogue of keys.
 */
import type { StatusResponse } from '@/lib/schema';
import { AGE_BANDS, type CONTACT_CHANNELS, type HARM_TYPES, type REPORTER_ROLES, type TARGETED_CHARACTERISTICS } from '@/lib/schema/vocabulary';
import { t } from './i18n';

type Labels<Values extends readonly string[]> = Readonly<Record<Values[number], string>>;

export const ROLES: Labels<typeof REPORTER_ROLES> = {
  victim: t('who.victim'),
  witness: t('who.witness'),
  on_behalf: t('who.on_behalf'),
  organisation: t('who.organisation'),
};

export const CATEGORIES: Labels<typeof TARGETED_CHARACTERISTICS> = {
  race: t('category.race'),
  religion: t('category.religion'),
  sexual_orientation: t('category.sexual_orientation'),
  disability: t('category.disability'),
  transgender_identity: t('category.transgender_identity'),
  sex_gender: t('category.sex_gender'),
  other: t('category.other'),
};

export const HARMS: Labels<typeof HARM_TYPES> = {
  hate_speech: t('harm.hate_speech'),
  threat: t('harm.threat'),
  harassment: t('harm.harassment'),
  doxxing: t('harm.doxxing'),
  impersonation: t('harm.impersonation'),
  incitement: t('harm.incitement'),
  intimate_image_abuse: t('harm.intimate_image_abuse'),
  extremist_content: t('harm.extremist_content'),
  other: t('harm.other'),
};

export const CHANNELS: Labels<typeof CONTACT_CHANNELS> = {
  none: t('contact.channel.none'),
  email: t('contact.channel.email'),
  phone: t('contact.channel.phone'),
};

/** Age bands in words: the two open-ended ones from the catalogue, the others as their numbers ("18–24"). */
export const AGES: Labels<typeof AGE_BANDS> = {
  ...(Object.fromEntries(AGE_BANDS.map((band) => [band, band.replace('_', '–')])) as Labels<typeof AGE_BANDS>),
  under_18: t('contact.age.under_18'),
  '65_plus': t('contact.age.65_plus'),
};

export const CONSENTS = {
  police: t('contact.consent.police'),
  platform: t('contact.consent.platform'),
  supportReferral: t('contact.consent.supportReferral'),
  shareContact: t('contact.consent.shareContact'),
} as const;

export const STATUSES: Readonly<Record<StatusResponse['status'], string>> = {
  received: t('status.received'),
  in_review: t('status.in_review'),
  referred: t('status.referred'),
  needs_info: t('status.needs_info'),
  closed: t('status.closed'),
};
