/**
 * The privacy policy inside the extension (`privacy.html`, entrypoints/privacy/): docs/privacy.md, the one source the
 * stores link to as well, rendered to HTML at build time by the Vite plugin below (wxt.config.ts), so the two never
 * differ. The extension bundles the HTML, not a Markdown renderer.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import type { Plugin } from 'vite';

export const PRIVACY_SOURCE = fileURLToPath(new URL('../docs/privacy.md', import.meta.url));
const MODULE_ID = 'virtual:ohr-privacy-policy';
const RESOLVED_ID = `\0${MODULE_ID}`;

/** The policy's HTML. The source is this repository's own text, with no raw HTML in it. */
export async function privacyPolicyHtml(): Promise<string> {
  return marked.parse(await readFile(PRIVACY_SOURCE, 'utf8'), { async: true, gfm: true });
}

/** `import policy from 'virtual:ohr-privacy-policy'`: the policy's HTML as a string, rebuilt when the Markdown changes. */
export function privacyPolicyPlugin(): Plugin {
  return {
    name: 'ohr-privacy-policy',
    resolveId: (id) => (id === MODULE_ID ? RESOLVED_ID : undefined),
    async load(id) {
      if (id !== RESOLVED_ID) return undefined;
      this.addWatchFile(PRIVACY_SOURCE);
      return `export default ${JSON.stringify(await privacyPolicyHtml())};`;
    },
  };
}
