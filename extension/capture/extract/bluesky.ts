/**
 * Bluesky (bsky.app, React Native Web): thread items are `[data-testid="postThreadItem-by-<handle>"]`, feed items
 * `[data-testid="feedItem-by-<handle>"]`. Profile links are `/profile/<handle>`; the name link's text is wrapped in
 * bidi isolates. A reply's permalink is the link whose tooltip is its local time (no timezone in the DOM, so no time);
 * the thread's anchor post has no such link, only its `/reposted-by` and `/liked-by` counters under its permalink.
 */
import type { PageContext, PlatformExtractor, PostFields } from './types';
import { absoluteUrl, closestWhere, imageUrls, pathSegments, renderedText, shownNameText } from './dom';

const ITEM = /^(postThreadItem|feedItem|postThreadAnchor)-by-(.+)$/;

function itemHandle(element: Element): string | undefined {
  return ITEM.exec(element.getAttribute('data-testid') ?? '')?.[2];
}

function findRoot(target: Element): Element | null {
  return closestWhere(target, (element) => itemHandle(element) !== undefined);
}

/** "/profile/<handle>/post/<rkey>" (optionally followed by "/liked-by" etc.) → the post's own path. */
function postPath(href: string | null): string | undefined {
  const match = href ? /^(\/profile\/[^/]+\/post\/[^/?#]+)/.exec(href) : null;
  return match?.[1];
}

/** The thread's anchor post (the page's own post), as context for a reply read on the same page. */
function threadContext(root: Element, page: PageContext): PostFields['context'] {
  const anchor = page.document.querySelector('[data-testid="postThreadScreen"] [data-testid^="postThreadItem-by-"]');
  if (!anchor || anchor === root) return undefined;
  const { author, text, permalink } = readPost(anchor, page);
  return { thread: [{ author, text, permalink }] };
}

function extract(root: Element, page: PageContext): PostFields {
  return { ...readPost(root, page), context: threadContext(root, page) };
}

function readPost(root: Element, page: PageContext): PostFields {
  const handle = itemHandle(root);
  const profilePath = `/profile/${handle}`;
  const profileLinks = Array.from(root.querySelectorAll(`a[href="${profilePath}"]`));
  // The name link holds the name and the "@handle" as two blocks; the name is the first block that is not the account's
  // own "@handle" label. A name that itself begins with "@" is still the name, kept as shown.
  const nameLink = profileLinks
    .filter((link) => !link.querySelector('img, [data-testid="userAvatarImage"]'))
    .flatMap((link) => renderedText(link).split('\n'))
    .map((text) => shownNameText(text))
    .find((text): text is string => !!text && text !== `@${handle}`);
  const postLinks = Array.from(root.querySelectorAll('a[href^="/profile/"]'))
    .map((link) => postPath(link.getAttribute('href')))
    .filter((path): path is string => !!path && path.startsWith(`${profilePath}/post/`));
  const textElement = Array.from(root.querySelectorAll('div[dir="auto"]')).find(
    (element) => !element.closest('a, button') && !element.hasAttribute('data-testid') && !element.querySelector('[data-testid]'),
  );
  const profileUrl = absoluteUrl(profilePath, page.base);
  return {
    kind: pathSegments(page.canonicalUrl ?? page.url)[3] === postLinks[0]?.split('/')[4] ? 'post' : 'reply',
    author: { handle, displayName: nameLink, profileUrl },
    permalink: postLinks[0] ? absoluteUrl(postLinks[0], page.base) : undefined,
    text: textElement ? renderedText(textElement) || undefined : undefined,
    imageUrls: imageUrls(root, page.base, (image) => !!image.closest('[data-testid="userAvatarImage"]')),
  };
}

export const bluesky: PlatformExtractor = {
  platform: 'bluesky',
  detect: (page) => !!page.document.querySelector('[data-testid^="postThreadItem-by-"], [data-testid^="feedItem-by-"]'),
  findRoot,
  extract,
};
