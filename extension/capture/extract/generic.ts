/**
 * The extractor that works anywhere: it reads only published, standard markup — JSON-LD (`SocialMediaPosting`,
 * `Comment`, `DiscussionForumPosting`, articles), Open Graph / `article:` meta, microformats `h-entry`, schema.org
 * microdata, `<article>`, `<time datetime>`, `rel=canonical`, `rel=author`, `rel=bookmark`. Platform extractors fall
 * back to it, so it must never throw and never guess.
 */
import type { ExtractedAuthor, PageContext, PlatformExtractor, PostFields } from './types';
import { absoluteUrl, closestWhere, hrefOf, isoUtc, pathSegments, renderedText, shownName, shownNameText } from './dom';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const POSTING_TYPES = ['SocialMediaPosting', 'DiscussionForumPosting', 'Comment', 'BlogPosting', 'LiveBlogPosting'];
const ARTICLE_TYPES = ['Article', 'NewsArticle', 'Report', 'VideoObject', 'ImageObject', 'WebPage'];

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typesOf(node: JsonObject): string[] {
  const type = node['@type'];
  const list = Array.isArray(type) ? type : [type];
  return list.filter((entry): entry is string => typeof entry === 'string').map((entry) => entry.replace(/^.*[/#]/, ''));
}

/** Every object in a JSON-LD document, depth first (arrays, `@graph`, `mainEntity` and other nesting). */
function jsonLdNodes(value: Json, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(value)) value.forEach((entry) => jsonLdNodes(entry, out));
  else if (isObject(value)) {
    out.push(value);
    Object.values(value).forEach((entry) => jsonLdNodes(entry, out));
  }
  return out;
}

/** JSON-LD strings sometimes carry HTML entities (Bluesky writes `It&#39;s`); decode the common ones. */
function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const point = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(point) && point <= 0x10ffff ? String.fromCodePoint(point) : whole;
    }
    return named[code.toLowerCase()] ?? whole;
  });
}

function str(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return decodeEntities(value).trim() || undefined;
  if (Array.isArray(value)) return str(value[0]);
  if (isObject(value)) return str(value['@id'] ?? value['url']);
  return undefined;
}

/** The main posting the page's JSON-LD describes, if any: posting types first, then articles and videos. */
export function jsonLdPost(document: Document): JsonObject | undefined {
  const nodes: JsonObject[] = [];
  for (const script of Array.from(document.querySelectorAll('script[type="application/ld+json"]'))) {
    try {
      jsonLdNodes(JSON.parse(script.textContent ?? '') as Json, nodes);
    } catch {
      // A page's broken JSON-LD is its problem, not a reason to fail the capture.
    }
  }
  return (
    nodes.find((node) => typesOf(node).some((type) => POSTING_TYPES.includes(type))) ??
    nodes.find((node) => typesOf(node).some((type) => ARTICLE_TYPES.includes(type)) && (node['author'] || node['datePublished']))
  );
}

function jsonLdAuthor(node: JsonObject, base: string): ExtractedAuthor | undefined {
  const raw = Array.isArray(node['author']) ? node['author'][0] : node['author'];
  if (typeof raw === 'string') return { displayName: shownNameText(decodeEntities(raw)) };
  if (!isObject(raw)) return undefined;
  const alternate = str(raw['alternateName']);
  const author: ExtractedAuthor = {
    displayName: shownNameText(str(raw['name'])),
    handle: alternate?.startsWith('@') ? alternate.slice(1) : undefined,
    profileUrl: absoluteUrl(str(raw['url']), base),
    platformId: str(raw['identifier']),
  };
  return author;
}

function meta(document: Document, key: string): string | undefined {
  const element = document.querySelector(`meta[property="${key}"], meta[name="${key}"], meta[itemprop="${key}"]`);
  return element?.getAttribute('content')?.trim() || undefined;
}

/**
 * "Stephen King (@stephenking.bsky.social)" — the title form Bluesky, Instagram and X use for a post's author. The
 * platform writes the handle right after the name, so the last "(@…)" before any quoted post text is taken: a display
 * name "Bob (@victim)" must not become the handle, and neither may a "(@…)" in the post's own words.
 */
