/**
 * Loading real-page fixtures into happy-dom, resolving the manifest's `root_hint` locators and scoring what the
 * extractors read against the manifest. Two folders share the format (test/fixtures/platforms/README.md):
 * `platforms` (the pages the extractors were written against) and `platforms-unseen` (a held-out set). Scripts are
 * never run: these are third-party pages.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import { extractItem, type ExtractedItem } from '../../../extension/capture/extract';
import { collapse } from '../../../extension/capture/extract/dom';

/** A fixture folder under test/fixtures/, as an absolute path ending in "/". */
export function fixtureFolder(name: 'platforms' | 'platforms-unseen'): string {
  return fileURLToPath(new URL(`../../fixtures/${name}/`, import.meta.url));
}

export const FIXTURES = fixtureFolder('platforms');

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
  /** "json-string": the upstream file holds the HTML as one JSON string literal (kept verbatim, decoded on load). */
  encoding?: 'json-string';
  posts: ExpectedPost[];
}

export function readManifest(folder: string = FIXTURES): FixtureEntry[] {
  return JSON.parse(readFileSync(`${folder}manifest.json`, 'utf8')) as FixtureEntry[];
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

export function loadFixture(entry: FixtureEntry, folder: string = FIXTURES): { window: Window; document: Document } {
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
  const raw = readFileSync(`${folder}${entry.file}`, 'utf8');
  window.document.write(entry.encoding === 'json-string' ? (JSON.parse(raw) as string) : raw);
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


export const FIELDS = ['author_handle', 'display_name', 'profile_url', 'permalink', 'posted_at', 'text_prefix'] as const;
export type Field = (typeof FIELDS)[number];

export function actualField(item: ExtractedItem, field: Field): string | undefined {
  switch (field) {
    case 'author_handle': return item.author?.handle;
    case 'display_name': return item.author?.displayName;
    case 'profile_url': return item.author?.profileUrl;
    case 'permalink': return item.permalink;
    case 'posted_at': return item.postedAt;
    case 'text_prefix': return item.text;
  }
}

/** An expected null must be absent; text is compared as a prefix after collapsing whitespace. */
export function fieldMatches(field: Field, expected: string | null, got: string | undefined): boolean {
  if (expected === null) return got === undefined;
  if (got === undefined) return false;
  if (field === 'text_prefix') return collapse(got).startsWith(collapse(expected));
  return got === expected;
}

/** Right-click inside the post's root (its first words) as a person would; no root means the page's own post. */
export function readExpectedPost(document: Document, entry: FixtureEntry, post: ExpectedPost): { root: Element | null; item: ExtractedItem } {
  const root = post.root_hint ? resolveRootHint(document, post.root_hint) : null;
  return { root, item: extractItem(document, root ? targetInside(root) : undefined, pageUrlOf(entry)) };
}

interface Tally { hit: number; total: number }

/** The share of expected fields extracted exactly, per platform and overall, with every miss in words. */
export class ExtractionScore {
  readonly byPlatform = new Map<string, Tally>();
  readonly misses: string[] = [];

  /** Count every field of one post; returns the fields that missed. */
  add(entry: FixtureEntry, index: number, post: ExpectedPost, item: ExtractedItem): Field[] {
    const missed: Field[] = [];
    for (const field of FIELDS) {
      const got = actualField(item, field);
      const ok = fieldMatches(field, post[field], got);
      const tally = this.byPlatform.get(entry.platform) ?? { hit: 0, total: 0 };
      tally.total += 1;
      if (ok) tally.hit += 1;
      this.byPlatform.set(entry.platform, tally);
      if (!ok) {
        missed.push(field);
        this.misses.push(`${entry.file} #${index} ${field}: expected ${JSON.stringify(post[field])} got ${JSON.stringify(got?.slice(0, 100))}`);
      }
    }
    return missed;
  }

  score(platforms?: string[]): number {
    const tallies = [...this.byPlatform].filter(([name]) => !platforms || platforms.includes(name)).map(([, tally]) => tally);
    const hit = tallies.reduce((sum, tally) => sum + tally.hit, 0);
    const total = tallies.reduce((sum, tally) => sum + tally.total, 0);
    return total ? hit / total : 0;
  }

  /** Per platform and overall, as printed after a run. */
  report(title: string): string {
    const lines = [...this.byPlatform].map(([name, tally]) => `  ${name.padEnd(10)} ${(100 * tally.hit / tally.total).toFixed(1).padStart(5)} % (${tally.hit}/${tally.total})`);
    const fields = [...this.byPlatform.values()].reduce((sum, tally) => sum + tally.total, 0);
    return `${title}: ${(100 * this.score()).toFixed(1)} % of ${fields} expected fields\n${lines.join('\n')}`;
  }
}

/** Every identity field of an item, by path: the post's author and each context post's (handle, profile, id). */
export function identityOf(item: ExtractedItem): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const add = (prefix: string, author: ExtractedItem['author']) => {
    out[`${prefix}.handle`] = author?.handle;
    out[`${prefix}.profileUrl`] = author?.profileUrl;
    out[`${prefix}.platformId`] = author?.platformId;
  };
  add('author', item.author);
  add('parent', item.context?.parent?.author);
  item.context?.thread?.forEach((post, index) => add(`thread${index}`, post.author));
  return out;
}

/** The identity fields that differ between two readings of the same post, in words. */
export function changedIdentity(before: ExtractedItem, after: ExtractedItem): string[] {
  const [a, b] = [identityOf(before), identityOf(after)];
  return Object.keys({ ...a, ...b }).filter((key) => a[key] !== b[key]).map((key) => `${key}: ${a[key]} → ${b[key]}`);
}

/** Rewrite every visible text node of the page (names, "@handle" labels, everything a person can set) to `text`. */
export function rewriteDisplayText(document: Document, text: string): void {
  const walker = document.createTreeWalker(document, 4);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && /^(script|style|template|noscript)$/i.test(parent.localName)) continue;
    if (node.nodeValue?.trim()) nodes.push(node as Text);
  }
  for (const node of nodes) node.nodeValue = ` ${text} `;
}
