/**
 * Loading the real-page fixtures (`test/fixtures/platforms`) into happy-dom and resolving the manifest's
 * `root_hint` locators. Scripts are never run: these are third-party pages.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/platforms/', import.meta.url));

export interface ExpectedPost {
  kind: string;
  root_hint: string | null;
  author_handle: string | null;
  display_name: string | null;
  profile_url: string | null;
  permalink: string | null;
  posted_at: string | null;
  text_prefix: string | null;
}

export interface FixtureEntry {
  file: string;
  platform: string;
  pageUrl: string | null;
  posts: ExpectedPost[];
}

export function readManifest(): FixtureEntry[] {
  return JSON.parse(readFileSync(`${FIXTURES}manifest.json`, 'utf8')) as FixtureEntry[];
}

/** Fragments have no address; their relative links were written against the platform's site (README). */
const FRAGMENT_BASE: Record<string, string> = {
  x: 'https://x.com/',
  facebook: 'https://www.facebook.com/',
  telegram: 'https://t.me/',
};

export function pageUrlOf(entry: FixtureEntry): string {
  return entry.pageUrl ?? FRAGMENT_BASE[entry.platform] ?? 'https://example.com/';
}

export function loadFixture(entry: FixtureEntry): { window: Window; document: Document } {
  const window = new Window({
    url: pageUrlOf(entry),
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      navigation: { disableMainFrameNavigation: true, disableChildFrameNavigation: true, disableChildPageNavigation: true },
    },
  });
  window.document.write(readFileSync(`${FIXTURES}${entry.file}`, 'utf8'));
  return { window, document: window.document as unknown as Document };
}

/**
 * The manifest's "CSS-ish" root hint as an element: a trailing "(explanation)" is dropped, `:eq(n)` picks the n-th
 * match, a final `:has(...)` is applied by hand (happy-dom's `:has` with attribute selectors is unreliable), and
 * "A > … > B" means "B nested inside A".
 */
export function resolveRootHint(document: Document, hint: string): Element | null {
  let selector = hint.replace(/\s+\([^()]*(\([^()]*\)[^()]*)*\)\s*$/, '').trim();
  selector = selector.replace(/\s*>\s*…\s*>\s*/g, ' ');
  let index = 0;
  const eq = /:eq\((\d+)\)/.exec(selector);
  if (eq) {
    index = Number(eq[1]);
    selector = selector.replace(eq[0], '');
  }
  let has: string | undefined;
  const hasAt = selector.lastIndexOf(':has(');
  if (hasAt >= 0 && selector.endsWith(')')) {
    has = selector.slice(hasAt + 5, -1);
    selector = selector.slice(0, hasAt);
  }
  const candidates = Array.from(document.querySelectorAll(selector)).filter((element) => !has || element.querySelector(has));
  return candidates[index] ?? null;
}

/** Where a person would right-click: the deepest element holding the post's first visible words. */
export function targetInside(root: Element): Element {
  const walker = root.ownerDocument.createTreeWalker(root, 4);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || /^(script|style|svg)$/i.test(parent.localName)) continue;
    if ((node.nodeValue ?? '').trim()) return parent;
  }
  return root;
}

