/**
 * Reddit, both DOMs still met in the wild:
 * - old/classic (`old.reddit.com`, and what www served until 2018): `.thing[data-fullname]` with its own `.entry`
 *   holding `.tagline a.author`, `time[datetime]`, `.usertext-body .md` and `a.bylink` (permalink). Nested replies are
 *   `.thing`s inside `.child`, so everything is read from the thing's own `.entry` only.
 * - new (2018–2023 React): `[data-testid="post-container"]` and `div.Comment.t1_…`, with `a[data-testid=
 *   "comment_timestamp"]` (permalink, relative time only), `[data-testid="comment"]` body, `a[href^="/user/"]` author.
 * Reddit shows no display names: only the username. A post's title (`a.title`, new Reddit's title heading, shreddit's
 * `post-title` attribute) goes into `title`: on a link post it is the only thing the poster wrote.
 */
import type { PageContext, PlatformExtractor, PostFields } from './types';
import { closestWhere, collapse, hrefOf, imageUrls, isoUtc, pathSegments, renderedText } from './dom';

const OLD_THING = '.thing[data-fullname]';
const NEW_POST = '[data-testid="post-container"], shreddit-post';
const NEW_COMMENT = 'div.Comment, shreddit-comment';

function findRoot(target: Element): Element | null {
  return closestWhere(
    target,
    (element) =>
      (element.matches(OLD_THING) && !element.classList.contains('morechildren')) ||
      element.matches(NEW_POST) ||
      element.matches(NEW_COMMENT),
  );
}

function userFromUrl(url: string | undefined): string | undefined {
  const [first, second] = pathSegments(url);
  return (first === 'user' || first === 'u') && second ? second : undefined;
}

function extractOld(root: Element, page: PageContext): PostFields {
  const entry = Array.from(root.children).find((child) => child.classList.contains('entry'));
  if (!entry) return {};
  const authorLink = entry.querySelector('.tagline a.author');
  const profileUrl = hrefOf(authorLink, page.base);
  const isPost = (root.getAttribute('data-fullname') ?? '').startsWith('t3_');
  const body = entry.querySelector('.usertext-body .md');
  const permalink = entry.querySelector('a.bylink, a.comments');
  return {
    kind: isPost ? 'post' : 'comment',
    author: authorLink ? { handle: userFromUrl(profileUrl), profileUrl } : undefined,
    postedAt: isoUtc(entry.querySelector('.tagline time[datetime]')?.getAttribute('datetime')),
    title: isPost ? titleText(entry.querySelector('a.title')) : undefined,
    text: body ? renderedText(body) || undefined : undefined,
    permalink: hrefOf(permalink, page.base),
    imageUrls: imageUrls(entry, page.base),
    context: parentOf(root, page),
  };
}

/** A classic-Reddit comment's parent is the `.thing` it is nested in (a comment, or the post for top-level ones). */
function parentOf(root: Element, page: PageContext): PostFields['context'] {
  const parentThing = root.parentElement?.closest(OLD_THING);
  const post = parentThing ?? (root.matches('.comment') ? page.document.querySelector(`${OLD_THING}.link`) : null);
  if (!post || post === root) return undefined;
  const { author, text, permalink, postedAt } = extractOld(post, page);
  return { parent: { author, text, permalink, postedAt } };
}

function titleText(element: Element | null | undefined): string | undefined {
  return element ? collapse(renderedText(element)) || undefined : undefined;
}

function extractNew(root: Element, page: PageContext): PostFields {
  const isComment = root.matches(NEW_COMMENT);
  // Nested replies live beside, not inside, a new-Reddit comment; only the shreddit web components nest.
  const authorLink = root.querySelector('a[data-testid="comment_author_link"], a[data-testid="post_author_link"], a[data-testid="comment_author_icon"], a[href^="/user/"], a[href^="/u/"]');
  const profileUrl = hrefOf(authorLink, page.base);
  const id = (root.id || Array.from(root.classList).find((name) => /^t[13]_/.test(name)) || '').replace(/^t[13]_/, '');
  const permalinkAnchor = isComment
    ? root.querySelector('a[data-testid="comment_timestamp"]')
    : Array.from(root.querySelectorAll('a[href*="/comments/"]')).find((link) => (link.getAttribute('href') ?? '').includes(`/comments/${id}/`));
  const body = isComment ? root.querySelector('[data-testid="comment"]') : root.querySelector('[data-click-id="text"], [data-test-id="post-content"] .RichTextJSON-root');
  const time = root.querySelector('time[datetime]');
  return {
    kind: isComment ? 'comment' : 'post',
    author: profileUrl ? { handle: userFromUrl(profileUrl), profileUrl } : undefined,
    postedAt: isoUtc(time?.getAttribute('datetime')),
    title: isComment ? undefined : root.getAttribute('post-title') ?? titleText(root.querySelector('[data-adclicklocation="title"] h1, [data-adclicklocation="title"] h3, [slot="title"]')),
    text: body ? renderedText(body) || undefined : undefined,
    permalink: hrefOf(permalinkAnchor, page.base),
    imageUrls: imageUrls(body ?? root, page.base),
  };
}

export const reddit: PlatformExtractor = {
  platform: 'reddit',
  detect: (page) => !!page.document.querySelector(`${OLD_THING}, ${NEW_POST}, ${NEW_COMMENT}`),
  findRoot,
  extract: (root, page) => (root.matches(OLD_THING) ? extractOld(root, page) : extractNew(root, page)),
};
