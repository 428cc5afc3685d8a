/**
 * The person's own account on the page they capture (issue 23): the signed-in account's name, handle and avatar in
 * the platform's header, menus and reply boxes, and their own posts in the thread. An anonymous report hides all of
 * these in its screenshots (`hiding.ts`), so a picture of the page does not say who reported it.
 *
 * Found by the platforms' machine markers only (test ids, element ids, link targets), never by reading names: the
 * signed-in handle comes from the link to the account's own profile, as every identity field does (issue 21). A
 * marker that matches nothing finds nothing; nothing here guesses.
 */
import type { Platform } from '@/lib/schema';
import { hrefOf, pathSegments } from './dom';
import { attempt, EXTRACTORS } from './index';
import type { PageContext } from './types';

/** Why an area is hidden: the signed-in account's own marks, or a post it wrote. */
export type SelfReason = 'account' | 'own_post';

export interface SelfElement {
  element: Element;
  reason: SelfReason;
}

export interface SelfFound {
  /** The signed-in account's handle, read from the link to its own profile (absent when no such link is on the page). */
  handle?: string;
  elements: SelfElement[];
}

interface SelfMarkers {
  /** Elements that show the signed-in account: its avatar button, its name in the menu, the avatar beside a reply box. */
  account: string;
  /** A link (or an element inside one) to the signed-in account's own profile, and which path segment is the handle. */
  profileLink?: { selector: string; segment: (segments: string[]) => string | undefined };
  /** Post roots to read for the account's own posts (each read by the platform's own extractor). */
  posts?: string;
}

const first = (segments: string[]) => segments[0];
const afterUser = (segments: string[]) => (segments[0] === 'user' || segments[0] === 'u' ? segments[1] : undefined);
const atHandle = (segments: string[]) => (segments[0]?.startsWith('@') ? segments[0].slice(1) : undefined);
const afterProfile = (segments: string[]) => (segments[0] === 'profile' ? segments[1] : undefined);
const afterIn = (segments: string[]) => (segments[0] === 'in' ? segments[1] : undefined);

/** What each supported platform shows of the signed-in account (markup of 2016–2025, as in the fixtures' eras). */
const MARKERS: Partial<Record<Platform, SelfMarkers>> = {
  x: {
    account: '[data-testid="SideNav_AccountSwitcher_Button"], [data-testid="AppTabBar_Profile_Link"], [data-testid="DashButton_ProfileIcon_Link"]',
    profileLink: { selector: 'a[data-testid="AppTabBar_Profile_Link"]', segment: first },
    // A quoted post is a card inside another: the person's own post quoted by the reported one is theirs too.
    posts: 'article[data-testid="tweet"], article[data-testid="tweet"] div[role="link"]',
  },
  bluesky: {
    account: 'nav a[aria-label="Profile"], [data-testid="bottomBarProfileBtn"]',
    profileLink: { selector: 'nav a[aria-label="Profile"][href*="/profile/"], a[data-testid="bottomBarProfileBtn"]', segment: afterProfile },
    posts: '[data-testid^="postThreadItem-by-"], [data-testid^="feedItem-by-"]',
  },
  reddit: {
    account: '#expand-user-drawer-button, #USER_DROPDOWN_ID, #header-bottom-right .user, faceplate-tracker[noun="user_drawer"]',
    profileLink: { selector: '#header-bottom-right .user a[href*="/user/"], #user-drawer-content a[href*="/user/"]', segment: afterUser },
    posts: 'shreddit-comment[author], shreddit-post[author], .thing[data-author], div.Comment',
  },
  facebook: {
    account: '[aria-label="Your profile"], a[data-testid="blue_bar_profile_link"], #userNav .fbxWelcomeBoxBlock, ._2s25',
    profileLink: { selector: 'a[data-testid="blue_bar_profile_link"], #userNav a.fbxWelcomeBoxName', segment: first },
    posts: '[role="article"]',
  },
  instagram: {
    account: 'nav img[alt$="profile picture"], [role="navigation"] img[alt$="profile picture"]',
    profileLink: { selector: 'nav img[alt$="profile picture"], [role="navigation"] img[alt$="profile picture"]', segment: first },
    posts: 'article',
  },
  tiktok: {
    account: '[data-e2e="profile-icon"], a[data-e2e="nav-profile"]',
    profileLink: { selector: 'a[data-e2e="nav-profile"]', segment: atHandle },
    posts: '[data-e2e="comment-level-1"], [data-e2e="comment-level-2"]',
  },
  youtube: {
    account: '#avatar-btn, ytd-comment-simplebox-renderer #author-thumbnail',
  },
  linkedin: {
    account: '.global-nav__me, .feed-identity-module, .share-box-feed-entry__avatar, .comments-comment-box__avatar-image',
    profileLink: { selector: '.feed-identity-module a[href*="/in/"]', segment: afterIn },
    posts: 'section.comment',
  },
  mastodon: {
    account: '.navigation-bar',
    profileLink: { selector: '.navigation-bar a[href*="/@"]', segment: atHandle },
    posts: '.status[data-id]',
  },
};

