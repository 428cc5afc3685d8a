/**
 * YouTube (Polymer web components). Comments: `ytd-comment-view-model` / `ytd-comment-renderer` with `#author-text`
 * (`/@handle`), `#content-text`, and `#published-time-text a` (permalink with `&lc=`; relative time only). The watch
 * page's video: `ytd-watch-flexy`, owner in `ytd-video-owner-renderer`, description in the page's microdata
 * (`meta[itemprop="description"]`; the rendered description also holds chapter UI). `datePublished` is a date without
 * a time, so it is not an exact instant and is left out. The video's title (microdata `name`, else the heading) goes
 * into `title`.
 */
import type { PageContext, PlatformExtractor, PostFields } from './types';
import { absoluteUrl, closestWhere, collapse, hrefOf, pathSegments, renderedText, shownName } from './dom';

const COMMENT = 'ytd-comment-view-model, ytd-comment-renderer';
const WATCH = 'ytd-watch-flexy, ytd-watch-metadata';

function findRoot(target: Element): Element | null {
  return closestWhere(target, (element) => element.matches(COMMENT) || element.matches(WATCH));
}

/** `/@name`, `/c/name`, `/user/name` → a handle; `/channel/UC…` → the channel id. */
function channelOf(url: string | undefined): { handle?: string; platformId?: string } {
  const [first, second] = pathSegments(url);
  if (first?.startsWith('@')) return { handle: first.slice(1) };
  if ((first === 'c' || first === 'user') && second) return { handle: second };
  if (first === 'channel' && second) return { platformId: second };
  return {};
}

function extractComment(root: Element, page: PageContext): PostFields {
  const author = root.querySelector('#author-text, a#author-text, #header-author a[href]');
  const profileUrl = hrefOf(author?.closest('a[href]') ?? author, page.base);
  const name = shownName(author);
  const text = root.querySelector('#content-text');
  return {
    kind: root.closest('ytd-comment-replies-renderer, #replies') ? 'reply' : 'comment',
    author: { ...channelOf(profileUrl), displayName: name?.replace(/^@/, ''), profileUrl },
    permalink: hrefOf(root.querySelector('#published-time-text a[href], .published-time-text a[href]'), page.base),
    text: text ? renderedText(text) || undefined : undefined,
    context: videoContext(page),
  };
}

/** The video a comment was left under, when this is a watch page. */
function videoContext(page: PageContext): PostFields['context'] {
  const watch = page.document.querySelector(WATCH);
  if (!watch) return undefined;
  const { author, text, permalink } = extractVideo(watch, page);
  return { parent: { author, text, permalink } };
}

function extractVideo(root: Element, page: PageContext): PostFields {
  const document = page.document;
  // The video's own owner first: a page may hold more than one video (a feed, a playlist panel).
  const owner = root.querySelector('ytd-video-owner-renderer') ?? document.querySelector('ytd-video-owner-renderer');
  const channelLink = owner?.querySelector('ytd-channel-name a[href]') ?? owner?.querySelector('a[href]');
  const profileUrl = hrefOf(channelLink, page.base);
  const description = document.querySelector('meta[itemprop="description"]')?.getAttribute('content')?.trim();
  const rendered = description ? undefined : document.querySelector('#description-inline-expander yt-attributed-string, #description yt-formatted-string');
  const videoId = root.getAttribute('video-id') ?? document.querySelector('meta[itemprop="videoId"]')?.getAttribute('content');
  const title = document.querySelector('ytd-watch-metadata #title h1, h1.title');
  const channelId = document.querySelector('meta[itemprop="channelId"]')?.getAttribute('content') ?? undefined;
  return {
    kind: 'video',
    author: { ...channelOf(profileUrl), platformId: channelId, displayName: shownName(channelLink), profileUrl },
    title: document.querySelector('[itemtype*="VideoObject"] meta[itemprop="name"]')?.getAttribute('content')?.trim()
      || (title ? collapse(renderedText(title)) : undefined) || undefined,
    permalink: videoId ? absoluteUrl(`/watch?v=${encodeURIComponent(videoId)}`, 'https://www.youtube.com/') : undefined,
    text: description || (rendered ? renderedText(rendered) : undefined) || undefined,
  };
}

export const youtube: PlatformExtractor = {
  platform: 'youtube',
  detect: (page) => !!page.document.querySelector(`${COMMENT}, ytd-app, ${WATCH}`),
  findRoot,
  extract: (root, page) => (root.matches(COMMENT) ? extractComment(root, page) : extractVideo(root, page)),
};
