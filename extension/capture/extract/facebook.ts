/**
 * Facebook. Two DOMs:
 * - 2016-era feed (`div.userContentWrapper`): author in the header's `h5/h6 span.fwb a`, permalink `a._5pcq` around
 *   `abbr[data-utime]` (unix seconds), text in `.userContent`. A shared original sits in `div.mtm` with its own
 *   `abbr[data-utime]`; a "friend replied" story wraps the real post in a nested wrapper. Both are separate posts.
 * - current (2020–): obfuscated classes; `[role="article"]` holds the post, the author link is in the first heading,
 *   the text in `[data-ad-preview="message"]`/`[data-ad-comet-preview="message"]`, times are relative text only.
 * - older comments (`.UFIComment`, also `role="article"`): `a.UFICommentActorName` (name and profile link),
 *   `.UFICommentBody` (text), the comment's own `abbr[data-utime]` inside its permalink (`?comment_id=`); replies sit in
 *   `.UFIReplyList`. They are comments, never read by the 2020+ reader.
 * Profile URLs drop `?fref=`/`?hc_ref=` (they identify the viewer's session); `profile.php?id=` keeps its id.
 */
import type { PageContext, PlatformExtractor, PostFields } from './types';
import { closestWhere, hrefOf, imageUrls, isoFromUnixSeconds, ownFirst, pathSegments, renderedText, shownName, withoutQuery } from './dom';

function isSharedOriginal(element: Element): boolean {
  return element.matches('div.mtm') && !!element.querySelector('abbr[data-utime]');
}

const CLASSIC_COMMENT = '.UFIComment';

function boundary(element: Element): boolean {
  return element.matches(`.userContentWrapper, [role="article"], ${CLASSIC_COMMENT}`) || isSharedOriginal(element);
}

function findRoot(target: Element): Element | null {
  return closestWhere(target, boundary);
}

/** A profile link's identity: `/agranzot` → handle; `profile.php?id=4` → platform id only. */
function profileOf(href: string | undefined): { handle?: string; profileUrl?: string; platformId?: string } {
  if (!href) return {};
  const url = new URL(href);
  const id = url.searchParams.get('id');
  if (url.pathname === '/profile.php' && id) return { platformId: id, profileUrl: `${url.origin}/profile.php?id=${id}` };
  const [first] = pathSegments(href);
  return { handle: first, profileUrl: withoutQuery(href) };
}

function extractClassic(root: Element, page: PageContext): PostFields {
  const authorLink = ownFirst(root, 'h5 span.fwb a[href], h6 span.fwb a[href], h5 a.profileLink[href], h6 a[href], span.fwb a[href]', boundary);
  const time = ownFirst(root, 'abbr[data-utime]', boundary);
  const permalink = time?.closest('a[href]');
  const text = ownFirst(root, '.userContent, ._5pco', boundary);
  const profile = profileOf(hrefOf(authorLink, page.base));
  return {
    kind: 'post',
    author: authorLink ? { ...profile, displayName: shownName(authorLink) } : undefined,
    postedAt: isoFromUnixSeconds(time?.getAttribute('data-utime')),
    permalink: hrefOf(permalink, page.base),
    text: text ? renderedText(text) || undefined : undefined,
    imageUrls: imageUrls(root, page.base, (image) => !image.closest('.userContent, ._5pco, .mtm, ._46-h, .uiScaledImageContainer')),
    context: sharedOriginal(root, page),
  };
}

/** A share's original post travels as context: what was shared is as much the report's subject as the comment on it. */
function sharedOriginal(root: Element, page: PageContext): PostFields['context'] {
  const original = Array.from(root.querySelectorAll('div.mtm')).find((element) => isSharedOriginal(element) && element !== root && findRoot(element.parentElement ?? element) === root);
  if (!original) return undefined;
  const { author, text, permalink, postedAt } = extractClassic(original, page);
  return { parent: { author, text, permalink, postedAt } };
}

/** An older comment: its own actor link, body and time; the post it is under travels as context. */
function extractClassicComment(root: Element, page: PageContext): PostFields {
  const actor = ownFirst(root, 'a.UFICommentActorName[href]', boundary);
  const body = ownFirst(root, '.UFICommentBody', boundary);
  const time = ownFirst(root, 'abbr[data-utime]', boundary);
  const post = root.parentElement?.closest('.userContentWrapper');
  const parent = post ? extractClassic(post, page) : undefined;
  return {
    kind: root.closest('.UFIReplyList') ? 'reply' : 'comment',
    author: actor ? { ...profileOf(hrefOf(actor, page.base)), displayName: shownName(actor) } : undefined,
    postedAt: isoFromUnixSeconds(time?.getAttribute('data-utime')),
    permalink: hrefOf(time?.closest('a[href]'), page.base),
    text: body ? renderedText(body) || undefined : undefined,
    context: parent ? { parent: { author: parent.author, text: parent.text, permalink: parent.permalink, postedAt: parent.postedAt } } : undefined,
  };
}

function extractFacebook(root: Element, page: PageContext): PostFields {
  if (root.matches(CLASSIC_COMMENT)) return extractClassicComment(root, page);
  return root.matches('.userContentWrapper') || isSharedOriginal(root) ? extractClassic(root, page) : extractCurrent(root, page);
}

const PERMALINK = 'a[href*="/posts/"], a[href*="/permalink/"], a[href*="story_fbid="], a[href*="/videos/"], a[href*="/photo"], a[href*="comment_id="]';

function extractCurrent(root: Element, page: PageContext): PostFields {
  const authorLink = ownFirst(root, 'h2 a[href], h3 a[href], h4 a[href], strong a[href], a[role="link"] > strong', boundary);
  const link = authorLink?.matches('a') ? authorLink : authorLink?.closest('a');
  const text = ownFirst(root, '[data-ad-preview="message"], [data-ad-comet-preview="message"], [data-ad-rendering-role="story_message"]', boundary)
    ?? ownFirst(root, 'div[dir="auto"]', boundary);
  const isComment = /^Comment by/i.test(root.getAttribute('aria-label') ?? '');
  return {
    kind: isComment ? 'comment' : 'post',
    author: link ? { ...profileOf(hrefOf(link, page.base)), displayName: shownName(link) } : undefined,
    permalink: hrefOf(ownFirst(root, PERMALINK, boundary), page.base),
    text: text ? renderedText(text) || undefined : undefined,
    imageUrls: imageUrls(root, page.base, (image) => !!image.closest('svg, [role="img"]')),
  };
}

export const facebook: PlatformExtractor = {
  platform: 'facebook',
  detect: (page) => !!page.document.querySelector(`.userContentWrapper, abbr[data-utime], ${CLASSIC_COMMENT}`),
  findRoot,
  extract: extractFacebook,
};