function safeAll(root: ParentNode, selector: string): Element[] {
  try {
    return Array.from(root.querySelectorAll(selector));
  } catch {
    // A page whose DOM refuses a selector finds nothing here rather than failing the capture.
    return [];
  }
}

function selfHandle(markers: SelfMarkers, page: PageContext): string | undefined {
  if (!markers.profileLink) return undefined;
  for (const link of safeAll(page.document, markers.profileLink.selector)) {
    const handle = markers.profileLink.segment(pathSegments(hrefOf(link.closest('a[href]'), page.base)));
    if (handle && /^[\w.-]{1,100}$/.test(handle)) return handle;
  }
  return undefined;
}

const sameHandle = (a: string | undefined, b: string) => !!a && a.replace(/^@/, '').toLowerCase() === b.toLowerCase();

function ownPosts(markers: SelfMarkers, platform: Platform, handle: string, page: PageContext, reported: Element | null): Element[] {
  const extractor = EXTRACTORS.find((candidate) => candidate.platform === platform);
  if (!markers.posts || !extractor) return [];
  // Each marker is taken to its post's root as the platform's extractor finds it (a TikTok comment's root is the
  // smallest element holding both its words and its author), so a post is read exactly as a capture would read it.
  const roots = new Set(safeAll(page.document, markers.posts).map((marker) => attempt(() => extractor.findRoot(marker, page)) ?? marker));
  return [...roots].filter((root) => {
    // The reported post is what the report is about: it stays, whoever wrote it.
    if (reported && (root === reported || root.contains(reported))) return false;
    return sameHandle(attempt(() => extractor.extract(root, page).author?.handle), handle);
  });
}

/**
 * The signed-in account's marks and own posts on `page`, for the platform the capture read the post as. The
 * reported post itself (`reported`) and anything around it are never taken as the person's own.
 */
export function findSelf(readAs: Platform, page: PageContext, reported: Element | null): SelfFound {
  // A page whose address names no platform (a saved page, a Mastodon instance) is taken for the one its DOM shows.
  const platform = readAs === 'other' ? EXTRACTORS.find((extractor) => attempt(() => extractor.detect?.(page)))?.platform : readAs;
  const markers = platform && MARKERS[platform];
  if (!platform || !markers) return { elements: [] };
  const handle = selfHandle(markers, page);
  const account = safeAll(page.document, markers.account)
    .filter((element) => !reported || !element.contains(reported))
    .map((element): SelfElement => ({ element, reason: 'account' }));
  // The avatar X shows beside its reply box carries the signed-in handle in its test id.
  const avatars = handle && platform === 'x' ? safeAll(page.document, `[data-testid="UserAvatar-Container-${handle}"]`) : [];
  const own = handle ? ownPosts(markers, platform, handle, page, reported) : [];
  const elements = [
    ...account,
    ...avatars.filter((element) => !own.some((post) => post.contains(element)) && !reported?.contains(element))
      .map((element): SelfElement => ({ element, reason: 'account' })),
    ...own.map((element): SelfElement => ({ element, reason: 'own_post' })),
  ];
  return { ...(handle ? { handle } : {}), elements: outermost(elements) };
}

/** An element inside another one already hidden adds nothing. */
function outermost(found: SelfElement[]): SelfElement[] {
  return found.filter(({ element }) => !found.some((other) => other.element !== element && other.element.contains(element)));
}
