/**
 * Which of an organisation's support links to show for a report (issue 20 item 8). A link may be tagged with targeted
 * characteristics and harm types (Galop for anti-LGBT+ abuse, CST for antisemitism); it is shown when each kind of tag
 * it carries meets the report's (any one characteristic, and any one harm), so a link tagged only by characteristic
 * fits every harm. Untagged links are for everyone and always shown. Where the report names no characteristic (or no
 * harm) that kind of tag cannot rule a link out: better a link too many than none. Tagged links that fit come first,
 * as the more particular help.
 */
import type { Discovery, HarmType, SupportLinkTags, TargetedCharacteristic } from './schema';

export interface SupportLink {
  label: string;
  url: string;
  characteristics?: readonly TargetedCharacteristic[];
  harms?: readonly HarmType[];
}

export interface ReportFacts {
  characteristics: readonly string[];
  harms: readonly string[];
}

const fits = (tags: readonly string[] | undefined, named: readonly string[]) =>
  !tags || tags.length === 0 || named.length === 0 || tags.some((tag) => named.includes(tag));

const tagged = (link: SupportLink) => (link.characteristics?.length ?? 0) + (link.harms?.length ?? 0) > 0;

export function matchingSupportLinks<L extends SupportLink>(links: readonly L[], report: ReportFacts): L[] {
  const shown = links.filter((link) => fits(link.characteristics, report.characteristics) && fits(link.harms, report.harms));
  return [...shown.filter(tagged), ...shown.filter((link) => !tagged(link))];
}

/** A discovery document's links with their tags joined on (`supportLinkTags`, keyed by the link's URL). */
export function taggedSupportLinks(discovery: Pick<Discovery, 'supportLinks'> & { supportLinkTags?: SupportLinkTags | undefined }): SupportLink[] {
  const tags = new Map((discovery.supportLinkTags ?? []).map((entry) => [entry.url, entry]));
  return discovery.supportLinks.map((link) => {
    const found = tags.get(link.url);
    return { ...link, ...(found?.characteristics ? { characteristics: found.characteristics } : {}), ...(found?.harms ? { harms: found.harms } : {}) };
  });
}
