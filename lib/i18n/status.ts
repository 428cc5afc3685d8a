/**
 * The words of the hub's status page (`/status`), where someone who reported without the extension (through the widget
 * or the report page) enters their reference and status code to see what happened to their report and answer questions.
 * Welsh and Arabic entries await native review, as the other catalogues' do. Status and outcome names come from the
 * shared catalogues (`status.*`, `outcome.*`), so a status reads the same here as in the extension.
 */
import { ar } from './ar';
import { cy } from './cy';
import { en } from './en';
import { format } from './format';
import { homeAr, homeCy, homeEn } from './home';

const statusEn = {
  'status.page.title': 'Check your report',
  'status.page.intro': 'Enter the reference number and the status code you were given when you sent your report.',
  'status.page.reference': 'Reference number',
  'status.page.referenceHint': 'For example OHR-7K2M-9QXA',
  'status.page.code': 'Status code',
  'status.page.codeHint': 'Four groups of four letters and numbers. Capitals, spaces and dashes do not matter.',
  'status.page.show': 'Show my report',
  'status.page.notFound': 'There is no report with this reference number and status code. Check both and try again.',
  'status.page.missing': 'Enter both the reference number and the status code.',
  'status.page.tooLarge': 'What you sent is too long for this page. Shorten your answer and try again.',
  'status.page.tooMany': 'Too many tries from this connection. Please wait {minutes} minutes and try again.',
  'status.page.refused': 'This form was sent from another site, so it was not used. Open this page again and try once more.',
  'status.page.language': 'Language',
  'status.page.quickExit': 'Quick exit',
  'status.page.quickExitHint': 'Leave this page at once: press the button, or Esc twice.',
  'status.page.private': 'Use a private window, and close it when you finish, if someone else may use this device.',
  'status.report.title': 'Your report {reference}',
  'status.report.status': 'Status',
  'status.report.outcome': 'Outcome',
  'status.report.updated': 'Last changed',
  'status.report.note': 'A note from the team',
  'status.report.another': 'Check another report',
  'status.questions.title': 'Questions for you',
  'status.questions.none': 'The team has not asked you anything.',
  'status.questions.asked': 'Asked on {date}',
  'status.questions.yourAnswer': 'Your answer, sent on {date}',
  'status.questions.answerLabel': 'Your answer',
  'status.questions.answerHint': 'Only the team handling your report will read it.',
  'status.questions.send': 'Send my answer',
  'status.questions.sent': 'Thank you: your answer has been sent to the team.',
  'status.questions.empty': 'Write your answer before sending it.',
  'status.questions.tooLong': 'Your answer is too long: please keep it under {max} characters.',
  'status.questions.closed': 'This report is closed, so it no longer takes answers.',
  'status.questions.already': 'This question has already been answered.',
  'status.withdraw.title': 'Withdraw your report',
  'status.withdraw.intro': 'If you no longer want the team to act on your report, you can withdraw it. This cannot be undone.',
  'status.withdraw.confirm': 'Yes, I want to withdraw this report',
  'status.withdraw.button': 'Withdraw my report',
  'status.withdraw.unconfirmed': 'Tick the box to confirm that you want to withdraw your report.',
  'status.withdraw.done': 'Your report has been withdrawn.',
} as const;

export type StatusKey = keyof typeof statusEn;
type StatusCatalogue = Record<StatusKey, string>;

