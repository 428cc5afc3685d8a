/** Which platform an address is on, for a captured item (the extension) or a pasted address (the widget). */
import type { Platform } from '../schema';

/** Hostnames by platform; subdomains (m., www., old.) match too. Mastodon has no fixed host, so it is left to extractors. */
const HOSTS: ReadonlyArray<readonly [Platform, readonly string[]]> = [
  ['x', ['x.com', 'twitter.com']],
  ['facebook', ['facebook.com', 'fb.com']],
  ['instagram', ['instagram.com']],
  ['youtube', ['youtube.com', 'youtu.be']],
  ['tiktok', ['tiktok.com']],
  ['reddit', ['reddit.com']],
  ['bluesky', ['bsky.app']],
  ['telegram', ['t.me', 'telegram.org']],
  ['linkedin', ['linkedin.com']],
];

export function platformOf(url: string): Platform {
  const host = new URL(url).hostname.toLowerCase();
  const match = HOSTS.find(([, hosts]) => hosts.some((known) => host === known || host.endsWith(`.${known}`)));
  return match ? match[0] : 'other';
}
