/**
 * A notice to a hosting service under Regulation (EU) 2022/2065 (the Digital Services Act), Article 16(2), for one
 * report or a cluster: (a) why the content is illegal, (b) the exact electronic location of every item, (c) the name
 * and email of the person or body submitting it, (d) the statement of good faith. Pure functions: the same reports
 * give the same notice, as JSON (checked by `DsaNotice`) and as plain text for a platform's web form or an email.
 *
 * Who submits: the organisation running the hub is the notifier, so Art. 16(2)(c) is met by its name and the
 * moderator's work email. The reporter's own name and email are added only where they agreed both to the platform
 * being told and to their contact details being shared; otherwise, and always for anonymous reports, they are left
 * out and the notice says so. (The exception in Art. 16(2)(c) for offences under Directive 2011/93/EU — child sexual
 * abuse — is not what these reports are about, so the notifier's details are always given.)
 */
import { z } from 'zod';
import { CHARACTERISTIC_KEYWORD, DSA_CATEGORY, DsaKeyword, HARM_KEYWORDS } from '../shared/dsa';
import {
  HarmType,
  ItemKind,
  Platform,
  Receipt,
  TargetedCharacteristic,
  utcDateTime,
  webUrl,
  type Report,
} from '../../../lib/schema';
import { t } from '../../../lib/i18n';
import { ct } from '../../../lib/i18n/console';
import { inline, quoteLines } from '../../../lib/text/reported';
import { harmLabel, platformLabel } from '../shared/labels';

/** A report as the hub holds it: its reference, when it arrived, and the report exactly as received. */
export interface ReferralSource {
  reference: string;
  receivedAt: string;
  report: Report;
}

/** Who sends the notice: the organisation and the moderator producing it. */
export interface Notifier {
  organisation: string;
  email: string;
}

export const LEGAL_BASIS = 'Regulation (EU) 2022/2065, Article 16(2)';
export { DSA_CATEGORY, DsaKeyword };

const reference = Receipt.shape.reference;

export const DsaNotice = z.strictObject({
  kind: z.literal('dsa_article_16_notice'),
  legalBasis: z.literal(LEGAL_BASIS),
  generatedAt: utcDateTime,
  references: z.array(reference).min(1),
  /** Art. 16(2)(a): the reasons, per report, in the reporter's words and the categories they chose. */
  explanation: z
    .array(
      z.strictObject({
        reference,
        summary: z.string().min(1),
        grounds: z.string().optional(),
        targetedCharacteristics: z.array(TargetedCharacteristic),
        targetedCharacteristicOther: z.string().optional(),
        harmTypes: z.array(HarmType),
        harmTypeOther: z.string().optional(),
      }),
    )
    .min(1),
  /** Art. 16(2)(b): every item's exact address. */
  locations: z
    .array(
      z.strictObject({
        reference,
        url: webUrl,
        permalink: webUrl.optional(),
        canonicalUrl: webUrl.optional(),
        platform: Platform,
        kind: ItemKind,
        authorHandle: z.string().optional(),
        authorProfileUrl: webUrl.optional(),
        postedAt: utcDateTime.optional(),
        capturedAt: utcDateTime,
        text: z.string().optional(),
      }),
    )
    .min(1),
  /** Art. 16(2)(c): the notifier always; each reporter only where they consented. */
  notifier: z.strictObject({ organisation: z.string().min(1), email: z.email() }),
  reporters: z.array(
    z.discriminatedUnion('shared', [
      z.strictObject({ reference, shared: z.literal(true), name: z.string().optional(), email: z.email().optional() }),
      z.strictObject({ reference, shared: z.literal(false), reason: z.enum(['anonymous', 'no_consent']) }),
    ]),
  ),
  /** Art. 16(2)(d): the notifier's statement, and when each reporter made theirs. */
  goodFaith: z.strictObject({
    statement: z.string().min(1),
    reporterStatements: z.array(z.strictObject({ reference, at: utcDateTime })),
  }),
  transparencyDatabase: z.strictObject({
    category: z.literal(DSA_CATEGORY),
    categorySpecification: z.array(DsaKeyword).min(1),
    categorySpecificationOther: z.string().optional(),
  }),
});
export type DsaNotice = z.infer<typeof DsaNotice>;

export type NoticeResult =
  | { ok: true; notice: DsaNotice; withoutConsent: string[] }
  | { ok: false; withoutConsent: string[] };

