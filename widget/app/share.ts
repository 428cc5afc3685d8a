/**
 * What another app shares into the report app (the manifest's `share_target`: title, text, url and pictures), turned
 * into the start of a report's one item. Apps share differently: a browser fills `url`; the X, TikTok, Instagram and
 * Facebook apps on Android put the post's link inside `text` (often after words of their own, "Check out this post");
 * a selection of words comes as `text` alone. So the address is the shared `url`, or else the first web address in the
 * text or the title; the text, without that address, is the post's words (the item's `text`). The title is an app's
 * subject line ("Post by …"), not the poster's words, so it is used only to find an address.
 */
import { LIMITS } from '@/lib/schema/vocabulary';

export interface Shared {
  title?: string;
  text?: string;
  url?: string;
}

export interface SharedItem {
  url: string;
  text: string;
}

const WEB_ADDRESS = /\bhttps?:\/\/[^\s<>"]+/i;

/** A web address as typed into the form: trailing punctuation of the sentence around it is not part of it. */
const trimmed = (address: string) => address.replace(/[.,;:!?)\]}'"…]+$/, '');

export function sharedItem({ title = '', text = '', url = '' }: Shared): SharedItem {
  const found = [url, text, title].map((part) => WEB_ADDRESS.exec(part.trim())?.[0]).find(Boolean);
  const address = found ? trimmed(found) : '';
  const words = (address ? text.replace(address, ' ') : text).replace(/[ \t]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
  return { url: address, text: words.slice(0, LIMITS.capturedText) };
}
