/**
 * open.ts bundled for the browser (with `lib/crypto/seal.ts`, `@hpke/core` and the schema it checks the key file
 * with), once per hub process, in memory: the hub serves it from its own origin, which is all the console's CSP allows.
 */
import { fileURLToPath } from 'node:url';

let bundled: Promise<string> | undefined;

export function openerScript(): Promise<string> {
  // esbuild is loaded only when a moderator first opens a sealed report, not at every hub start.
  bundled ??= import('esbuild').then(({ build }) => build({
    entryPoints: [fileURLToPath(new URL('./open.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
  })).then((result) => result.outputFiles[0]!.text);
  // A failed build is tried again on the next request rather than kept.
  bundled.catch(() => {
    bundled = undefined;
  });
  return bundled;
}