/**
 * The notice for these reports. A report whose reporter did not agree to the platform being told is left out
 * (its reference is in `withoutConsent`); with none left there is no notice.
 */
export function buildDsaNotice(sources: readonly ReferralSource[], notifier: Notifier, generatedAt: string): NoticeResult {
  const withoutConsent = sources.filter((source) => !source.report.reporter.consents.platform).map((source) => source.reference);
  const included = sources.filter((source) => source.report.reporter.consents.platform);
  if (included.length === 0) return { ok: false, withoutConsent };
  const notice: DsaNotice = {
    kind: 'dsa_article_16_notice',
    legalBasis: LEGAL_BASIS,
    generatedAt,
    references: included.map((source) => source.reference),
    explanation: included.map(explanationOf),
    locations: included.flatMap(locationsOf),
    notifier: { organisation: notifier.organisation, email: notifier.email },
    reporters: included.map(reporterOf),
    goodFaith: {
      statement: ct('dsa.goodFaithStatement', { organisation: notifier.organisation }),
      reporterStatements: included.flatMap(({ reference, report }) => (report.grounds ? [{ reference, at: report.grounds.goodFaith.at }] : [])),
    },
    transparencyDatabase: transparencyFields(included.map((source) => source.report)),
  };
  return { ok: true, notice: DsaNotice.parse(notice), withoutConsent };
}

function explanationOf({ reference, report }: ReferralSource): DsaNotice['explanation'][number] {
  const incident = report.incident;
  return {
    reference,
    summary: incident.summary,
    ...(report.grounds ? { grounds: report.grounds.explanation } : {}),
    targetedCharacteristics: incident.targetedCharacteristics,
    ...(incident.targetedCharacteristicOther ? { targetedCharacteristicOther: incident.targetedCharacteristicOther } : {}),
    harmTypes: incident.harmTypes,
    ...(incident.harmTypeOther ? { harmTypeOther: incident.harmTypeOther } : {}),
  };
}

function locationsOf({ reference, report }: ReferralSource): DsaNotice['locations'] {
  return report.items.map((item) => ({
    reference,
    url: item.url,
    ...(item.permalink ? { permalink: item.permalink } : {}),
    ...(item.canonicalUrl ? { canonicalUrl: item.canonicalUrl } : {}),
    platform: item.platform,
    kind: item.kind,
    ...(item.author?.handle ? { authorHandle: item.author.handle } : {}),
    ...(item.author?.profileUrl ? { authorProfileUrl: item.author.profileUrl } : {}),
    ...(item.postedAt ? { postedAt: item.postedAt } : {}),
    capturedAt: item.capturedAt,
    ...(item.text ? { text: item.text } : {}),
  }));
}

function reporterOf({ reference, report }: ReferralSource): DsaNotice['reporters'][number] {
  const reporter = report.reporter;
  if (reporter.anonymous) return { reference, shared: false, reason: 'anonymous' };
  if (!reporter.consents.shareContact) return { reference, shared: false, reason: 'no_consent' };
  return { reference, shared: true, ...(reporter.name ? { name: reporter.name } : {}), ...(reporter.email ? { email: reporter.email } : {}) };
}

/** Keywords from what the reporters chose; every notice is at least about a breach of national law. */
export function transparencyFields(reports: readonly Report[]): DsaNotice['transparencyDatabase'] {
  const harms = new Set(reports.flatMap((report) => report.incident.harmTypes));
  const keywords = new Set<DsaKeyword>();
  for (const harm of harms) {
    const keyword = HARM_KEYWORDS[harm];
    if (keyword) keywords.add(keyword);
  }
  if (reports.some((report) => report.incident.targetedCharacteristics.length > 0)) keywords.add(CHARACTERISTIC_KEYWORD);
  keywords.add('KEYWORD_VIOLATION_NATIONAL_LAW');
  // Harms with no keyword of their own in this category are named in words.
  const unmapped = [...harms].filter((harm) => !HARM_KEYWORDS[harm]).sort();
  if (unmapped.length > 0) keywords.add('KEYWORD_OTHER');
  return {
    category: DSA_CATEGORY,
    categorySpecification: DsaKeyword.options.filter((keyword) => keywords.has(keyword)),
    ...(unmapped.length > 0 ? { categorySpecificationOther: unmapped.map(harmLabel).join(', ') } : {}),
  };
}

