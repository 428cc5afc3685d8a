import { execFileSync } from 'node:child_process';
import { buildHubTemplate } from './hub-folder';
import { E2E_EXTENSION_DIR } from './paths';

/** Builds the test flavour of the extension once per run (see wxt.config.ts: OHR_E2E), and the hubs' template folder. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // The widget builds in a few seconds and the hub serves it at /widget.js: always fresh.
  execFileSync('npx', ['vite', 'build', '--config', 'widget/vite.config.ts'], { stdio: 'inherit' });
  // The report app (`/report`) is built with the widget's settings, after it.
  execFileSync('npm', ['run', '--silent', 'build:app'], { stdio: 'inherit' });
  const removeTemplate = await buildHubTemplate();
  if (process.env.OHR_E2E_SKIP_BUILD !== '1') {
    execFileSync('npx', ['wxt', 'build'], { stdio: 'inherit', env: { ...process.env, OHR_E2E: '1' } });
    console.log(`Built the end-to-end extension in ${E2E_EXTENSION_DIR}`);
  }
  // Playwright runs what global set-up returns once the run is over.
  return removeTemplate;
}
