/**
 * Finding the element the person meant, inside the page, at the moment they act. Chromium's context menu tells the
 * extension only the kind of thing clicked (`srcUrl`, `linkUrl`, `selectionText`), not the element, and the shipped
 * extension has no script in pages before the person acts (it asks for no site access at install). So the element is
 * recovered when the injected capture script runs, in this order:
 * 1. Firefox's `menus.getTargetElement(targetElementId)`: exact.
 * 2. The element the tiny right-click listener remembered, where that listener runs (only with site access).
 * 3. The deepest element under the pointer (`:hover`): the context menu is browser UI, so the page keeps the hover
 *    state of the element that was right-clicked; for the keyboard shortcut it is what the pointer rests on.
 * What the menu entry names overrides 2 and 3 (which then only choose among several matches): the image with that
 * `src`, the link with that `href`, the selection's container (also for the shortcut when text is selected).
 * Failing all of these, the focused element (keyboard users), else nothing: the page itself is reported.
 */

/** Why the capture was started; it decides which clues are trusted. */
export type TriggerKind = 'post' | 'selection' | 'image' | 'link' | 'page' | 'shortcut';

export interface LocateHints {
  kind: TriggerKind;
  srcUrl?: string;
  linkUrl?: string;
  targetElementId?: number;
}

export interface LocateClues {
  /** Firefox only: `browser.menus.getTargetElement`. */
  menuTarget?: (id: number) => Element | null | undefined;
  /** What the right-click listener kept, if it runs in this frame, and when (epoch ms). */
  remembered?: { element: Element; at: number };
  now: number;
}

/** The listener's memory is trusted only this long: a menu click follows its right-click within seconds. */
export const REMEMBERED_TTL_MS = 60_000;

export function locateTarget(document: Document, hints: LocateHints, clues: LocateClues): Element | undefined {
  if (hints.kind === 'page') return undefined;
  const exact = hints.targetElementId !== undefined ? clues.menuTarget?.(hints.targetElementId) : undefined;
  if (exact?.isConnected) return exact;
  // Where the pointer was: the right-clicked element if the listener saw it (not for the shortcut, which follows
  // no right-click), else what is under the pointer now.
  const remembered = clues.remembered;
  const fresh = hints.kind !== 'shortcut' && remembered?.element.isConnected && clues.now - remembered.at <= REMEMBERED_TTL_MS;
  const pointer = (fresh ? remembered?.element : undefined) ?? deepestHovered(document);
  // What the menu entry names wins over the pointer; the pointer only chooses between several matches.
  if (hints.kind === 'image' && hints.srcUrl) return mediaWithSource(document, hints.srcUrl, pointer) ?? pointer;
  if (hints.kind === 'link' && hints.linkUrl) return linkTo(document, hints.linkUrl, pointer) ?? pointer;
  if (hints.kind === 'selection' || hints.kind === 'shortcut') {
    const selected = selectionElement(document);
    if (selected) return selected;
  }
  return pointer ?? focused(document);
}

function deepestHovered(document: Document): Element | undefined {
  const chain = document.querySelectorAll(':hover');
  const last = chain[chain.length - 1];
  return last && last !== document.documentElement && last !== document.body ? last : undefined;
}

function selectionElement(document: Document): Element | undefined {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return undefined;
  const node = selection.getRangeAt(0).commonAncestorContainer;
  const element = node.nodeType === 1 ? (node as Element) : node.parentElement;
  return element ?? undefined;
}

function focused(document: Document): Element | undefined {
  const active = document.activeElement;
  return active && active !== document.body && active !== document.documentElement ? active : undefined;
}

/** Of several candidates, the one at the pointer (it, inside it, or holding it), else the first. */
function preferHovered<T extends Element>(candidates: T[], hovered: Element | undefined): T | undefined {
  const near = (candidate: T) => !!hovered && (candidate.contains(hovered) || hovered.contains(candidate));
  return candidates.find(near) ?? candidates[0];
}

function mediaWithSource(document: Document, srcUrl: string, hovered: Element | undefined): Element | undefined {
  const media = Array.from(document.querySelectorAll<HTMLImageElement | HTMLMediaElement>('img, video, audio'));
  return preferHovered(media.filter((element) => element.currentSrc === srcUrl || element.src === srcUrl), hovered);
}

function linkTo(document: Document, linkUrl: string, hovered: Element | undefined): Element | undefined {
  const links = Array.from(document.querySelectorAll<HTMLAnchorElement>('a[href]'));
  return preferHovered(links.filter((link) => link.href === linkUrl), hovered);
}