const statusCy: StatusCatalogue = {
  'status.page.title': 'Gwirio eich adroddiad',
  'status.page.intro': 'Rhowch y rhif cyfeirnod a’r cod statws a gawsoch wrth anfon eich adroddiad.',
  'status.page.reference': 'Rhif cyfeirnod',
  'status.page.referenceHint': 'Er enghraifft OHR-7K2M-9QXA',
  'status.page.code': 'Cod statws',
  'status.page.codeHint': 'Pedwar grŵp o bedair llythyren a rhif. Does dim ots am briflythrennau, bylchau na llinellau.',
  'status.page.show': 'Dangos fy adroddiad',
  'status.page.notFound': 'Does dim adroddiad gyda’r rhif cyfeirnod a’r cod statws hyn. Gwiriwch y ddau a rhoi cynnig arall arni.',
  'status.page.missing': 'Rhowch y rhif cyfeirnod a’r cod statws.',
  'status.page.tooLarge': 'Mae’r hyn a anfonwyd yn rhy hir i’r dudalen hon. Byrhewch eich ateb a rhoi cynnig arall arni.',
  'status.page.tooMany': 'Gormod o ymdrechion o’r cysylltiad hwn. Arhoswch {minutes} munud a rhoi cynnig arall arni.',
  'status.page.refused': 'Anfonwyd y ffurflen hon o wefan arall, felly ni chafodd ei defnyddio. Agorwch y dudalen hon eto a rhoi cynnig arall arni.',
  'status.page.language': 'Iaith',
  'status.page.quickExit': 'Gadael yn gyflym',
  'status.page.quickExitHint': 'Gadael y dudalen hon ar unwaith: pwyswch y botwm, neu Esc ddwywaith.',
  'status.page.private': 'Defnyddiwch ffenestr breifat, a’i chau pan fyddwch wedi gorffen, os gall rhywun arall ddefnyddio’r ddyfais hon.',
  'status.report.title': 'Eich adroddiad {reference}',
  'status.report.status': 'Statws',
  'status.report.outcome': 'Canlyniad',
  'status.report.updated': 'Newid diwethaf',
  'status.report.note': 'Nodyn gan y tîm',
  'status.report.another': 'Gwirio adroddiad arall',
  'status.questions.title': 'Cwestiynau i chi',
  'status.questions.none': 'Nid yw’r tîm wedi gofyn dim i chi.',
  'status.questions.asked': 'Gofynnwyd ar {date}',
  'status.questions.yourAnswer': 'Eich ateb, a anfonwyd ar {date}',
  'status.questions.answerLabel': 'Eich ateb',
  'status.questions.answerHint': 'Dim ond y tîm sy’n delio â’ch adroddiad fydd yn ei ddarllen.',
  'status.questions.send': 'Anfon fy ateb',
  'status.questions.sent': 'Diolch: mae eich ateb wedi’i anfon at y tîm.',
  'status.questions.empty': 'Ysgrifennwch eich ateb cyn ei anfon.',
  'status.questions.tooLong': 'Mae eich ateb yn rhy hir: cadwch ef o dan {max} nod.',
  'status.questions.closed': 'Mae’r adroddiad hwn wedi’i gau, felly nid yw’n derbyn atebion mwyach.',
  'status.questions.already': 'Mae’r cwestiwn hwn wedi’i ateb yn barod.',
  'status.withdraw.title': 'Tynnu eich adroddiad yn ôl',
  'status.withdraw.intro': 'Os nad ydych am i’r tîm weithredu ar eich adroddiad mwyach, gallwch ei dynnu’n ôl. Ni ellir dadwneud hyn.',
  'status.withdraw.confirm': 'Ydw, rwyf am dynnu’r adroddiad hwn yn ôl',
  'status.withdraw.button': 'Tynnu fy adroddiad yn ôl',
  'status.withdraw.unconfirmed': 'Ticiwch y blwch i gadarnhau eich bod am dynnu eich adroddiad yn ôl.',
  'status.withdraw.done': 'Mae eich adroddiad wedi’i dynnu’n ôl.',
};

