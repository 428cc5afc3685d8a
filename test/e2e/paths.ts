import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const E2E_EXTENSION_DIR = fileURLToPath(new URL('../../.output/chrome-mv3-e2e', import.meta.url));

/** Debian's Chromium by default; CHROMIUM_PATH points elsewhere (Playwright's own build, another distribution's). */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `No Chromium at ${path}. Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a ` +
        'Chromium binary. Branded Google Chrome ignores --load-extension and cannot run these tests.',
    );
  }
  return path;
}
