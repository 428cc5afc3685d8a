/**
 * open.ts bundled for the browser (with `lib/crypto/seal.ts`, `@hpke/core` and the schema it checks the key file
 * with), once per hub process, in memory: the hub serves it from its own origin, which is all the console's CSP allows.
 */
import { build } from 'esbuild';

let bundled: Promise<string> | undefined;

export function openerScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [new URL('./open.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
  }).then((result) => result.outputFiles[0]!.text);
  // A failed build is tried again on the next request rather than kept.
  bundled.catch(() => {
    bundled = undefined;
  });
  return bundled;
}
