/**
 * Finding the person's own account on real saved platform pages (issue 23): each page gets a signed-in header in
 * that platform's own markup (the saved pages were taken signed out, or with only an avatar), and the finder must
 * pick out exactly the header's marks and the account's own posts, read the handle from the profile link only, and
 * never take the reported post as the person's own.
 */
import { describe, expect, it } from 'vitest';
import { extractPost } from '../../../extension/capture/extract';
import { readPostInPage } from '../../../extension/capture/extract/in-page';
import { findSelf } from '../../../extension/capture/extract/self';
import { loadFixture, pageUrlOf, readManifest, resolveRootHint, targetInside } from './fixture-pages';

const manifest = readManifest();

function page(file: string, header: string) {
  const entry = manifest.find((candidate) => candidate.file === file)!;
  const loaded = loadFixture(entry);
  loaded.document.body.insertAdjacentHTML('afterbegin', header);
  return { entry, ...loaded };
}

function found(file: string, header: string, reportedPost: number) {
  const { entry, window, document } = page(file, header);
  try {
    const root = resolveRootHint(document, entry.posts[reportedPost]!.root_hint!)!;
    const post = extractPost(document, targetInside(root), pageUrlOf(entry));
    const self = findSelf(post.item.platform, post.page, post.root);
    return {
      handle: self.handle,
      account: self.elements.filter((element) => element.reason === 'account').map(({ element }) => element.getAttribute('data-check') ?? element.localName),
      own: self.elements.filter((element) => element.reason === 'own_post').map(({ element }) => element),
      root: post.root,
      document,
      close: () => void window.happyDOM.close(),
    };
  } catch (error) {
    void window.happyDOM.close();
    throw error;
  }
}

// Each header's display name reads "@someoneelse": a name is never taken for the handle.
const HEADERS = {
  x: `<nav><a data-check="x-profile" data-testid="AppTabBar_Profile_Link" href="/nate_reports" aria-label="Profile">Profile</a>
      <button data-check="x-switcher" data-testid="SideNav_AccountSwitcher_Button"><div data-testid="UserAvatar-Container-nate_reports"><img alt=""></div>
      <span>@someoneelse</span><span>@nate_reports</span></button></nav>`,
  bluesky: `<nav><a data-check="bsky-profile" aria-label="Profile" href="/profile/nate.bsky.social"><img data-testid="userAvatarImage" alt=""> @someoneelse</a></nav>`,
  reddit: `<div id="header-bottom-right"><span class="user" data-check="reddit-user"><a href="https://www.reddit.com/user/Redryanhood/">@someoneelse</a>&nbsp;(<span class="userkarma">12</span>)</span></div>`,
  facebook: `<div role="banner"><a data-check="fb-profile" data-testid="blue_bar_profile_link" href="https://www.facebook.com/agranzot"><img alt=""><span>@someoneelse</span></a></div>`,
  tiktok: `<header><a data-check="tt-profile" data-e2e="nav-profile" href="/@littleriina"><span data-e2e="profile-icon"><img alt=""></span>@someoneelse</a></header>`,
  linkedin: `<div class="feed-identity-module" data-check="li-card"><a href="https://www.linkedin.com/in/zoekibbey/">@someoneelse</a></div>`,
};

