/**
 * The privacy policy as a page inside the extension (`privacy.html`, linked from the settings): docs/privacy.md, the
 * one source the stores link to as well, rendered to HTML at build time (wxt.config.ts) so the two never differ.
 * Styled with the design tokens inline: extension pages allow inline styles, and this page loads no script.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';

export const PRIVACY_SOURCE = fileURLToPath(new URL('../docs/privacy.md', import.meta.url));
const TOKENS = fileURLToPath(new URL('../lib/design/tokens.css', import.meta.url));

const PAGE_STYLE = `
body { margin: 0; background: var(--background); color: var(--text); font: var(--text-body)/var(--leading) var(--font); }
main { max-width: 44rem; margin: 0 auto; padding: var(--space-5) var(--space-4); }
h1 { font-size: var(--text-h1); line-height: 1.2; }
h2 { font-size: var(--text-h2); margin-top: var(--space-5); }
a { color: var(--brand); }
a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
code { font-family: var(--font-code); }
li + li { margin-top: var(--space-1); }`;

export async function privacyPageHtml(): Promise<string> {
  const [markdown, tokens] = await Promise.all([readFile(PRIVACY_SOURCE, 'utf8'), readFile(TOKENS, 'utf8')]);
  // The source is this repository's own text: no raw HTML in it to sanitise, and marked escapes what it renders.
  const body = await marked.parse(markdown, { async: true, gfm: true });
  const title = /^# (.+)$/m.exec(markdown)?.[1] ?? 'Privacy policy';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</title>
<style>${tokens}${PAGE_STYLE}</style>
</head>
<body>
<main>
${body}</main>
</body>
</html>
`;
}
