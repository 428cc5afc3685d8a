/**
 * Small DOM readers shared by every extractor. They only touch the nodes they are given (no `window`, no globals at
 * import time), so the same code runs in a content script on a live page and under happy-dom in tests.
 */

/** Elements that start a new line in rendered text, as `innerText` would show them. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);
/** Never rendered as text. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'input', 'select', 'textarea', 'head']);

/** Unicode directional embeddings/isolates: used to spoof names ("evil‮gnp.exe"), never part of what a person reads. */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F]/g;

export function stripBidi(text: string): string {
  return text.replace(BIDI, '');
}

/** Collapse every run of whitespace to one space and trim: the form every comparison and most fields use. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isHidden(element: Element): boolean {
  if (element.hasAttribute('hidden')) return true;
  const style = element.getAttribute('style') ?? '';
  return /display\s*:\s*none/i.test(style);
}

/**
 * Rendered text of an element, like `innerText` without needing layout: text nodes' whitespace collapses as in CSS
 * `white-space: normal`, blocks and `<br>` become line breaks, `<img alt>` (emoji on X, Facebook, Bluesky) is included,
 * scripts and hidden elements are not. `exclude` drops subtrees such as nested quoted posts or UI chrome.
 * We do not call the browser's `innerText`: it depends on CSS and layout, so tests and pages would disagree.
 */
export function renderedText(root: Element, exclude?: (element: Element) => boolean): string {
  const parts: string[] = [];
  const walk = (node: Node, pre: boolean): void => {
    if (node.nodeType === 3) {
      const value = node.nodeValue ?? '';
      parts.push(pre ? value : value.replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== 1) return;
    const element = node as Element;
    const name = element.localName;
    if (SKIP.has(name) || isHidden(element) || (element !== root && exclude?.(element))) return;
    if (name === 'br') {
      parts.push('\n');
      return;
    }
    if (name === 'img') {
      const alt = element.getAttribute('alt');
      if (alt) parts.push(alt);
      return;
    }
    const block = BLOCK.has(name);
    if (block) parts.push('\n');
    for (const child of Array.from(element.childNodes)) walk(child, pre || name === 'pre');
    if (block) parts.push('\n');
  };
  walk(root, false);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\r]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * An isolate or embedding a platform wraps around a whole name or handle (Bluesky: U+2068 … U+2069, U+202A … U+202C):
 * it cannot reorder anything outside it. Overrides (U+202D, U+202E) are never taken as a wrapper: they reverse text.
 */
const WRAPPING_ISOLATE = /^[\u202A\u202B\u2066-\u2068]([^\u202A-\u202E\u2066-\u2069]*)[\u202C\u2069]$/;

/**
 * A display name as the page showed it: emoji (`<img alt>`), right-to-left text, zero-width and look-alike characters
 * and bidi overrides are all kept, so the report holds what the reader saw; outputs show the invisible ones as
 * `⟦U+202E⟧` (lib/text/reported.ts). Only a platform's own isolate pair around the whole name is dropped.
 */
export function shownName(element: Element | null | undefined): string | undefined {
  if (!element) return undefined;
  return shownNameText(renderedText(element));
}

export function shownNameText(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const line = collapse(text);
  return line.replace(WRAPPING_ISOLATE, '$1').trim() || undefined;
}

/** Text of an element as one line: for labels. Names go through `shownName`, which keeps what was shown. */
export function lineText(element: Element | null | undefined): string | undefined {
  if (!element) return undefined;
  const text = collapse(stripBidi(renderedText(element)));
  return text || undefined;
}

/** An absolute http(s) URL for `href` resolved against `base`, or undefined: other schemes are never evidence. */
export function absoluteUrl(href: string | null | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** `href` of an element as an absolute URL; `base` is the document's base URL. */
export function hrefOf(element: Element | null | undefined, base: string): string | undefined {
  return absoluteUrl(element?.getAttribute('href'), base);
}

/** A profile URL without tracking query strings (`?fref=`, `?trk=`, `?hc_ref=`): those identify the viewer's session. */
export function withoutQuery(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

/**
 * An exact instant as ISO 8601 UTC, or undefined. Date-only values ("2016-09-27") and times without a zone are
 * rejected: turning them into an instant would invent a time of day or a timezone.
 */
export function isoUtc(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Unix seconds (Facebook's `data-utime`) as ISO 8601 UTC. */
export function isoFromUnixSeconds(value: string | null | undefined): string | undefined {
  if (!value || !/^\d{9,11}$/.test(value.trim())) return undefined;
  return new Date(Number(value.trim()) * 1000).toISOString();
}

/**
 * Elements matching `selector` inside `root` that belong to `root` itself rather than to a nested post: `isBoundary`
 * says which elements start another post (a quoted tweet, a shared original, a reply).
 */
export function ownAll(root: Element, selector: string, isBoundary: (element: Element) => boolean): Element[] {
  return Array.from(root.querySelectorAll(selector)).filter((element) => {
    for (let node = element.parentElement; node && node !== root; node = node.parentElement) {
      if (isBoundary(node)) return false;
    }
    return !(element !== root && isBoundary(element));
  });
}

export function ownFirst(root: Element, selector: string, isBoundary: (element: Element) => boolean): Element | undefined {
  return ownAll(root, selector, isBoundary)[0];
}

/** The nearest ancestor-or-self satisfying `test`, stopping at the document root. */
export function closestWhere(start: Element, test: (element: Element) => boolean): Element | null {
  for (let node: Element | null = start; node; node = node.parentElement) {
    if (test(node)) return node;
  }
  return null;
}

/** The document's base URL for resolving relative links: `<base href>` if any, else the page URL. */
export function baseOf(document: Document, pageUrl: string): string {
  const base = document.querySelector('base[href]')?.getAttribute('href');
  return absoluteUrl(base, pageUrl) ?? pageUrl;
}

/** The first path segment of a URL ("/jarvis_best/status/1" → "jarvis_best"). */
export function pathSegments(url: string | undefined): string[] {
  if (!url) return [];
  try {
    return new URL(url).pathname.split('/').filter(Boolean).map((segment) => decodeURIComponent(segment));
  } catch {
    return [];
  }
}

/** Image URLs inside a post, skipping avatars and emoji (they are not the content being reported). */
export function imageUrls(root: Element, base: string, skip?: (image: Element) => boolean): string[] {
  const urls = Array.from(root.querySelectorAll('img[src]'))
    .filter((image) => !skip?.(image))
    .map((image) => absoluteUrl(image.getAttribute('src'), base))
    .filter((url): url is string => url !== undefined);
  return [...new Set(urls)];
}
