/**
 * The hub's stylesheets (the console's, the public pages') are served with OHR's shared design tokens in front
 * (lib/design/tokens.css, which the extension's stylesheet imports too), so every product draws with one set of values.
 * Read once at start-up: the files are part of the release.
 */
import { readFileSync } from 'node:fs';

const TOKENS = readFileSync(new URL('../lib/design/tokens.css', import.meta.url), 'utf8');

/** The tokens, then the stylesheet at `file`. */
export function withTokens(file: URL): string {
  return `${TOKENS}\n${readFileSync(file, 'utf8')}`;
}
