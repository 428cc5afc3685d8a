/**
 * `extractItem`: from the right-clicked element to a report item's DOM-derived fields. The platform extractor for the
 * page's address is tried first, then every other one by its DOM markers (a Mastodon instance or a saved page has no
 * telling address), then the generic one. Extractors are pure: no globals at import time, nothing but the document.
 * Whatever an extractor returns goes through `normalise`, so the result always fits the schema: absolute http(s) URLs,
 * UTC times, capped text, bidi marks stripped from identity fields (display names are kept as shown); what is absent stays absent.
 */
import { LIMITS, type Evidence, type Item, type Platform } from '@/lib/schema';
import { platformOf } from '@/lib/report/platform';
import { absoluteUrl, baseOf, collapse, isoUtc, stripBidi } from './dom';
import { canonicalOf, generic, pageMetadata } from './generic';
import type { ExtractedAuthor, ExtractedContextPost, ExtractedItem, PageContext, PlatformExtractor, PostFields } from './types';
import { x } from './x';
import { facebook } from './facebook';
import { instagram } from './instagram';
import { youtube } from './youtube';
import { tiktok } from './tiktok';
import { reddit } from './reddit';
import { mastodon } from './mastodon';
import { bluesky } from './bluesky';
import { telegram } from './telegram';
import { linkedin } from './linkedin';

export type { ExtractedItem, PostFields, PageContext, PlatformExtractor } from './types';

export const EXTRACTORS: readonly PlatformExtractor[] = [x, facebook, instagram, youtube, tiktok, reddit, mastodon, bluesky, telegram, linkedin];

/** The extracted item and the element it was read from (for the element screenshot and the HTML snapshot). */
export interface ExtractedPost {
  item: ExtractedItem;
  root: Element | null;
  /** The page as the extractors read it (address, base for links). */
  page: PageContext;
}

function safePlatformOf(url: string): Platform {
  try {
    return platformOf(url);
  } catch {
    return 'other';
  }
}

/** Run one extractor step; a platform's DOM that changed under us must not break the capture. */
export function attempt<T>(step: () => T): T | undefined {
  try {
    return step();
  } catch {
    return undefined;
  }
}

function hasSubstance(fields: PostFields | undefined): fields is PostFields {
  return !!fields && !!(fields.text || fields.permalink || fields.author?.handle || fields.author?.profileUrl || fields.author?.displayName);
}

/**
 * Extractors to try, in order: the address's platform, then those whose distinctive page markers are present (a
 * Mastodon instance, a saved page served from elsewhere). Others are not tried: a plain blog's `<article>` must not
 * be read as an Instagram post.
 */
function ordered(page: PageContext, platform: Platform): PlatformExtractor[] {
  const byUrl = EXTRACTORS.filter((extractor) => extractor.platform === platform);
  const detected = EXTRACTORS.filter((extractor) => !byUrl.includes(extractor) && attempt(() => extractor.detect?.(page)));
  return [...byUrl, ...detected];
}

/** Like `extractItem`, also returning the post's root element. */
export function extractPost(document: Document, target?: Element, pageUrl?: string): ExtractedPost {
  const given = pageUrl ?? document.URL;
  const provisionalBase = attempt(() => baseOf(document, given)) ?? given;
  const canonicalUrl = attempt(() => canonicalOf(document, provisionalBase));
  // A page opened from disk (file://) has no web address; its declared canonical one is the best we have.
  const url = absoluteUrl(given, given) ?? canonicalUrl ?? given;
  const page: PageContext = { document, url, base: attempt(() => baseOf(document, url)) ?? url, canonicalUrl };
  const urlPlatform = safePlatformOf(url);
  let platform: Platform = urlPlatform;
  let fields: PostFields | undefined;
  let root: Element | null = null;

  if (target) {
    for (const extractor of ordered(page, urlPlatform)) {
      const found = attempt(() => extractor.findRoot(target, page));
      if (!found) continue;
      const read = attempt(() => extractor.extract(found, page));
      if (!hasSubstance(read)) continue;
      [root, fields] = [found, read];
      if (platform === 'other') platform = extractor.platform;
      break;
    }
    if (!fields) {
      root = attempt(() => generic.findRoot(target, page)) ?? null;
      fields = root ? attempt(() => generic.extract(root!, page)) : undefined;
      if (!hasSubstance(fields)) [root, fields] = [null, undefined];
    }
  }

  const meta = attempt(() => pageMetadata(page)) ?? {};
  if (!fields) {
    const platformPage = EXTRACTORS.find((extractor) => extractor.platform === platform)?.extractPage;
    fields = merge(attempt(() => platformPage?.(page)) ?? {}, meta);
    fields.kind ??= hasSubstance(fields) && fields.text ? 'post' : 'page';
  } else if (fields.permalink && sameUrl(fields.permalink, canonicalUrl ?? url)) {
    // The post under the cursor is the page's own post: its metadata (exact time, language) describes it too.
    fields = merge(fields, { postedAt: meta.postedAt, lang: meta.lang, author: meta.author });
  }

  const title = attempt(() => document.querySelector('title')?.textContent);
  const item = normalise({
    url,
    canonicalUrl,
    pageTitle: title ? collapse(title) : undefined,
    platform,
    kind: fields.kind ?? 'post',
    ...fields,
  });
  return { item, root, page };
}

