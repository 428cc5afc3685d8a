/**
 * X / Twitter (2023– React DOM): a post is `article[data-testid="tweet"]`; a quoted post is a `div[role="link"]` card
 * inside it holding its own `User-Name`. Names sit in `[data-testid="User-Name"]` (display name, then "@handle"),
 * the text in `[data-testid="tweetText"]`, the time in `time[datetime]` whose enclosing link is the permalink. A
 * promoted post has no time link; its own action links (`/<handle>/status/<id>/analytics`, `/photo/1`) still carry it.
 * The handle comes only from the profile link's href (`/<handle>`) or the avatar's `data-testid`, never from the
 * "@handle" text: a display name may
 * itself read "@someoneelse", and taking it would name an innocent person.
 */
import type { PageContext, PlatformExtractor, PostFields } from './types';
import { absoluteUrl, closestWhere, hrefOf, imageUrls, isoUtc, ownAll, ownFirst, pathSegments, renderedText, shownName } from './dom';

const TWEET = 'article[data-testid="tweet"]';

function isQuoteCard(element: Element): boolean {
  return element.matches('div[role="link"]') && !!element.querySelector('[data-testid="User-Name"]') && !!element.closest(TWEET);
}

/** Inside a tweet, the quoted card and any nested tweet are other posts. */
function boundary(element: Element): boolean {
  return element.matches(TWEET) || isQuoteCard(element);
}

function findRoot(target: Element): Element | null {
  return closestWhere(target, (element) => element.matches(TWEET) || isQuoteCard(element));
}

/** The profile base: x.com unless the page is twitter.com; X profiles are always at `/<handle>`. */
function profileUrl(handle: string, page: PageContext): string | undefined {
  const host = /(^|\.)twitter\.com$/.test(new URL(page.base).hostname) ? 'https://twitter.com' : 'https://x.com';
  return absoluteUrl(`/${handle}`, page.base.startsWith(host) ? page.base : host);
}

/** Paths under x.com that are not profiles, so a link to them never names an account. */
const NOT_PROFILES = new Set(['i', 'home', 'explore', 'search', 'hashtag', 'notifications', 'messages', 'settings', 'compose', 'intent', 'share']);

/** The account a `User-Name` block links to: the first link whose href is exactly `/<handle>`. */
function handleOf(names: Element, page: PageContext): string | undefined {
  for (const link of Array.from(names.querySelectorAll('a[href]'))) {
    const segments = pathSegments(hrefOf(link, page.base));
    if (segments.length === 1 && /^\w{1,15}$/.test(segments[0]!) && !NOT_PROFILES.has(segments[0]!.toLowerCase())) return segments[0];
  }
  return undefined;
}

/** A quoted card's name is not a link; its avatar's machine id (`UserAvatar-Container-<handle>`) names the account. */
function avatarHandle(root: Element): string | undefined {
  const avatar = ownFirst(root, '[data-testid^="UserAvatar-Container-"]', boundary);
  const handle = avatar?.getAttribute('data-testid')?.slice('UserAvatar-Container-'.length);
  return handle && /^\w{1,15}$/.test(handle) ? handle : undefined;
}

/**
 * Without a time link (promoted posts), the post's address from its own links under `/<handle>/status/<id>/…`, taken
 * only when the path names the post's author: a quoted card's links are outside `root`'s own subtree anyway.
 */
function statusPathOf(root: Element, handle: string | undefined, page: PageContext): string | undefined {
  if (!handle) return undefined;
  for (const link of ownAll(root, 'a[href*="/status/"]', boundary)) {
    const [owner, status, id] = pathSegments(hrefOf(link, page.base));
    if (owner?.toLowerCase() === handle.toLowerCase() && status === 'status' && id && /^\d+$/.test(id)) {
      return absoluteUrl(`/${owner}/status/${id}`, hrefOf(link, page.base)!);
    }
  }
  return undefined;
}

function extract(root: Element, page: PageContext): PostFields {
  const names = ownFirst(root, '[data-testid="User-Name"]', boundary);
  const handle = (names ? handleOf(names, page) : undefined) ?? avatarHandle(root);
  // The display name is the first block of the name link as shown, even when it begins with "@".
  const displayName = names ? shownName(names.querySelector('a[role="link"] span, div[dir="ltr"] span') ?? undefined) : undefined;
  const time = ownFirst(root, 'time[datetime]', boundary);
  const permalinkAnchor = time?.closest('a[href*="/status/"]');
  const text = ownFirst(root, '[data-testid="tweetText"]', boundary);
  const quoted = ownAll(root, 'div[role="link"]', () => false).find((element) => element !== root && isQuoteCard(element));
  return {
    kind: 'post',
    author: handle || displayName ? { handle, displayName, profileUrl: handle ? profileUrl(handle, page) : undefined } : undefined,
    postedAt: isoUtc(time?.getAttribute('datetime')),
    permalink: permalinkAnchor && root.contains(permalinkAnchor) ? hrefOf(permalinkAnchor, page.base) : statusPathOf(root, handle, page),
    text: text ? renderedText(text) || undefined : undefined,
    lang: text?.getAttribute('lang') ?? undefined,
    imageUrls: imageUrls(root, page.base, (image) => !image.closest('[data-testid="tweetPhoto"]')),
    context: quoted && !isQuoteCard(root) ? { parent: quotedContext(quoted, page) } : undefined,
  };
}

/** A quoted post travels as context: what the reported post was pointing at. */
function quotedContext(card: Element, page: PageContext) {
  const fields = extract(card, page);
  return { author: fields.author, text: fields.text, postedAt: fields.postedAt, permalink: fields.permalink };
}

export const x: PlatformExtractor = {
  platform: 'x',
  detect: (page) => !!page.document.querySelector(TWEET),
  findRoot,
  extract,
};