/**
 * Captured or reported words, quoted line by line (at every line terminator, invisible characters shown) so they can
 * never be read as part of the notice itself.
 */
export function quoted(text: string): string {
  return quoteLines(text);
}

/**
 * An address as one token: `<…>` around the URL parser's serialisation, which percent-encodes spaces, controls,
 * quotes and angle brackets and writes the host in ASCII (punycode), so it cannot break the line or pass for the
 * notice's own words. An address the parser refuses (a stored one from before the schema checked) is quoted instead.
 */
export function address(url: string): string {
  try {
    return `<${new URL(url).href}>`;
  } catch {
    return inline(url);
  }
}

/** Reporter-supplied short values are always fenced (`inline`, `address`); labels and closed-list words are the tool's. */
const field = (label: string, value: string | undefined) => (value ? [`  ${label}: ${value}`] : []);
const typed = (value: string | undefined) => (value ? inline(value) : undefined);

/** The notice as plain text, for a platform's notice form or an email. */
export function noticeText(notice: DsaNotice): string {
  const lines: string[] = [
    ct('dsa.title'),
    ct('dsa.legalBasis', { basis: notice.legalBasis }),
    ct('dsa.generated', { date: notice.generatedAt, references: notice.references.join(', ') }),
    '',
    ct('dsa.section.a'),
  ];
  for (const reason of notice.explanation) {
    lines.push(
      '',
      ct('dsa.report', { reference: reason.reference }),
      ...field(ct('dsa.characteristics'), [...reason.targetedCharacteristics.map((value) => t(`category.${value}`)), typed(reason.targetedCharacteristicOther)].filter(Boolean).join(', ')),
      ...field(ct('dsa.harms'), [...reason.harmTypes.map(harmLabel), typed(reason.harmTypeOther)].filter(Boolean).join(', ')),
      `  ${ct('dsa.summary')}:`,
      quoted(reason.summary),
    );
    if (reason.grounds) lines.push(`  ${ct('dsa.grounds')}:`, quoted(reason.grounds));
  }
  lines.push('', ct('dsa.section.b'));
  for (const [index, location] of notice.locations.entries()) {
    lines.push(
      '',
      `${index + 1}. ${address(location.permalink ?? location.url)}`,
      ...field(ct('dsa.address'), location.permalink ? address(location.url) : undefined),
      ...field(ct('dsa.canonical'), location.canonicalUrl && address(location.canonicalUrl)),
      `  ${ct('dsa.where', { platform: platformLabel(location.platform), kind: location.kind, reference: location.reference })}`,
      ...field(ct('dsa.author'), [location.authorHandle && inline(`@${location.authorHandle}`), location.authorProfileUrl && address(location.authorProfileUrl)].filter(Boolean).join(' ')),
      ...field(ct('dsa.posted'), location.postedAt),
      ...field(ct('dsa.captured'), location.capturedAt),
    );
    if (location.text) lines.push(`  ${ct('dsa.text')}:`, quoted(location.text));
  }
  lines.push('', ct('dsa.section.c'), `  ${ct('dsa.notifier', { organisation: notice.notifier.organisation, email: notice.notifier.email })}`);
  for (const reporter of notice.reporters) {
    lines.push(
      reporter.shared
        ? `  ${ct('dsa.reporterShared', { reference: reporter.reference, name: typed(reporter.name) ?? '—', email: typed(reporter.email) ?? '—' })}`
        : `  ${ct(reporter.reason === 'anonymous' ? 'dsa.reporterAnonymous' : 'dsa.reporterWithheld', { reference: reporter.reference })}`,
    );
  }
  lines.push('', ct('dsa.section.d'), `  ${notice.goodFaith.statement}`);
  for (const statement of notice.goodFaith.reporterStatements) {
    lines.push(`  ${ct('dsa.reporterGoodFaith', { reference: statement.reference, date: statement.at })}`);
  }
  const transparency = notice.transparencyDatabase;
  lines.push(
    '',
    ct('dsa.section.transparency'),
    `  category: ${transparency.category}`,
    `  category_specification: ${transparency.categorySpecification.join(', ')}`,
    ...field('category_specification_other', transparency.categorySpecificationOther),
  );
  return `${lines.join('\n')}\n`;
}
