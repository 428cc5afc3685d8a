/**
 * The emails a hub sends a reporter who asked for updates by email (hub/delivery/messages.ts). Each says only that
 * something changed, with the reference and where to look: never the report's content, status notes or questions, as
 * a mailbox is often read by others. Welsh and Arabic to be checked by native speakers, as the other catalogues are.
 */
import { format } from './format';

const en = {
  'subject.status_changed': 'Update on your report {reference}',
  'subject.question_asked': 'A question about your report {reference}',
  'subject.report_closed': 'Your report {reference} is closed',
  'body.status_changed': 'There is an update on the report you sent to {organisation} (reference {reference}).',
  'body.question_asked': '{organisation} has a question about the report you sent (reference {reference}).',
  'body.report_closed':
    '{organisation} has finished working on the report you sent (reference {reference}). You can see the outcome and tell them how satisfied you are with how it was handled.',
  'body.look':
    'To see it, open {link} and enter your reference and the status code you were given when you sent the report. For your safety this email does not include the status code or anything from your report.',
  'body.why': 'You are getting this email because you asked to be told about changes to your report by email.',
};

type Key = keyof typeof en;

// Native review pending (cy, ar).
const cy: Record<Key, string> = {
  'subject.status_changed': 'Diweddariad ar eich adroddiad {reference}',
  'subject.question_asked': 'Cwestiwn am eich adroddiad {reference}',
  'subject.report_closed': 'Mae eich adroddiad {reference} wedi’i gau',
  'body.status_changed': 'Mae diweddariad ar yr adroddiad a anfonoch at {organisation} (cyfeirnod {reference}).',
  'body.question_asked': 'Mae gan {organisation} gwestiwn am yr adroddiad a anfonoch (cyfeirnod {reference}).',
  'body.report_closed':
    'Mae {organisation} wedi gorffen gweithio ar yr adroddiad a anfonoch (cyfeirnod {reference}). Gallwch weld y canlyniad a dweud wrthynt pa mor fodlon ydych gyda’r ffordd y cafodd ei drin.',
  'body.look':
    'I’w weld, agorwch {link} a rhowch eich cyfeirnod a’r cod statws a gawsoch pan anfonoch yr adroddiad. Er eich diogelwch, nid yw’r e-bost hwn yn cynnwys y cod statws nac unrhyw beth o’ch adroddiad.',
  'body.why': 'Rydych yn cael yr e-bost hwn oherwydd i chi ofyn am gael gwybod drwy e-bost am newidiadau i’ch adroddiad.',
};

const ar: Record<Key, string> = {
  'subject.status_changed': 'تحديث بشأن بلاغك {reference}',
  'subject.question_asked': 'سؤال بشأن بلاغك {reference}',
  'subject.report_closed': 'تم إغلاق بلاغك {reference}',
  'body.status_changed': 'يوجد تحديث بشأن البلاغ الذي أرسلته إلى {organisation} (الرقم المرجعي {reference}).',
  'body.question_asked': 'لدى {organisation} سؤال بشأن البلاغ الذي أرسلته (الرقم المرجعي {reference}).',
  'body.report_closed':
    'انتهت {organisation} من العمل على البلاغ الذي أرسلته (الرقم المرجعي {reference}). يمكنك الاطلاع على النتيجة وإخبارهم بمدى رضاك عن طريقة التعامل معه.',
  'body.look':
    'للاطلاع عليه، افتح {link} وأدخل رقمك المرجعي ورمز الحالة الذي حصلت عليه عند إرسال البلاغ. حفاظًا على سلامتك، لا يتضمن هذا البريد رمز الحالة ولا أي شيء من بلاغك.',
  'body.why': 'تصلك هذه الرسالة لأنك طلبت أن يتم إبلاغك بالتغييرات على بلاغك عبر البريد الإلكتروني.',
};

const CATALOGUES: Record<string, Record<Key, string>> = { en, cy, ar };

export type NotificationKind = 'status_changed' | 'question_asked' | 'report_closed';

/** The catalogue language for a BCP 47 tag (`cy-GB` → `cy`), English when there is none for it. */
export function notificationLanguage(tag: string | undefined): string {
  const primary = tag?.split('-')[0]?.toLowerCase();
  return primary && primary in CATALOGUES ? primary : 'en';
}

/** The subject and plain text of one notification, in `language` (see `notificationLanguage`). */
export function notificationEmail(
  kind: NotificationKind,
  language: string,
  values: { reference: string; organisation: string; link: string },
): { subject: string; text: string } {
  const words = CATALOGUES[notificationLanguage(language)]!;
  return {
    subject: format(words[`subject.${kind}`], values),
    text: [format(words[`body.${kind}`], values), format(words['body.look'], values), words['body.why']].join('\n\n'),
  };
}
