/**
 * `npm run bench:widget`: the embeddable widget's weight and speed.
 *
 * 1. `dist/widget/widget.js` as built (`npm run build:widget`), raw and gzipped; budget ≤ 15 KB gzipped including
 *    Preact. For comparison, Preact alone (the widget uses class components, not hooks), built the same way.
 * 2. Time to first render after load, in Chromium on the hub's demo page, fresh browser context each run: from the end
 *    of the script's download (Resource Timing) to the elements being defined (the script has run), to the widget's
 *    first node in its shadow root (after the IntersectionObserver's first callback), and to the form's first heading
 *    (after the discovery request). Taken with performance marks set by a page-side observer, not by
 *    the widget. Budget: ≤ 50 ms. RUNS sets the sample size (median printed).
 * Not part of `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { startHub } from '../../hub/server';
import { WIDGET_SCRIPT } from '../../hub/widget';
import { chromiumPath } from '../e2e/paths';

const RUNS = Number(process.env.RUNS ?? 9);
const BUDGET_GZIP = 15 * 1024;
const BUDGET_RENDER_MS = 50;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
const gzipped = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).byteLength;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const vite = (...args: string[]) => execFileSync('npx', ['vite', 'build', '--config', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });

/** Preact alone (the core, with class components as the widget uses it), through the widget's own build config. */
async function preactAlone(): Promise<Uint8Array> {
  const dir = new URL('../../node_modules/.cache/ohr-bench-widget/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const entry = new URL('entry.ts', dir);
  // The widget's config injects `h` for JSX, so the entry names its own import differently.
  await writeFile(entry, `import { Component, h as element, render } from 'preact';
class App extends Component { state = { n: 0 }; componentDidMount() { this.setState({ n: 1 }); } render() { return element('p', null, this.state.n); } }
render(element(App, {}), document.body);
`);
  const config = new URL('vite.config.ts', dir);
  const widgetConfig = await readFile(new URL('../../widget/vite.config.ts', import.meta.url), 'utf8');
  await writeFile(config, widgetConfig.replace('`${root}widget/index.ts`', JSON.stringify(entry.pathname)).replace('`${root}dist/widget`', JSON.stringify(new URL('out', dir).pathname)).replace("new URL('..', import.meta.url)", JSON.stringify(new URL('../../', import.meta.url).href)));
  vite(config.pathname);
  const bytes = await readFile(new URL('out/widget.js', dir));
  await rm(dir, { recursive: true, force: true });
  return bytes;
}

async function renderTimes(): Promise<{ executed: number[]; firstNode: number[]; form: number[] }> {
  const hub = await startHub({ port: 0, dataDir: 'memory://', config: { logLevel: 'silent', rateLimit: { enabled: false } } });
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
  const executed: number[] = [];
  const firstNode: number[] = [];
  const form: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      // Page-side marks: the first node the widget puts in a shadow root, and the form's heading.
      // (Scripts as strings: tsx would wrap functions in helpers that do not exist in the page.)
      await page.addInitScript(`
        customElements.whenDefined('ohr-report-form').then(() => performance.mark('ohr-defined'));
        const attach = Element.prototype.attachShadow;
        Element.prototype.attachShadow = function (init) {
          const root = attach.call(this, init);
          const observer = new MutationObserver(() => {
            if (!performance.getEntriesByName('ohr-first-node').length) performance.mark('ohr-first-node');
            if (root.querySelector('h2')) {
              performance.mark('ohr-form');
              observer.disconnect();
            }
          });
          observer.observe(root, { childList: true, subtree: true });
          return root;
        };`);
      await page.goto(`${hub.url}/`);
      // Polled from outside: waitForFunction would need 'unsafe-eval', which the demo page's CSP rightly refuses.
      while (!(await page.evaluate<boolean>(`performance.getEntriesByName('ohr-form').length > 0`))) await new Promise((resolve) => setTimeout(resolve, 20));
      const [defined, node, heading] = await page.evaluate<[number, number, number]>(`(() => {
        const script = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/widget.js'));
        const at = (name) => performance.getEntriesByName(name)[0].startTime - script.responseEnd;
        return [at('ohr-defined'), at('ohr-first-node'), at('ohr-form')];
      })()`);
      executed.push(defined);
      firstNode.push(node);
      form.push(heading);
      await context.close();
    }
  } finally {
    await browser.close();
    await hub.close();
  }
  return { executed, firstNode, form };
}

vite('widget/vite.config.ts');
const widget = await readFile(WIDGET_SCRIPT);
const preact = await preactAlone();
const widgetGzip = gzipped(widget);
console.log(`widget.js            ${kb(widget.byteLength)} raw, ${kb(widgetGzip)} gzipped (budget ${kb(BUDGET_GZIP)}: ${widgetGzip <= BUDGET_GZIP ? 'met' : 'NOT met'})`);
console.log(`preact alone         ${kb(preact.byteLength)} raw, ${kb(gzipped(preact))} gzipped`);
const times = await renderTimes();
const fmt = (values: number[]) => `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)}, ${values.length} runs)`;
console.log(`script loaded → elements defined   ${fmt(times.executed)}`);
console.log(`script loaded → widget's first node   ${fmt(times.firstNode)} (budget ${BUDGET_RENDER_MS} ms: ${median(times.firstNode) <= BUDGET_RENDER_MS ? 'met' : 'NOT met'})`);
console.log(`script loaded → form shown (after discovery) ${fmt(times.form)}`);
