/**
 * `npm start`: the whole thing on one machine. Builds the extension, then runs the hub with its embedded
 * database and says how to load the extension. Arguments go to the hub (e.g. `npm start -- --port 9000`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const build = spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// The embeddable widget, which the hub serves at /widget.js (and shows on its demo page at /), and the report app at /report.
const widget = spawnSync('npm', ['run', '--silent', 'build:widget'], { stdio: 'inherit' });
if (widget.status !== 0) process.exit(widget.status ?? 1);

const extensionDir = resolve('.output/chrome-mv3');
console.log(`
Extension built in ${extensionDir}
Load it in Chrome, Edge or Chromium:
  1. open chrome://extensions (edge://extensions in Edge)
  2. turn on "Developer mode"
  3. choose "Load unpacked" and pick ${extensionDir}
Then, in the extension's settings, add this hub as an organisation, at the address it prints below.
Starting the hub (Ctrl+C stops it); it says where it listens, where its triage console is and, on first start,
the one-time link that creates the console's first admin account…
`);

const hub = spawn(process.execPath, ['--import', 'tsx', 'hub/cli.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => hub.kill(signal));
hub.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
