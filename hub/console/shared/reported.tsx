/**
 * Reporter-supplied text on a console page or in the police summary (issue 17, finding 3): isolated from the page's
 * own words (`<bdi>`, so a right-to-left run cannot reorder the label beside it) and with every invisible character
 * shown (`visible` in lib/text/reported.ts: bidi overrides, zero-width spaces, control characters). Short values also
 * show their line breaks as marks; `lines` keeps them, for long free text in a block that preserves lines.
 */
import type { VNode } from 'preact';
import { oneLine, visible } from '../../../lib/text/reported';

export function Reported({ text, lines = false }: { text: string; lines?: boolean }): VNode {
  return <bdi class="reported">{lines ? visible(text) : oneLine(text)}</bdi>;
}
