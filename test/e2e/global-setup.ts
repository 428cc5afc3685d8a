import { spawn } from 'node:child_process';
import { buildHubTemplate } from './hub-folder';
import { E2E_EXTENSION_DIR } from './paths';

/** Runs a command to its end, its output shown as it comes; rejects if it fails. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/**
 * Builds the test flavour of the extension once per run (see wxt.config.ts: OHR_E2E), the widget and the report app,
 * and the hubs' template folder. The three are independent and each mostly one thread (PGlite's initdb in WebAssembly,
 * two bundlers), so they run side by side: on two cores that takes the longest of them rather than their sum.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // The widget builds in a few seconds and the hub serves it at /widget.js: always fresh. The report app (`/report`)
  // is built with the widget's settings, after it.
  const widget = run('npx', ['vite', 'build', '--config', 'widget/vite.config.ts']).then(() => run('npm', ['run', '--silent', 'build:app']));
  const extension =
    process.env.OHR_E2E_SKIP_BUILD === '1'
      ? Promise.resolve()
      : run('npx', ['wxt', 'build'], { ...process.env, OHR_E2E: '1' }).then(() => console.log(`Built the end-to-end extension in ${E2E_EXTENSION_DIR}`));
  const template = buildHubTemplate();
  const [removeTemplate] = await Promise.all([template, widget, extension]).catch(async (error: unknown) => {
    // A failed build must not leave the template folder behind.
    await template.then((remove) => remove(), () => undefined);
    throw error;
  });
  // Playwright runs what global set-up returns once the run is over.
  return removeTemplate;
}
