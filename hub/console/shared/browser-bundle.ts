/**
 * A console page's own script bundled for the browser (with what it imports: `lib/crypto/seal.ts`, `@hpke/core`, the
 * schemas), once per hub process, in memory: the hub serves it from its own origin, which is all the console's CSP
 * allows. Used by the pages that open sealed contact details in the moderator's browser.
 *
 * Rolldown rather than esbuild: it drops the parts of zod a script does not use (its message translations, most of
 * its schema kinds), so each script is about 37 KB gzipped instead of about 107 KB.
 */
import { fileURLToPath } from 'node:url';

const bundles = new Map<string, Promise<string>>();

export function browserBundle(entry: URL): Promise<string> {
  const path = fileURLToPath(entry);
  const known = bundles.get(path);
  if (known) return known;
  // The bundler is loaded only when a page first asks for its script, not at every hub start.
  const bundled = import('rolldown')
    .then(({ rolldown }) => rolldown({ input: path, platform: 'browser', resolve: { extensions: ['.ts', '.tsx', '.js'] }, logLevel: 'silent' }))
    .then(async (bundle) => {
      const { output } = await bundle.generate({ format: 'iife', minify: true, comments: { legal: false } });
      await bundle.close();
      return output[0].code;
    });
  bundles.set(path, bundled);
  // A failed build is tried again on the next request rather than kept.
  bundled.catch(() => bundles.delete(path));
  return bundled;
}