const statusAr: StatusCatalogue = {
  'status.page.title': 'تحقّق من بلاغك',
  'status.page.intro': 'أدخل الرقم المرجعي ورمز الحالة اللذين حصلت عليهما عند إرسال بلاغك.',
  'status.page.reference': 'الرقم المرجعي',
  'status.page.referenceHint': 'مثلًا OHR-7K2M-9QXA',
  'status.page.code': 'رمز الحالة',
  'status.page.codeHint': 'أربع مجموعات من أربعة أحرف وأرقام. لا تهمّ الأحرف الكبيرة ولا المسافات ولا الشرطات.',
  'status.page.show': 'اعرض بلاغي',
  'status.page.notFound': 'لا يوجد بلاغ بهذا الرقم المرجعي ورمز الحالة. تحقّق من كليهما وحاول مرة أخرى.',
  'status.page.missing': 'أدخل الرقم المرجعي ورمز الحالة كليهما.',
  'status.page.tooLarge': 'ما أرسلته أطول مما تقبله هذه الصفحة. اختصر إجابتك ثم حاول مرة أخرى.',
  'status.page.tooMany': 'محاولات كثيرة جدًا من هذا الاتصال. يرجى الانتظار {minutes} دقيقة ثم المحاولة مرة أخرى.',
  'status.page.refused': 'أُرسل هذا النموذج من موقع آخر، فلم يُستخدم. افتح هذه الصفحة من جديد وحاول مرة أخرى.',
  'status.page.language': 'اللغة',
  'status.page.quickExit': 'خروج سريع',
  'status.page.quickExitHint': 'غادر هذه الصفحة فورًا: اضغط الزر، أو مفتاح Esc مرتين.',
  'status.page.private': 'استخدم نافذة خاصة وأغلقها عند الانتهاء إذا كان شخص آخر قد يستخدم هذا الجهاز.',
  'status.report.title': 'بلاغك {reference}',
  'status.report.status': 'الحالة',
  'status.report.outcome': 'النتيجة',
  'status.report.updated': 'آخر تغيير',
  'status.report.note': 'ملاحظة من الفريق',
  'status.report.another': 'تحقّق من بلاغ آخر',
  'status.questions.title': 'أسئلة موجّهة إليك',
  'status.questions.none': 'لم يطرح عليك الفريق أي سؤال.',
  'status.questions.asked': 'طُرح في {date}',
  'status.questions.yourAnswer': 'إجابتك، أُرسلت في {date}',
  'status.questions.answerLabel': 'إجابتك',
  'status.questions.answerHint': 'لن يقرأها إلا الفريق الذي يتابع بلاغك.',
  'status.questions.send': 'أرسل إجابتي',
  'status.questions.sent': 'شكرًا لك: أُرسلت إجابتك إلى الفريق.',
  'status.questions.empty': 'اكتب إجابتك قبل إرسالها.',
  'status.questions.tooLong': 'إجابتك طويلة جدًا: يرجى أن تبقى دون {max} حرف.',
  'status.questions.closed': 'هذا البلاغ مغلق، فلم يعد يقبل الإجابات.',
  'status.questions.already': 'تمت الإجابة عن هذا السؤال من قبل.',
  'status.withdraw.title': 'سحب بلاغك',
  'status.withdraw.intro': 'إذا لم تعد تريد أن يتابع الفريق بلاغك، يمكنك سحبه. لا يمكن التراجع عن ذلك.',
  'status.withdraw.confirm': 'نعم، أريد سحب هذا البلاغ',
  'status.withdraw.button': 'اسحب بلاغي',
  'status.withdraw.unconfirmed': 'ضع علامة في المربع لتأكيد رغبتك في سحب بلاغك.',
  'status.withdraw.done': 'تم سحب بلاغك.',
};

/** Outcomes are not yet in the Arabic catalogue (it covers the report form); the status page needs them. */
const outcomesAr: Partial<Record<keyof typeof en, string>> = {
  'outcome.actioned': 'اتُّخذ إجراء',
  'outcome.removed_by_platform': 'أزالته المنصة',
  'outcome.referred_to_police': 'أُحيل إلى الشرطة',
  'outcome.no_further_action': 'لا إجراء آخر',
  'outcome.duplicate': 'سبق الإبلاغ عنه',
  'outcome.withdrawn': 'سحبتَه أنت',
};

/** The languages the status page is written in, each named in itself. */
export const STATUS_LANGUAGES = [
  { tag: 'en', name: 'English', dir: 'ltr', words: { ...en, ...statusEn, ...homeEn } },
  { tag: 'cy', name: 'Cymraeg', dir: 'ltr', words: { ...cy, ...statusCy, ...homeCy } },
  { tag: 'ar', name: 'العربية', dir: 'rtl', words: { ...ar, ...outcomesAr, ...statusAr, ...homeAr } },
] as const;

export type StatusLanguage = (typeof STATUS_LANGUAGES)[number]['tag'];
type Words = (typeof STATUS_LANGUAGES)[number]['words'];
export type StatusWordKey = keyof Words;

/** A translator for one language: `t(key, values)`. */
export function statusWords(tag: StatusLanguage): (key: StatusWordKey, values?: Record<string, string | number>) => string {
  const words: Words = (STATUS_LANGUAGES.find((language) => language.tag === tag) ?? STATUS_LANGUAGES[0]).words;
  return (key, values) => format(words[key], values ?? {});
}

/** The person's language: a supported `chosen` tag, else the first supported one in an Accept-Language header, else English. */
export function pickStatusLanguage(chosen: string | undefined, acceptLanguage: string | undefined): StatusLanguage {
  const supported = (tag: string | undefined) => STATUS_LANGUAGES.find((language) => language.tag === tag?.trim().toLowerCase().split('-')[0])?.tag;
  const fromChoice = supported(chosen);
  if (fromChoice) return fromChoice;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.split(';');
      const q = Number(params.find((param) => param.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { tag, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const entry of ranked) {
    const found = supported(entry.tag);
    if (found) return found;
  }
  return 'en';
}
