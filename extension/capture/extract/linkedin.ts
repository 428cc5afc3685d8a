/**
 * LinkedIn. Feed posts: `[data-urn^="urn:li:activity:"]` with `.update-components-actor__meta-link` (author) and
 * `.update-components-text` (text); the urn gives the permalink `/feed/update/<urn>/`. Public Pulse articles:
 * `article.article-content` with the author card `.main-author-card` beside it; comments: `section.comment` with
 * `a.comment__actor-name` and `.comment__message`. Times are relative ("6y") or dates, never exact instants.
 * Profile URLs keep their country host (uk., ca.) and drop `?trk=`.
 */
import type { PageContext, PlatformExtractor, PostFields } from './types';
import { absoluteUrl, closestWhere, collapse, hrefOf, pathSegments, renderedText, shownName, withoutQuery } from './dom';

const POST = '[data-urn^="urn:li:activity:"], .feed-shared-update-v2';

function findRoot(target: Element): Element | null {
  return closestWhere(target, (element) => element.matches('section.comment, article.comments-comment-item, article.comments-comment-entity') || element.matches(POST) || element.matches('article.article-content'));
}

function person(link: Element | null | undefined, page: PageContext, name?: string) {
  const profileUrl = withoutQuery(hrefOf(link, page.base));
  const [first, second] = pathSegments(profileUrl);
  return { handle: first === 'in' || first === 'company' ? second : undefined, displayName: name ?? shownName(link), profileUrl };
}

function extract(root: Element, page: PageContext): PostFields {
  if (root.matches('article.article-content')) {
    const card = root.querySelector('.main-author-card') ?? page.document.querySelector('.main-author-card');
    const link = card?.querySelector('a.base-card__full-link, a[href*="/in/"]');
    const name = shownName(card?.querySelector('.base-main-card__title'));
    const body = root.querySelector('.article-content__body') ?? root;
    const title = root.querySelector('.article-content__title, h1');
    return {
      kind: 'post',
      author: link ? person(link, page, name) : undefined,
      title: title ? collapse(renderedText(title)) || undefined : undefined,
      permalink: page.canonicalUrl,
      text: renderedText(body) || undefined,
    };
  }
  if (root.matches(POST)) {
    const actor = root.querySelector('a.update-components-actor__meta-link, a.update-components-actor__image, .feed-shared-actor a[href]');
    const name = shownName(root.querySelector('.update-components-actor__title span[aria-hidden="true"], .update-components-actor__name span[aria-hidden="true"]'));
    const urn = root.getAttribute('data-urn');
    const text = root.querySelector('.update-components-text, .feed-shared-update-v2__description');
    return {
      kind: 'post',
      author: actor ? person(actor, page, name) : undefined,
      permalink: urn ? absoluteUrl(`/feed/update/${urn}/`, 'https://www.linkedin.com/') : undefined,
      text: text ? renderedText(text) || undefined : undefined,
    };
  }
  const actor = root.querySelector('a.comment__actor-name, a.comments-post-meta__actor-link, a.comments-comment-meta__description-container');
  const text = root.querySelector('.comment__message, .comments-comment-item__main-content, .comments-comment-item-content-body');
  return { kind: 'comment', author: actor ? person(actor, page) : undefined, text: text ? renderedText(text) || undefined : undefined };
}

export const linkedin: PlatformExtractor = {
  platform: 'linkedin',
  detect: (page) => !!page.document.querySelector(`${POST}, section.comment .comment__actor-name`),
  findRoot,
  extract,
};
