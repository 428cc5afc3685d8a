/**
 * The one call the injected capture script makes in the page: read the post around the right-clicked element and
 * return everything the background needs, as plain data (it crosses `scripting.executeScript`): the extracted item,
 * the post's box for cropping it out of the viewport screenshot, and its sanitised HTML snapshot. It also returns
 * where the person's own account shows on the page (`self`), so an anonymous report can hide it later: whether the
 * report is anonymous is decided after the capture, in the form.
 */
import { sanitizedSnapshot } from '@/lib/integrity/snapshot';
import type { Rect, Size } from '../screenshot/crop';
import { extractPost } from './index';
import { findSelf, type SelfElement, type SelfReason } from './self';
import type { ExtractedItem } from './types';

export interface SelfArea extends Rect {
  reason: SelfReason;
}

export interface SelfOnPage {
  /** The signed-in account's handle, from the link to its own profile. Kept on this computer only. */
  handle?: string;
  /** Where its marks and own posts are, in CSS pixels relative to the viewport (possibly outside it). */
  areas: SelfArea[];
  /** The snapshot again with the person's own posts and marks inside the reported post emptied and blacked out. */
  hiddenSnapshotHtml?: string;
}

export interface InPageCapture {
  item: ExtractedItem;
  /** The post element's box in CSS pixels, relative to the viewport (absent when no post element was found). */
  rect?: Rect;
  viewport: Size;
  devicePixelRatio: number;
  /** A standalone, script-free HTML document holding the post element (store as `text/html`, kind `html_snapshot`). */
  snapshotHtml?: string;
  self?: SelfOnPage;
}

export function readPostInPage(document: Document, target: Element | undefined, capturedAt: string): InPageCapture {
  const view = document.defaultView;
  const { item, root, page } = extractPost(document, target ?? undefined);
  const box = root?.getBoundingClientRect();
  const snapshotContext = { pageUrl: item.url, title: item.pageTitle, capturedAt };
  const found = findSelf(item.platform, page, root);
  const areas = found.elements.map(areaOf).filter((area): area is SelfArea => area !== undefined);
  const inside = root ? found.elements.filter(({ element }) => root.contains(element)) : [];
  const self: SelfOnPage | undefined = areas.length || found.handle
    ? {
        ...(found.handle ? { handle: found.handle } : {}),
        areas,
        ...(root && inside.length ? { hiddenSnapshotHtml: sanitizedSnapshot(hiddenClone(root, inside), snapshotContext) } : {}),
      }
    : undefined;
  return {
    item,
    ...(box ? { rect: { x: box.x, y: box.y, width: box.width, height: box.height } } : {}),
    viewport: { width: view?.innerWidth ?? 0, height: view?.innerHeight ?? 0 },
    devicePixelRatio: view?.devicePixelRatio ?? 1,
    ...(root ? { snapshotHtml: sanitizedSnapshot(root, snapshotContext) } : {}),
    ...(self ? { self } : {}),
  };
}

function areaOf({ element, reason }: SelfElement): SelfArea | undefined {
  const box = element.getBoundingClientRect();
  return box.width > 0 && box.height > 0 ? { x: box.x, y: box.y, width: box.width, height: box.height, reason } : undefined;
}

/** A copy of `root` (the live page is never changed) whose elements matching `hide` are empty black boxes. */
function hiddenClone(root: Element, hide: SelfElement[]): Element {
  const clone = root.cloneNode(true) as Element;
  for (const { element, reason } of hide) {
    const copy = follow(clone, pathTo(root, element));
    if (!copy) continue;
    copy.replaceChildren();
    for (const { name } of Array.from(copy.attributes)) copy.removeAttribute(name);
    copy.setAttribute('data-ohr-hidden', reason);
    copy.setAttribute('style', 'display:block;background:#000;min-height:1.5em');
  }
  return clone;
}

/** Child indexes from `root` down to `element`. */
function pathTo(root: Element, element: Element): number[] {
  const path: number[] = [];
  for (let node: Element | null = element; node && node !== root; node = node.parentElement) {
    const parent: Element | null = node.parentElement;
    if (!parent) return [];
    path.unshift(Array.prototype.indexOf.call(parent.children, node));
  }
  return path;
}

function follow(root: Element, path: number[]): Element | undefined {
  let node: Element | undefined = root;
  for (const index of path) node = node?.children[index];
  return node;
}