describe('the signed-in account on real platform pages', () => {
  it('X: the side-nav profile link and account switcher; the handle from the link, not the "@someoneelse" name', () => {
    const result = found('x/mnemosyne-tweet-timeline.html', HEADERS.x, 0);
    expect(result.handle).toBe('nate_reports');
    expect(result.account.sort()).toEqual(['x-profile', 'x-switcher']);
    expect(result.own).toEqual([]);
    result.close();
  });

  it('X: the person’s own post quoted by the reported post is theirs, the reported post is not', () => {
    const header = HEADERS.x.replaceAll('nate_reports', 'cedar_xr');
    const result = found('x/mnemosyne-quote-tweet.html', header, 0);
    expect(result.handle).toBe('cedar_xr');
    expect(result.own).toHaveLength(1);
    expect(result.own[0]!.matches('div[role="link"]')).toBe(true);
    expect(result.root!.contains(result.own[0]!)).toBe(true);
    result.close();
    // Reporting the quoted card itself: the card is what is reported, so it is not hidden.
    const reportingTheCard = found('x/mnemosyne-quote-tweet.html', header, 1);
    expect(reportingTheCard.own).toEqual([]);
    reportingTheCard.close();
  });

  it('Bluesky: the nav profile link; the account’s own replies in the thread, not the reported one', () => {
    const header = HEADERS.bluesky.replace('nate.bsky.social', 'glendunlap.bsky.social');
    const result = found('bluesky/metascraper-thread-image-post.html', header, 1);
    expect(result.handle).toBe('glendunlap.bsky.social');
    expect(result.account).toEqual(['bsky-profile']);
    // The thread's first post and its later reply are the account's; the reported reply (post 1) is someone else's.
    expect(result.own.length).toBeGreaterThanOrEqual(2);
    for (const own of result.own) expect(own.getAttribute('data-testid')).toBe('postThreadItem-by-glendunlap.bsky.social');
    result.close();
  });

  it('classic Reddit: the user link in the header; the account’s comments on the thread', () => {
    const result = found('reddit/oldreddit-2016-comments-science-ama.html', HEADERS.reddit, 1);
    expect(result.handle).toBe('Redryanhood');
    expect(result.account).toContain('reddit-user');
    expect(result.own.map((element) => element.getAttribute('data-author'))).toEqual(['Redryanhood']);
    result.close();
  });

  it('new Reddit (2019): the user menu button of the saved, signed-in page', () => {
    const result = found('reddit/newreddit-2019-comments-askreddit.html', '', 1);
    expect(result.account).toContain('button');
    expect(result.handle).toBeUndefined();
    result.close();
  });

  it('Facebook (2016): the blue bar’s profile link, its handle from the link', () => {
    const result = found('facebook/feed2016-shared-post.html', HEADERS.facebook, 0);
    expect(result.handle).toBe('agranzot');
    expect(result.account).toContain('fb-profile');
    result.close();
  });

  it('TikTok: the nav profile link and avatar; the account’s own comment under the video', () => {
    const result = found('tiktok/trex-video-page-with-comments.html', HEADERS.tiktok, 1);
    expect(result.handle).toBe('littleriina');
    expect(result.account).toContain('tt-profile');
    expect(result.own).toHaveLength(1);
    result.close();
  });

  it('YouTube: the saved page’s own signed-in avatar button', () => {
    const result = found('youtube/postlight-watch-page.html', '', 0);
    expect(result.account).toContain('button');
    result.close();
  });

  it('LinkedIn: the identity card; the account’s own comment on the article', () => {
    const result = found('linkedin/postlight-pulse-article.html', HEADERS.linkedin, 2);
    expect(result.handle).toBe('zoekibbey');
    expect(result.account).toContain('li-card');
    expect(result.own).toHaveLength(1);
    result.close();
  });

  it('a page with no signed-in marks finds nothing', () => {
    const result = found('telegram/tme-s-channel-topwar.html', '', 0);
    expect(result).toMatchObject({ handle: undefined, account: [], own: [] });
    result.close();
  });
});

describe('the snapshot an anonymous report sends', () => {
  it('empties the person’s own quoted post inside the reported one, and leaves the live page alone', () => {
    const { entry, window, document } = page('x/mnemosyne-quote-tweet.html', HEADERS.x.replaceAll('nate_reports', 'cedar_xr'));
    try {
      const root = resolveRootHint(document, entry.posts[0]!.root_hint!)!;
      const before = root.outerHTML;
      const read = readPostInPage(document, targetInside(root), '2026-12-06T08:00:00.000Z');
      expect(read.self?.handle).toBe('cedar_xr');
      expect(read.snapshotHtml).toContain('Chinese in USA');
      const hidden = read.self!.hiddenSnapshotHtml!;
      expect(hidden).toContain('data-ohr-hidden="own_post"');
      expect(hidden).not.toContain('Chinese in USA');
      expect(hidden).not.toContain('cedar_xr');
      expect(root.outerHTML).toBe(before);
    } finally {
      void window.happyDOM.close();
    }
  });
});
