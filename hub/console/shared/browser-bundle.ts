/**
 * A console page's own script bundled for the browser (with what it imports: `lib/crypto/seal.ts`, `@hpke/core`, the
 * schemas), once per hub process, in memory: the hub serves it from its own origin, which is all the console's CSP
 * allows. Used by the pages that open sealed contact details in the moderator's browser.
 */
import { fileURLToPath } from 'node:url';

const bundles = new Map<string, Promise<string>>();

export function browserBundle(entry: URL): Promise<string> {
  const path = fileURLToPath(entry);
  const known = bundles.get(path);
  if (known) return known;
  // esbuild is loaded only when a page first asks for its script, not at every hub start.
  const bundled = import('esbuild')
    .then(({ build }) =>
      build({ entryPoints: [path], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', minify: true, legalComments: 'none' }),
    )
    .then((result) => result.outputFiles[0]!.text);
  bundles.set(path, bundled);
  // A failed build is tried again on the next request rather than kept.
  bundled.catch(() => bundles.delete(path));
  return bundled;
}
