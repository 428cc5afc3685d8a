/**
 * The one call the injected capture script makes in the page: read the post around the right-clicked element and
 * return everything the background needs, as plain data (it crosses `scripting.executeScript`): the extracted item,
 * the post's box for cropping it out of the viewport screenshot, and its sanitised HTML snapshot.
 */
import { sanitizedSnapshot } from '@/lib/integrity/snapshot';
import type { Rect, Size } from '../screenshot/crop';
import { extractPost } from './index';
import type { ExtractedItem } from './types';

export interface InPageCapture {
  item: ExtractedItem;
  /** The post element's box in CSS pixels, relative to the viewport (absent when no post element was found). */
  rect?: Rect;
  viewport: Size;
  devicePixelRatio: number;
  /** A standalone, script-free HTML document holding the post element (store as `text/html`, kind `html_snapshot`). */
  snapshotHtml?: string;
}

export function readPostInPage(document: Document, target: Element | undefined, capturedAt: string): InPageCapture {
  const view = document.defaultView;
  const { item, root } = extractPost(document, target ?? undefined);
  const box = root?.getBoundingClientRect();
  return {
    item,
    ...(box ? { rect: { x: box.x, y: box.y, width: box.width, height: box.height } } : {}),
    viewport: { width: view?.innerWidth ?? 0, height: view?.innerHeight ?? 0 },
    devicePixelRatio: view?.devicePixelRatio ?? 1,
    ...(root ? { snapshotHtml: sanitizedSnapshot(root, { pageUrl: item.url, title: item.pageTitle, capturedAt }) } : {}),
  };
}
