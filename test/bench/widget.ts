/**
 * `npm run bench:widget`: the embeddable widget's weight and speed.
 *
 * 1. `dist/widget/widget.js` as built (`npm run build:widget`), raw and gzipped; budget ≤ 15 KB gzipped including
 *    Preact. For comparison, Preact alone (the widget uses class components, not hooks), built the same way.
 * 2. Time to first render after load, in Chromium on the hub's demo page, fresh browser context each run: from the end
 *    of the script's download (Resource Timing) to the elements being defined (the script has run), to the widget's
 *    first node in its shadow root (after the IntersectionObserver's first callback), and to the form's first heading
 *    (after the discovery request). Taken with performance marks set by a page-side observer, not by
 *    the widget. The same is timed, alternately, for a baseline served at the same address: a script that waits for
 *    the element to be seen and draws one heading, the least any embedded form can do. On a small shared machine a
 *    fresh page takes tens of milliseconds to run any async script at all, and these wall-clock times swing widely.
 * 3. The page's main-thread script time until the form is shown (Chromium's ScriptDuration metric, read over CDP in
 *    the same loads): evaluating the widget and every call into it, which is what the widget adds to the host page.
 *    Budget: ≤ 50 ms (median). RUNS sets the sample size (medians printed).
 * Not part of `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { Browser } from '@playwright/test';
import { startHub } from '../../hub/server';
import { WIDGET_SCRIPT } from '../../hub/widget';
import { WIDGET_PACKS } from '../../hub/widget-lang';
import { launchPlainChromium } from '../e2e/browser';

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

/**
 * The floor any embedded script pays on this machine: the same element name and the same wait for visibility, then one
 * heading in a shadow root. Served at the same address the same way, so the difference is the widget's own work.
 */
const BASELINE_SCRIPT = `customElements.define('ohr-report-form', class extends HTMLElement {
  connectedCallback() {
    const observer = new IntersectionObserver((seen) => {
      if (!seen.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      const heading = document.createElement('h2');
      heading.textContent = 'Report';
      this.attachShadow({ mode: 'open' }).append(heading);
    });
    observer.observe(this);
  }
});`;

// Page-side marks: the elements defined, the first node the widget puts in a shadow root, and the form's heading.
// (Scripts as strings: tsx would wrap functions in helpers that do not exist in the page.)
const MARKS = `customElements.whenDefined('ohr-report-form').then(() => performance.mark('ohr-defined'));
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      const root = attach.call(this, init);
      const seen = () => {
        if (!performance.getEntriesByName('ohr-first-node').length) performance.mark('ohr-first-node');
        if (root.querySelector('h2')) {
          performance.mark('ohr-form');
          observer.disconnect();
          ohrFormShown();
        }
      };
      const observer = new MutationObserver(seen);
      observer.observe(root, { childList: true, subtree: true });
      return root;
    };`;

interface Times {
  executed: number[];
  firstNode: number[];
  form: number[];
  /** The page's main-thread script time until the form is shown. */
  scriptMs: number[];
}

/**
 * One page load with `script` served as /widget.js (fresh context): ms from the script's arrival to each mark, and the
 * page's script time (Chromium's ScriptDuration: all JavaScript run on the page's main thread) when the form is shown.
 * The page tells the bench through a binding rather than being polled, which would itself be script time.
 */
async function loadOnce(browser: Browser, hubUrl: string, script: Uint8Array | string, times: Times): Promise<void> {
  const context = await browser.newContext();
  await context.route('**/widget.js', (route) => route.fulfill({ body: Buffer.from(script), contentType: 'text/javascript; charset=utf-8' }));
  const page = await context.newPage();
  let formShown = () => {};
  const shown = new Promise<void>((resolve) => (formShown = resolve));
  await page.exposeBinding('ohrFormShown', () => formShown());
  await page.addInitScript(MARKS);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${hubUrl}/`);
  await shown;
  const { metrics } = await cdp.send('Performance.getMetrics');
  const [defined, node, heading] = await page.evaluate<[number, number, number]>(`(() => {
    const script = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/widget.js'));
    const at = (name) => performance.getEntriesByName(name)[0].startTime - script.responseEnd;
    return [at('ohr-defined'), at('ohr-first-node'), at('ohr-form')];
  })()`);
  times.executed.push(defined);
  times.firstNode.push(node);
  times.form.push(heading);
  times.scriptMs.push((metrics.find((metric) => metric.name === 'ScriptDuration')?.value ?? Number.NaN) * 1000);
  await context.close();
}

/** The widget and the baseline, alternating, so both meet the same moments of a shared machine. */
async function renderTimes(widget: Uint8Array): Promise<{ widget: Times; baseline: Times }> {
  const hub = await startHub({ port: 0, dataDir: 'memory://', config: { logLevel: 'silent', rateLimit: { enabled: false } } });
  const browser = await launchPlainChromium();
  const none = (): Times => ({ executed: [], firstNode: [], form: [], scriptMs: [] });
  const times = { widget: none(), baseline: none() };
  try {
    await loadOnce(browser, hub.url, widget, none()); // warm-up: the hub's first answers
    for (let run = 0; run < RUNS; run++) {
      await loadOnce(browser, hub.url, widget, times.widget);
      await loadOnce(browser, hub.url, BASELINE_SCRIPT, times.baseline);
    }
  } finally {
    await browser.close();
    await hub.close();
  }
  return times;
}

vite('widget/vite.config.ts');
const widget = await readFile(WIDGET_SCRIPT);
const preact = await preactAlone();
const widgetGzip = gzipped(widget);
console.log(`widget.js            ${kb(widget.byteLength)} raw, ${kb(widgetGzip)} gzipped (budget ${kb(BUDGET_GZIP)}: ${widgetGzip <= BUDGET_GZIP ? 'met' : 'NOT met'})`);
// The language packs are not part of the budget: each is fetched only by pages in its language (widget/README.md).
for (const name of await readdir(WIDGET_PACKS)) {
  const pack = await readFile(new URL(name, WIDGET_PACKS));
  console.log(`${`lang/${name}`.padEnd(21)}${kb(pack.byteLength)} raw, ${kb(gzipped(pack))} gzipped (only for pages in that language)`);
}
console.log(`preact alone         ${kb(preact.byteLength)} raw, ${kb(gzipped(preact))} gzipped`);
const times = await renderTimes(widget);
const fmt = (values: number[]) => `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)}, ${values.length} runs)`;
for (const [label, key] of [['elements defined', 'executed'], ["first node (the widget's first render)", 'firstNode'], ['form shown (after discovery)', 'form']] as const) {
  console.log(`script loaded → ${label}`);
  console.log(`  widget     ${fmt(times.widget[key])}`);
  console.log(`  baseline   ${fmt(times.baseline[key])}`);
}
const over = median(times.widget.firstNode) - median(times.baseline.firstNode);
console.log(`first render over the baseline: +${over.toFixed(1)} ms (ratio ${(median(times.widget.firstNode) / median(times.baseline.firstNode)).toFixed(2)})`);
const script = median(times.widget.scriptMs);
console.log(`page's main-thread script time until the form is shown (Chromium ScriptDuration)`);
console.log(`  widget     ${fmt(times.widget.scriptMs)} (budget ${BUDGET_RENDER_MS} ms: ${script <= BUDGET_RENDER_MS ? 'met' : 'NOT met'})`);
console.log(`  baseline   ${fmt(times.baseline.scriptMs)}`);