/**
 * The report item's DOM-derived fields for the post around `target` (the right-clicked element), or for the page
 * when there is no target or no post. `pageUrl` defaults to `document.URL`. Never throws on page content.
 */
export function extractItem(document: Document, target?: Element, pageUrl?: string): ExtractedItem {
  return extractPost(document, target, pageUrl).item;
}

/** The report item: the extracted fields plus what only the capture step knows. Image URLs stay behind. */
export function toReportItem(
  extracted: ExtractedItem,
  capture: { capturedAt: string; evidence: Evidence[]; captureMethod?: Item['captureMethod'] },
): Item {
  const { imageUrls: _imageUrls, ...fields } = extracted;
  return { ...fields, capturedAt: capture.capturedAt, captureMethod: capture.captureMethod ?? 'extension', evidence: capture.evidence };
}

function sameUrl(a: string, b: string): boolean {
  const strip = (value: string) => attempt(() => {
    const url = new URL(value);
    return `${url.host.replace(/^www\./, '')}${url.pathname.replace(/\/$/, '')}${url.search}`;
  });
  return strip(a) !== undefined && strip(a) === strip(b);
}

/** Fill what `primary` lacks from `secondary`, field by field (authors too), never overwriting. */
function merge(primary: PostFields, secondary: PostFields): PostFields {
  const out: PostFields = { ...primary };
  for (const [key, value] of Object.entries(secondary) as [keyof PostFields, PostFields[keyof PostFields]][]) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    if (key === 'author') out.author = { ...(value as ExtractedAuthor), ...definedOnly(primary.author ?? {}) };
    else if (out[key] === undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined && entry !== '')) as Partial<T>;
}

const LANG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function cap(text: string | undefined, max: number): string | undefined {
  if (!text) return undefined;
  const trimmed = text.trim();
  return trimmed ? trimmed.slice(0, max) : undefined;
}

/**
 * A one-line field (a handle, a name, a title) as the schema takes it: line breaks, tabs and every other control
 * character become spaces, since the report schema refuses them in short fields (issue 17), then capped.
 */
export function oneLineCap(text: string | undefined, max: number): string | undefined {
  // eslint-disable-next-line no-control-regex
  return cap(text && collapse(text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')), max);
}

function webUrl(value: string | undefined): string | undefined {
  const url = absoluteUrl(value, 'http://invalid.invalid/');
  return url && !url.startsWith('http://invalid.invalid/') && url.length <= LIMITS.url ? url : undefined;
}

function normaliseAuthor(author: ExtractedAuthor | undefined): ExtractedAuthor | undefined {
  if (!author) return undefined;
  const out = definedOnly({
    handle: oneLineCap(author.handle && stripBidi(author.handle).replace(/^@/, ''), LIMITS.shortText),
    // Kept as shown (bidi and zero-width characters too); outputs make them visible. Identity fields never hold them.
    displayName: oneLineCap(author.displayName, LIMITS.shortText),
    profileUrl: webUrl(author.profileUrl),
    platformId: oneLineCap(author.platformId, LIMITS.shortText),
  });
  return Object.keys(out).length ? out : undefined;
}

function normaliseContextPost(post: ExtractedContextPost): ExtractedContextPost | undefined {
  const out = definedOnly({
    author: normaliseAuthor(post.author),
    text: cap(post.text, LIMITS.capturedText),
    permalink: webUrl(post.permalink),
    postedAt: isoUtc(post.postedAt),
  });
  return Object.keys(out).length ? out : undefined;
}

/** Make an extractor's output fit the schema; drop whatever cannot be made to fit rather than inventing. */
export function normalise(item: ExtractedItem): ExtractedItem {
  const parent = item.context?.parent && normaliseContextPost(item.context.parent);
  const thread = item.context?.thread
    ?.map(normaliseContextPost)
    .filter((post): post is ExtractedContextPost => post !== undefined)
    .slice(0, LIMITS.threadPosts);
  const context = definedOnly({ parent, thread: thread?.length ? thread : undefined });
  const images = [...new Set((item.imageUrls ?? []).map(webUrl).filter((url): url is string => url !== undefined))];
  const lang = item.lang?.trim();
  return {
    url: item.url,
    ...definedOnly({
      canonicalUrl: webUrl(item.canonicalUrl),
      pageTitle: oneLineCap(item.pageTitle, LIMITS.title),
    }),
    platform: item.platform,
    kind: item.kind,
    ...definedOnly({
      author: normaliseAuthor(item.author),
      postedAt: isoUtc(item.postedAt),
      title: oneLineCap(item.title, LIMITS.title),
      text: cap(item.text, LIMITS.capturedText),
      permalink: webUrl(item.permalink),
      lang: lang && LANG.test(lang) ? lang : undefined,
      context: Object.keys(context).length ? context : undefined,
      imageUrls: images.length ? images.slice(0, LIMITS.evidencePerItem) : undefined,
    }),
  };
}
