/**
 * The context-menu entries and the keyboard shortcut, and what each click asks the capture pipeline for. Pure: the
 * background entrypoint creates the entries and passes the browser's click data here.
 */
import type { MessageKey } from '@/lib/i18n';
import type { LocateHints, TriggerKind } from '../capture/trigger/locate';

type MenuContext = 'page' | 'frame' | 'selection' | 'link' | 'image' | 'video';

export interface MenuEntry {
  id: string;
  title: MessageKey;
  contexts: [MenuContext, ...MenuContext[]];
}

const ANYWHERE: MenuEntry['contexts'] = ['page', 'frame', 'selection', 'link', 'image', 'video'];

/** Only web pages: the browser's own pages and other extensions' cannot be captured. */
export const MENU_DOCUMENT_PATTERNS = ['http://*/*', 'https://*/*'];

export const MENU_ENTRIES: readonly MenuEntry[] = [
  { id: 'report-post', title: 'menu.reportPost', contexts: ANYWHERE },
  { id: 'report-selection', title: 'menu.reportSelection', contexts: ['selection'] },
  { id: 'report-image', title: 'menu.reportImage', contexts: ['image', 'video'] },
  { id: 'report-link', title: 'menu.reportLink', contexts: ['link'] },
  { id: 'report-page', title: 'menu.reportPage', contexts: ANYWHERE },
  { id: 'report-full-page', title: 'menu.reportFullPage', contexts: ANYWHERE },
];

/** The `commands` entry in the manifest (wxt.config.ts) that reports the post under the pointer. */
export const REPORT_COMMAND = 'report-post';

/** What the browser tells the menu's click listener (the fields used here). */
export interface MenuClick {
  menuItemId: string | number;
  frameId?: number;
  srcUrl?: string;
  linkUrl?: string;
  /** Firefox only. */
  targetElementId?: number;
}

export interface Trigger {
  frameId: number;
  hints: LocateHints;
  fullPage: boolean;
}

const KINDS: Record<string, TriggerKind> = {
  'report-post': 'post',
  'report-selection': 'selection',
  'report-image': 'image',
  'report-link': 'link',
  'report-page': 'page',
  'report-full-page': 'page',
};

export function triggerFromMenu(click: MenuClick): Trigger | undefined {
  const kind = KINDS[String(click.menuItemId)];
  if (!kind) return undefined;
  const fullPage = click.menuItemId === 'report-full-page';
  return {
    // A whole page is always the top frame's, whichever frame was right-clicked.
    frameId: kind === 'page' ? 0 : (click.frameId ?? 0),
    hints: {
      kind,
      ...(click.srcUrl ? { srcUrl: click.srcUrl } : {}),
      ...(click.linkUrl ? { linkUrl: click.linkUrl } : {}),
      ...(click.targetElementId !== undefined ? { targetElementId: click.targetElementId } : {}),
    },
    fullPage,
  };
}

export function triggerFromCommand(command: string): Trigger | undefined {
  return command === REPORT_COMMAND ? { frameId: 0, hints: { kind: 'shortcut' }, fullPage: false } : undefined;
}
