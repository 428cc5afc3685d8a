/**
 * Telegram's web preview (`t.me/s/<channel>`, embedded widgets): `.tgme_widget_message[data-post="<channel>/<id>"]`,
 * the channel in `a.tgme_widget_message_owner_name`, the time in `a.tgme_widget_message_date time[datetime]` (the link
 * is the permalink). A forwarded message keeps its source in `.tgme_widget_message_forwarded_from` — the channel that
 * posted it is the author; the original goes into context. A poll has no message text: its question and options
 * (`.tgme_widget_message_poll`) are the poster's words.
 */
import type { PageContext, PlatformExtractor, PostFields } from './types';
import { absoluteUrl, closestWhere, hrefOf, isoUtc, lineText, renderedText, shownName } from './dom';

function findRoot(target: Element): Element | null {
  return closestWhere(target, (element) => element.matches('.tgme_widget_message[data-post]'));
}

/** Photos are CSS backgrounds: `style="background-image:url('…')"`. */
function backgroundImages(root: Element, page: PageContext): string[] {
  return Array.from(root.querySelectorAll('.tgme_widget_message_photo_wrap[style], .tgme_widget_message_video_thumb[style]'))
    .map((element) => /url\(['"]?([^'")]+)['"]?\)/.exec(element.getAttribute('style') ?? '')?.[1])
    .map((url) => absoluteUrl(url, page.base))
    .filter((url): url is string => url !== undefined);
}

/** A poll's words as a person reads them: the question, then each option on its own line. */
function pollText(root: Element): string | undefined {
  const poll = root.querySelector('.tgme_widget_message_poll');
  if (!poll) return undefined;
  const lines = [poll.querySelector('.tgme_widget_message_poll_question'), ...Array.from(poll.querySelectorAll('.tgme_widget_message_poll_option_text'))]
    .map((element) => lineText(element))
    .filter((line): line is string => !!line);
  return lines.length ? lines.join('\n') : undefined;
}

function extract(root: Element, page: PageContext): PostFields {
  const [channel] = (root.getAttribute('data-post') ?? '').split('/');
  const owner = root.querySelector('.tgme_widget_message_owner_name');
  const date = root.querySelector('a.tgme_widget_message_date');
  const text = Array.from(root.querySelectorAll('.tgme_widget_message_text')).find((element) => !element.closest('.tgme_widget_message_reply'));
  const forwarded = root.querySelector('.tgme_widget_message_forwarded_from_name');
  const reply = root.querySelector('.tgme_widget_message_reply');
  const parent = forwarded
    ? { author: { displayName: shownName(forwarded) }, permalink: hrefOf(forwarded, page.base) }
    : reply
      ? { author: { displayName: shownName(reply.querySelector('.tgme_widget_message_author_name')) }, text: lineText(reply.querySelector('.tgme_widget_message_text')), permalink: hrefOf(reply, page.base) }
      : undefined;
  return {
    kind: 'message',
    author: {
      handle: channel || undefined,
      displayName: shownName(owner),
      profileUrl: hrefOf(owner, page.base) ?? (channel ? absoluteUrl(`https://t.me/${channel}`, page.base) : undefined),
    },
    postedAt: isoUtc(date?.querySelector('time[datetime]')?.getAttribute('datetime')),
    permalink: hrefOf(date, page.base),
    text: (text ? renderedText(text) || undefined : undefined) ?? pollText(root),
    imageUrls: backgroundImages(root, page),
    context: parent ? { parent } : undefined,
  };
}

export const telegram: PlatformExtractor = {
  platform: 'telegram',
  detect: (page) => !!page.document.querySelector('.tgme_widget_message[data-post]'),
  findRoot,
  extract,
};
