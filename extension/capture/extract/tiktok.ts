/**
 * TikTok. Data attributes (`data-e2e`) are the stable hooks:
 * - video page (2022): `[data-e2e="browse-video-desc"]` beside `[data-e2e="browse-username"]` (handle) and
 *   `[data-e2e="browser-nickname"]` (display name, followed by " · 6d ago").
 * - feed / one-column (2024–): `article[data-e2e="recommend-list-item-container"]`, `[data-e2e="video-desc"]`, author
 *   as `a[href="/@handle"]`; the display name, where the feed shows one, in `[data-e2e="video-author-nickname"]`.
 * - comments: `[data-e2e^="comment-level-"]` text beside `[data-e2e^="comment-username-"]` (the nickname) inside
 *   `a[href="/@handle"]`.
 * TikTok shows no exact times (relative text only). The video id encodes its creation time, but that is derived, not
 * shown, so it is left out. A video's permalink is the page's canonical URL only when it is that author's video.
 */
import type { PageContext, PlatformExtractor, PostFields } from './types';
import { absoluteUrl, closestWhere, hrefOf, imageUrls, pathSegments, renderedText, shownName, shownNameText } from './dom';

const COMMENT_TEXT = '[data-e2e^="comment-level-"]';
const COMMENT_NAME = '[data-e2e^="comment-username-"]';
const FEED_ITEM = '[data-e2e="recommend-list-item-container"]';

/** The smallest ancestor holding both the comment text and its author. */
function commentRoot(target: Element): Element | null {
  const inside = closestWhere(target, (element) => element.matches(COMMENT_TEXT) || element.matches(COMMENT_NAME));
  const start = inside ?? (target.querySelector(COMMENT_TEXT) ? target : null);
  if (!start) return null;
  return closestWhere(start, (element) => !!element.querySelector(COMMENT_NAME) && !!element.querySelector(COMMENT_TEXT));
}

function findRoot(target: Element): Element | null {
  return (
    commentRoot(target) ??
    closestWhere(target, (element) => element.matches(FEED_ITEM)) ??
    closestWhere(target, (element) => !!element.querySelector('[data-e2e="browse-username"]') && !!element.querySelector('[data-e2e="browse-video-desc"]'))
  );
}

function handleOf(href: string | undefined): string | undefined {
  const first = pathSegments(href)[0];
  return first?.startsWith('@') ? first.slice(1) : undefined;
}

/** The canonical `/@handle/video/<id>` is this video's permalink only if it is by the same author. */
function videoPermalink(handle: string | undefined, page: PageContext): string | undefined {
  const canonical = page.canonicalUrl ?? page.url;
  const [who, video] = pathSegments(canonical);
  return handle && who === `@${handle}` && video === 'video' ? canonical : undefined;
}

function extractComment(root: Element, page: PageContext): PostFields {
  const name = root.querySelector(COMMENT_NAME);
  const link = name?.closest('a[href]') ?? root.querySelector('a[href^="/@"]');
  const profileUrl = hrefOf(link, page.base);
  const text = root.querySelector(COMMENT_TEXT);
  return {
    kind: /comment-level-[2-9]/.test(text?.getAttribute('data-e2e') ?? '') ? 'reply' : 'comment',
    author: { handle: handleOf(profileUrl), displayName: shownName(name), profileUrl },
    text: text ? renderedText(text) || undefined : undefined,
    context: videoContext(page),
  };
}

/** The video a comment was left under, when the page shows one. */
function videoContext(page: PageContext): PostFields['context'] {
  const desc = page.document.querySelector('[data-e2e="browse-video-desc"], [data-e2e="video-desc"]');
  const root = desc && findRoot(desc);
  if (!root) return undefined;
  const { author, text, permalink } = extractVideo(root, page);
  return { parent: { author, text, permalink } };
}

function extractVideo(root: Element, page: PageContext): PostFields {
  const username = root.querySelector('[data-e2e="browse-username"]');
  const nickname = root.querySelector('[data-e2e="browser-nickname"]');
  const feedNickname = root.querySelector('[data-e2e="video-author-nickname"]');
  const link = username?.closest('a[href]') ?? Array.from(root.querySelectorAll('a[href^="/@"]')).find((anchor) => !anchor.closest('[data-e2e="video-desc"], [data-e2e="browse-video-desc"]'));
  const profileUrl = hrefOf(link, page.base);
  const handle = handleOf(profileUrl);
  // The video page's nickname is followed by " · 6d ago" in the same element: its first text node is the name.
  const nicknameText = nickname?.firstChild?.nodeType === 3 ? shownNameText(nickname.firstChild.nodeValue ?? undefined) : shownName(feedNickname);
  const desc = root.querySelector('[data-e2e="browse-video-desc"], [data-e2e="video-desc"]');
  return {
    kind: 'video',
    author: { handle, displayName: nicknameText || undefined, profileUrl: profileUrl ?? (handle ? absoluteUrl(`/@${handle}`, page.base) : undefined) },
    permalink: videoPermalink(handle, page),
    text: desc ? renderedText(desc, (element) => /^v2t-/.test(element.getAttribute('data-e2e') ?? '')) || undefined : undefined,
    imageUrls: imageUrls(root, page.base, (image) => !!image.closest('[data-e2e$="avatar"]')),
  };
}

export const tiktok: PlatformExtractor = {
  platform: 'tiktok',
  detect: (page) => !!page.document.querySelector(`${FEED_ITEM}, [data-e2e="browse-video-desc"], ${COMMENT_TEXT}`),
  findRoot,
  extract: (root, page) => (root.querySelector(COMMENT_NAME) && !root.querySelector('[data-e2e="browse-username"], [data-e2e="video-desc"]') ? extractComment(root, page) : extractVideo(root, page)),
};
