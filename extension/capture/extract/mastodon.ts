/**
 * Mastodon (any instance, so found by DOM markers, not by address). The web app renders `.status[data-id]` /
 * `.detailed-status` with `.display-name__html` (name), `.display-name__account` ("@user@instance"), the time in
 * `time[datetime]` inside the `a.status__relative-time` / `a.detailed-status__datetime` permalink, and the text in
 * `.status__content__text` / `.status__content`. Public pages also carry microformats (`h-entry`), which the generic
 * extractor reads. The handle is kept as "user@instance", the only form that is unique across the fediverse, and is
 * read from the profile link's address (`https://instance/@user`), never from the "@user" text beside the name.
 */
import type { PageContext, PlatformExtractor, PostFields } from './types';
import { closestWhere, hrefOf, imageUrls, isoUtc, renderedText, shownName } from './dom';
import { atHandleOf } from './generic';

function findRoot(target: Element): Element | null {
  return closestWhere(target, (element) => element.matches('.status[data-id], .detailed-status'));
}

function extract(root: Element, page: PageContext): PostFields {
  const profile = root.querySelector('a.status__display-name, a.detailed-status__display-name');
  const profileUrl = hrefOf(profile, page.base);
  const user = atHandleOf(profileUrl);
  const time = root.querySelector('time[datetime]');
  const permalink = root.querySelector('a.status__relative-time, a.detailed-status__datetime') ?? time?.closest('a[href]');
  const text = root.querySelector('.status__content__text, .status__content');
  return {
    kind: root.closest('.status__wrapper-reply, .status-reply') ? 'reply' : 'post',
    author: {
      handle: user && profileUrl ? (user.includes('@') ? user : `${user}@${new URL(profileUrl).host}`) : undefined,
      displayName: shownName(root.querySelector('.display-name__html, .display-name strong')),
      profileUrl,
    },
    postedAt: isoUtc(time?.getAttribute('datetime')),
    permalink: hrefOf(permalink, page.base),
    text: text ? renderedText(text) || undefined : undefined,
    lang: text?.getAttribute('lang') ?? undefined,
    imageUrls: imageUrls(root, page.base, (image) => !!image.closest('.account__avatar, .emojione, .custom-emoji')),
  };
}

export const mastodon: PlatformExtractor = {
  platform: 'mastodon',
  detect: (page) => !!page.document.querySelector('#mastodon, body.app-body, .status[data-id] .display-name__account'),
  findRoot,
  extract,
};
