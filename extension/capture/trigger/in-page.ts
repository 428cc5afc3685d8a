/**
 * What the injected capture script does in the page when the person acts: find the element they meant, read the
 * post around it (`readPostInPage`) and return plain data across `scripting.executeScript`. It runs in the
 * extension's isolated world, the same one as the right-click listener, so it can read what that listener kept.
 */
import { readPostInPage, type InPageCapture } from '../extract/in-page';
import type { Rect } from '../screenshot/crop';
import { locateTarget, type LocateClues, type LocateHints } from './locate';

export interface InPageRequest {
  hints: LocateHints;
  capturedAt: string;
}

export interface InPageResult extends InPageCapture {
  /** The located element's own box (CSS px, viewport-relative): the crop when no post was found around it. */
  targetRect?: Rect;
  /** The selected text, exactly as the page has it, for "Report this selection". */
  selectionText?: string;
}

export function captureInPage(document: Document, request: InPageRequest, clues: LocateClues): InPageResult {
  const target = locateTarget(document, request.hints, clues);
  const read = readPostInPage(document, target, request.capturedAt);
  const box = target?.getBoundingClientRect();
  const selection = request.hints.kind === 'selection' ? document.getSelection()?.toString().trim() : undefined;
  return {
    ...read,
    ...(box && box.width > 0 && box.height > 0 ? { targetRect: { x: box.x, y: box.y, width: box.width, height: box.height } } : {}),
    ...(selection ? { selectionText: selection } : {}),
  };
}
