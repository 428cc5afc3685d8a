/**
 * The report model's words without zod: closed lists, length caps and the human messages. `report.ts` builds its
 * schemas from these, and the widget imports them directly, so its quick per-step checks say exactly what the
 * schema (and so the hub) would say, without shipping zod to every page that embeds it.
 */

export const SCHEMA_VERSION = 1;

/** Length caps, exported so forms can show "n characters left" with the same numbers the hub enforces. */
export const LIMITS = {
  shortText: 200,
  title: 500,
  summary: 5_000,
  longText: 2_000,
  capturedText: 20_000,
  url: 2_048,
  items: 50,
  evidencePerItem: 20,
  threadPosts: 50,
  /** Areas hidden in one picture (issue 23): the account's marks, own posts and what the person marked. */
  hiddenAreas: 64,
} as const;

export const REPORTER_ROLES = ['victim', 'witness', 'on_behalf', 'organisation'] as const;
export const CONTACT_CHANNELS = ['none', 'email', 'phone'] as const;
export const AGE_BANDS = ['under_18', '18_24', '25_34', '35_44', '45_54', '55_64', '65_plus'] as const;
export const TARGETED_CHARACTERISTICS = [
  'race',
  'religion',
  'sexual_orientation',
  'disability',
  'transgender_identity',
  'sex_gender',
  'other',
] as const;
export const HARM_TYPES = [
  'hate_speech',
  'threat',
  'harassment',
  'doxxing',
  'impersonation',
  'incitement',
  'intimate_image_abuse',
  'extremist_content',
  'other',
] as const;

/** What the person is told when an answer breaks a rule; the schema attaches these to its issues. */
export const MESSAGES = {
  utcDateTime: 'Use an ISO 8601 UTC time such as 2026-01-31T14:05:00Z',
  webUrl: 'Use a full web address starting with http:// or https://',
  languageTag: 'Use a language tag such as en, cy or ur-PK',
  email: 'Enter an email address such as name@example.org',
  phone: 'Enter a phone number using digits, spaces and an optional leading +',
  anonymousDetails: 'An anonymous report cannot include contact details',
  anonymousContact: 'An anonymous report cannot ask to be contacted',
  sealedInClear: 'This detail is sealed to the organisation, so it cannot also be sent in clear',
  summary: 'Say in a few words what happened',
  goodFaith: 'The good-faith statement must be accepted',
  items: 'Add at least one captured item',
} as const;

/** The message for a contact channel chosen without the detail it needs. */
export function contactByMessage(channel: 'email' | 'phone'): string {
  return channel === 'email' ? 'Give an email address to be contacted by email' : 'Give a phone number to be contacted by phone';
}

export const PHONE_PATTERN = /^\+?[0-9 ()-]{6,20}$/;
/** BCP 47 tag, e.g. "cy" or "ur-PK". */
export const LANGUAGE_TAG_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Any yes means the person is told to call 999 now and the report is marked urgent. */
export function isUrgent(urgency: { immediateDanger: boolean; perpetratorIdentityKnown: boolean; relatesToFutureEvent: boolean }): boolean {
  return urgency.immediateDanger || urgency.perpetratorIdentityKnown || urgency.relatesToFutureEvent;
}
