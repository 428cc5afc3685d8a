/**
 * Instagram. The rendered post is an `<article>` with the author link in its `<header>`, `time[datetime]` inside the
 * permalink (`/p/…` or `/reel/…`), and the caption in the first list item. Logged-out pages often serve only a shell:
 * then the post is read from the meta tags — `twitter:title` "Name (@handle) • Instagram photo" and `og:title`
 * `Name on Instagram: "caption"`. The profile URL is not in that shell, so it is left out rather than built.
 */
import type { PageContext, PlatformExtractor, PostFields } from './types';
import { closestWhere, hrefOf, imageUrls, isoUtc, lineText, pathSegments, renderedText } from './dom';
import { nameAndHandle } from './generic';

function findRoot(target: Element): Element | null {
  return closestWhere(target, (element) => element.matches('article') && !!element.querySelector('a[href*="/p/"], a[href*="/reel/"], time[datetime]'));
}

function extract(root: Element, page: PageContext): PostFields {
  const time = root.querySelector('time[datetime]');
  const permalink = time?.closest('a[href]') ?? root.querySelector('a[href*="/p/"], a[href*="/reel/"]');
  const authorLink = Array.from(root.querySelectorAll('header a[href]')).find((link) => lineText(link) && pathSegments(hrefOf(link, page.base)).length === 1);
  const profileUrl = hrefOf(authorLink, page.base);
  const caption = root.querySelector('ul li h1, h1[dir="auto"], ul li span[dir="auto"]');
  return {
    kind: 'post',
    author: authorLink ? { handle: pathSegments(profileUrl)[0], profileUrl } : undefined,
    postedAt: isoUtc(time?.getAttribute('datetime')),
    permalink: hrefOf(permalink, page.base),
    text: caption ? renderedText(caption) || undefined : undefined,
    imageUrls: imageUrls(root, page.base, (image) => !!image.closest('header')),
  };
}

function content(page: PageContext, key: string): string | undefined {
  return page.document.querySelector(`meta[property="${key}"], meta[name="${key}"]`)?.getAttribute('content') ?? undefined;
}

/** Meta-only shell: author from `twitter:title`, caption from the quotes in `og:title`. */
function extractPage(page: PageContext): PostFields {
  const who = nameAndHandle(content(page, 'twitter:title') ?? content(page, 'og:title'));
  const caption = /^.*? on Instagram: "([\s\S]*)"\s*$/.exec(content(page, 'og:title') ?? '')?.[1];
  const [kind] = pathSegments(page.canonicalUrl ?? page.url);
  return {
    kind: kind === 'p' || kind === 'reel' ? 'post' : 'page',
    author: who ? { handle: who.handle, displayName: who.displayName } : undefined,
    text: caption,
    permalink: kind === 'p' || kind === 'reel' ? page.canonicalUrl : undefined,
  };
}

export const instagram: PlatformExtractor = { platform: 'instagram', findRoot, extract, extractPage };
