import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { capturePage, RestrictedPageError, TabNotShowingError } from '../../../extension/capture/page';
import { decodeDataUrl, pngSize } from '../../../extension/capture/image';
import { platformOf } from '../../../lib/report/platform';
import { Item } from '../../../lib/schema';
import { makePng, pngDataUrl } from '../../fixtures/png';

const deps = { captureVisibleTab: async () => pngDataUrl(64, 40), now: () => new Date('2026-11-25T12:00:00Z') };

describe('capturePage', () => {
  it('makes a valid item whose evidence hash is the SHA-256 of the screenshot bytes', async () => {
    const tab = { windowId: 1, active: true, url: 'https://www.reddit.com/r/x/comments/1', title: 'A thread' };
    const { item, artefacts } = await capturePage(tab, deps);
    expect(Item.parse(item)).toEqual(item);
    expect(item).toMatchObject({ platform: 'reddit', kind: 'page', pageTitle: 'A thread', capturedAt: '2026-11-25T12:00:00.000Z' });
    const [artefact] = artefacts;
    expect(item.evidence).toEqual([
      { sha256: artefact!.sha256, mediaType: 'image/png', bytes: artefact!.bytes.byteLength, kind: 'screenshot', width: 64, height: 40 },
    ]);
    expect(createHash('sha256').update(artefact!.bytes).digest('hex')).toBe(artefact!.sha256);
  });

  it('refuses browser pages and tabs that are not showing', async () => {
    await expect(capturePage({ windowId: 1, active: true, url: 'chrome://settings' }, deps)).rejects.toBeInstanceOf(RestrictedPageError);
    await expect(capturePage({ windowId: 1, active: true }, deps)).rejects.toBeInstanceOf(RestrictedPageError);
    await expect(capturePage({ windowId: 1, active: false, url: 'https://example.org/' }, deps)).rejects.toBeInstanceOf(TabNotShowingError);
  });

  it('leaves out a title the tab does not have', async () => {
    const { item } = await capturePage({ windowId: 1, active: true, url: 'https://example.org/' }, deps);
    expect('pageTitle' in item).toBe(false);
  });
});

describe('screenshot decoding', () => {
  it('reads the media type, bytes and PNG size', () => {
    const { mediaType, bytes } = decodeDataUrl(pngDataUrl(3, 7));
    expect(mediaType).toBe('image/png');
    expect(pngSize(bytes)).toEqual({ width: 3, height: 7 });
    expect(bytes).toEqual(makePng(3, 7));
  });

  it('rejects what is not a base64 data URL or not a PNG', () => {
    expect(() => decodeDataUrl('https://example.org/a.png')).toThrow();
    expect(pngSize(new Uint8Array([0xff, 0xd8, 0xff]))).toBeUndefined();
  });
});

describe('platformOf', () => {
  it.each([
    ['https://x.com/a/status/1', 'x'],
    ['https://mobile.twitter.com/a', 'x'],
    ['https://old.reddit.com/r/a', 'reddit'],
    ['https://bsky.app/profile/a', 'bluesky'],
    ['https://web.telegram.org/k/', 'telegram'],
    ['https://notfacebook.com/', 'other'],
  ])('%s is %s', (url, platform) => {
    expect(platformOf(url)).toBe(platform);
  });
});
