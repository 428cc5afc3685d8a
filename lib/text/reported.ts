/**
 * Words a reporter typed or a capture took, made safe to print next to the tool's own words (issue 17, finding 3).
 * Two rules, used by every output that shows reporter text (the hub's DSA notice and police summaries, the console
 * pages, the extension's evidence-pack summary):
 * - `visible`: characters that change how the text around them is read without being seen themselves — bidi
 *   embeddings, overrides, isolates and marks (which can reverse "NOT verified" on screen), zero-width spaces and the
 *   BOM (which hide inside words), control characters and the line and paragraph separators — are shown as a visible
 *   `⟦U+202E⟧`. Tab and line feed are kept (long texts keep their lines; the outputs quote each line). Zero-width
 *   joiner and non-joiner (U+200D, U+200C) are kept: emoji sequences and Persian, Arabic and Indic writing need them,
 *   and they cannot reorder or hide text.
 * - `inline` and `quoteLines` for plain text: a short value becomes one JSON-style quoted string (no line break can
 *   survive it, and its quotes are escaped); a long text becomes lines that each start with the quote prefix, split
 *   at every line terminator a viewer might honour (CR, LF, VT, FF, NEL, U+2028, U+2029).
 */

/** Invisible characters that can reorder or hide text, and controls (all but TAB and LF). */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/g;

/** Every line terminator some viewer honours. */
export const LINE_BREAK = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/;

const mark = (character: string) => `⟦U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟧`;

/** The text with every invisible or control character (but TAB and LF) shown as `⟦U+XXXX⟧`. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, mark);
}

/** Whether `visible` would change the text (an invisible or control character is in it). */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.test(text);
  INVISIBLE.lastIndex = 0;
  return found;
}

/** A short value as one quoted token: `"…"` with `"`, `\` and every control escaped, invisible characters shown. */
export function inline(text: string): string {
  // JSON.stringify escapes C0 controls, quotes and backslashes; `visible` first shows what it leaves alone.
  return JSON.stringify(visible(text.replace(/\r\n|[\n\r]/g, '\n')));
}

/** A long text, every line (at any line terminator) prefixed, so no line of it can pass for the tool's own. */
export function quoteLines(text: string, prefix = '    > '): string {
  return text
    .split(LINE_BREAK)
    .map((line) => `${prefix}${visible(line.replaceAll('\t', '    '))}`)
    .join('\n');
}

/** A short value on one line for HTML: `visible`, and a line feed shown as a mark too. */
export function oneLine(text: string): string {
  return visible(text).replaceAll('\n', '⟦U+000A⟧');
}