export function nameAndHandle(title: string | undefined): { displayName: string; handle: string } | undefined {
  const head = title ? decodeEntities(title).split(/["“«]/u)[0]! : '';
  const match = /^(.+) \(@([\w.\-@]+)\)/u.exec(head);
  const displayName = match && shownNameText(match[1]);
  return match && displayName ? { displayName, handle: match[2]! } : undefined;
}

/** The canonical URL the page declares (`<link rel=canonical>`, else `og:url`). */
export function canonicalOf(document: Document, base: string): string | undefined {
  return (
    hrefOf(document.querySelector('link[rel~="canonical"][href]'), base) ?? absoluteUrl(meta(document, 'og:url'), base)
  );
}

/**
 * What the page as a whole says about its main post: JSON-LD first (it is structured), then Open Graph and the
 * `article:` / `profile:` meta, then `rel=author`. Used when nothing is under the cursor, and to complete the post
 * that *is* the page (its permalink is the canonical URL).
 */
export function pageMetadata(page: PageContext): PostFields {
  const { document, base } = page;
  const ld = jsonLdPost(document);
  const fromTitle = nameAndHandle(meta(document, 'og:title') ?? meta(document, 'twitter:title'));
  const ldAuthor = ld ? jsonLdAuthor(ld, base) : undefined;
  const relAuthor = hrefOf(document.querySelector('link[rel~="author"][href], a[rel~="author"][href]'), base);
  const author: ExtractedAuthor = {
    handle: ldAuthor?.handle ?? meta(document, 'profile:username') ?? fromTitle?.handle,
    displayName: ldAuthor?.displayName ?? fromTitle?.displayName ?? meta(document, 'author'),
    profileUrl: ldAuthor?.profileUrl ?? absoluteUrl(meta(document, 'article:author'), base) ?? relAuthor,
    platformId: ldAuthor?.platformId,
  };
  const text = (ld && (str(ld['text']) ?? str(ld['articleBody']))) ?? undefined;
  return {
    author,
    postedAt:
      isoUtc(ld && str(ld['datePublished'])) ?? isoUtc(meta(document, 'article:published_time')) ?? isoUtc(meta(document, 'datePublished')),
    text,
    permalink: absoluteUrl(ld && str(ld['url']), base) ?? page.canonicalUrl,
    // Only the post's declared language: `<html lang>` on a platform is the interface's language, not the post's.
    lang: (ld && str(ld['inLanguage'])) ?? undefined,
    imageUrls: [absoluteUrl(meta(document, 'og:image'), base)].filter((url): url is string => url !== undefined),
  };
}

const ROOT_SELECTOR = [
  '.h-entry',
  '[itemtype*="SocialMediaPosting"]',
  '[itemtype*="DiscussionForumPosting"]',
  '[itemtype*="Comment"]',
  '[itemtype*="BlogPosting"]',
  'article',
  '[role="article"]',
].join(', ');

/** The nearest element that semantic markup marks as a post. */
export function findGenericRoot(target: Element): Element | null {
  return closestWhere(target, (element) => element.matches(ROOT_SELECTOR));
}

function genericAuthor(root: Element, base: string): ExtractedAuthor | undefined {
  const card = root.querySelector('.p-author, [itemprop="author"], [rel~="author"], .author, [class~="byline"]');
  if (!card) return undefined;
  const nameElement = card.querySelector('.p-name, [itemprop="name"]') ?? card;
  const urlElement = card.matches('a[href]') ? card : card.querySelector('.u-url[href], [itemprop="url"][href], a[href]');
  const profileUrl = hrefOf(urlElement, base);
  // The handle only from the profile link (`/@name`): a nickname is text, and text can name anyone.
  return {
    displayName: (nameElement.getAttribute('content') ?? undefined) || shownName(nameElement),
    profileUrl,
    handle: atHandleOf(profileUrl),
  };
}

function genericTime(root: Element): string | undefined {
  const element = root.querySelector('.dt-published, [itemprop="datePublished"], time[datetime]');
  return isoUtc(element?.getAttribute('datetime') ?? element?.getAttribute('content') ?? element?.getAttribute('title'));
}

function genericPermalink(root: Element, base: string): string | undefined {
  const direct = root.querySelector('a.u-url[href], a[rel~="bookmark"][href], a[itemprop="url"][href], link[itemprop="url"][href]');
  const timeLink = root.querySelector('time')?.closest('a[href]');
  return hrefOf(direct ?? timeLink, base);
}

/** Read a post from semantic markup inside `root`. */
export function extractGenericPost(root: Element, page: PageContext): PostFields {
  const content = root.querySelector('.e-content, .p-content, [itemprop="text"], [itemprop="articleBody"], [itemprop="commentText"]');
  const text = renderedText(content ?? root);
  return {
    kind: root.matches('[itemtype*="Comment"], .p-comment, .h-cite') ? 'comment' : 'post',
    author: genericAuthor(root, page.base),
    postedAt: genericTime(root),
    text: text || undefined,
    permalink: genericPermalink(root, page.base),
    lang: closestWhere(root, (element) => element.hasAttribute('lang'))?.getAttribute('lang') ?? undefined,
  };
}

/** Profile path's first segment as a handle when a site uses `/@name` (Mastodon, Medium, TikTok, YouTube). */
export function atHandleOf(url: string | undefined): string | undefined {
  const first = pathSegments(url)[0];
  return first?.startsWith('@') ? first.slice(1) : undefined;
}

export const generic: PlatformExtractor = {
  platform: 'other',
  findRoot: findGenericRoot,
  extract: extractGenericPost,
  extractPage: pageMetadata,
};
