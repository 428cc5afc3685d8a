/**
 * The widget's words: the questions it shares with the extension's form (`lib/i18n/questions-en.ts`, the same keys
 * and wording, spread into the extension's catalogue too) and a few of its own under `widget.*`. Not the extension's
 * whole catalogue, which would add several kilobytes to every page that embeds the widget.
 */
import { formEn } from '@/lib/i18n/form-en';
import { labelsEn, questionsEn } from '@/lib/i18n/questions-en';
import { fingerprintWords } from './words-fingerprint';
import { contactByMessage, MESSAGES } from '@/lib/schema/vocabulary';

export const widgetEn = {
  ...questionsEn,
  ...labelsEn,
  'widget.loading': 'Opening the report form…',
  'widget.unreachable': '{endpoint} could not be reached. Check your connection and try again.',
  'widget.notAllowed': 'This website is not set up to send reports to {endpoint}, so the form cannot be used here. Your connection is fine: the website’s owner has to fix this.',
  'widget.notAllowedConsole': 'OHR widget: {endpoint} refuses {origin}: add it to the hub’s corsOrigins (OHR_CORS_ORIGINS).',
  'quickExit.button': 'Leave this page quickly',
  'widget.exitHint': 'or press Esc twice',
  'widget.retry': 'Try again',
  'widget.close': 'Close',
  'widget.notTaken': '{name} does not usually take reports about: {categories}. You can still tell them.',
  'widget.anonymousRefused': '{name} does not take anonymous reports: give a way to reach you.',
  'widget.items.title': 'Where did you see it?',
  'widget.items.intro': 'Paste the address of each post or page, with screenshots if you have them (they are not shown here).',
  'widget.items.url': 'Address of post or page {number}',
  'widget.items.files': 'Screenshots for address {number} (PNG, JPEG or WebP, up to {max} each)',
  'widget.items.file': '{name}, {size}',
  'widget.items.stripped': 'Hidden details in the picture, such as where it was taken, were removed.',
  'widget.items.add': 'Add another address',
  'widget.items.remove': 'Remove address {number}',
  // Intimate-image abuse (issue 23): pictures sent only as their fingerprints (the field's own words are in its module).
  ...fingerprintWords,
  'widget.file.notImage': '{name} is not a PNG, JPEG or WebP picture, so it was not added.',
  'widget.file.tooBig': '{name} is larger than {max}, so it was not added.',
  'widget.check.items': 'Addresses: {count}, screenshots: {files}',
  'widget.sending': 'Sending your report…',
  'widget.queued': 'Your report is saved in this browser and will be sent when the service can be reached: keep this page open, or come back later.',
  'widget.waiting': 'Your report will be sent when the service can be reached: keep this page open until it is sent.',
  'widget.keep': 'Keep it in this browser until it is sent',
  'widget.keepHint': 'Then it is sent when you come back to this page. Until it is sent, anyone who uses this browser, and this website, could read it.',
  'widget.cannotKeep': 'Your report will be sent when the service can be reached. This browser does not let the site keep it, so keep this page open until it is sent.',
  'widget.attention': 'The organisation could not accept the report: {message}',
  'widget.done.title': 'Your report has been received',
  'widget.done.reference': 'Your reference number',
  'widget.done.token': 'Your status code',
  'widget.done.tokenHint': 'Shown only once: keep it with the reference number. To see what happens to your report and answer any questions, go to',
  'widget.done.copy': 'Copy the status code',
  'widget.done.copied': 'Copied.',
  'widget.done.again': 'Report something else',
  // The extension's words where the widget says the same (taken from its catalogue, so they cannot drift).
  'contact.consent.emailUpdates': formEn['contact.consent.emailUpdates'],
  'contact.sealed': formEn['contact.sealed'],
  'contact.sealedEmailUpdates': formEn['contact.sealedEmailUpdates'],
  'support.heading': formEn['support.heading'],
  'support.intro': formEn['support.intro'],
  // The schema's messages that the widget's own checks show (checks.ts): here so that language packs translate them.
  'widget.error.summary': MESSAGES.summary,
  'widget.error.email': MESSAGES.email,
  'widget.error.phone': MESSAGES.phone,
  'widget.error.items': MESSAGES.items,
  'widget.error.webUrl': MESSAGES.webUrl,
  // Pure: the script inlines the words, so the calls are dropped with the catalogue (10 bytes gzipped).
  'widget.error.byEmail': /* @__PURE__ */ contactByMessage('email'),
  'widget.error.byPhone': /* @__PURE__ */ contactByMessage('phone'),
} as const;

export type WidgetMessageKey = keyof typeof widgetEn;
