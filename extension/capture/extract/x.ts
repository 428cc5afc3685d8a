/**
 * X / Twitter (2023– React DOM): a post is `article[data-testid="tweet"]`; a quoted post is a `div[role="link"]` card
 * inside it holding its own `User-Name`. Names sit in `[data-testid="User-Name"]` (display name, then "@handle"),
 * the text in `[data-testid="tweetText"]`, the time in `time[datetime]` whose enclosing link is the permalink.
 */
import type { PageContext, PlatformExtractor, PostFields } from './types';
import { absoluteUrl, closestWhere, hrefOf, imageUrls, isoUtc, lineText, ownAll, ownFirst, renderedText } from './dom';

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

function extract(root: Element, page: PageContext): PostFields {
  const names = ownFirst(root, '[data-testid="User-Name"]', boundary);
  const parts = names ? ownAll(names, 'span, a', () => false).map((element) => lineText(element) ?? '') : [];
  const handle = parts.find((part) => /^@\w{1,15}$/.test(part))?.slice(1);
  const displayName = names ? lineText(names.querySelector('a[role="link"] span, div[dir="ltr"] span') ?? undefined) : undefined;
  const time = ownFirst(root, 'time[datetime]', boundary);
  const permalinkAnchor = time?.closest('a[href*="/status/"]');
  const text = ownFirst(root, '[data-testid="tweetText"]', boundary);
  const quoted = ownAll(root, 'div[role="link"]', () => false).find((element) => element !== root && isQuoteCard(element));
  return {
    kind: 'post',
    author: handle || displayName ? { handle, displayName: displayName?.startsWith('@') ? undefined : displayName, profileUrl: handle ? profileUrl(handle, page) : undefined } : undefined,
    postedAt: isoUtc(time?.getAttribute('datetime')),
    permalink: permalinkAnchor && root.contains(permalinkAnchor) ? hrefOf(permalinkAnchor, page.base) : undefined,
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
