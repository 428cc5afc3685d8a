/**
 * Stored and reflected XSS in the triage console, in real Chromium. Reports carry Big List of Naughty Strings entries
 * or a well-known XSS polyglot in every free-text field; a moderator types polyglots into notes and the search box.
 * A trap installed before any page script (alert, confirm, prompt and print replaced, and `__ohrXss` for the
 * polyglots' own calls) counts what runs, and every page's DOM is searched for elements the payloads could have made.
 *
 * Two browsers: one with the console's CSP bypassed, so escaping alone is what stands between a payload and the page
 * (a slip would run and be counted), and one with the CSP in force, checking that it is strict and that nothing ever
 * trips it.
 */
import type { Browser, Page } from '@playwright/test';
import type { RunningHub } from '../../hub/server';
import { Report } from '../../lib/schema';
import { blns, everywhere } from '../fixtures/naughty';
import { sampleReport } from '../fixtures/report';
import { consoleTest, signIn, type ConsoleAccount } from './console-fixtures';
import { expect } from './fixtures';

const ACCOUNT: ConsoleAccount = { email: 'xss-check@hub.example', password: 'a long enough passphrase for e2e', role: 'admin' };

/** Polyglots that call the trap themselves, so a slip is counted even where alert is not what they would call. */
const POLYGLOTS = [
  `<svg onload=__ohrXss('svg')>`,
  `<img src=x onerror=__ohrXss('img')>`,
  `"><script>__ohrXss('script')</script>`,
  `'"><img src=x onerror=__ohrXss('attr')>`,
  `javascript:__ohrXss('javascript-url')`,
  `<a href="javascript:__ohrXss('a')">follow</a>`,
  `<iframe srcdoc="<script>parent.__ohrXss('iframe')</script>"></iframe>`,
  `<details open ontoggle=__ohrXss('details')>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=__ohrXss('mxss')>`,
  "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=__ohrXss('polyglot') )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=__ohrXss('polyglot')//>\\x3e",
  `{{constructor.constructor('__ohrXss("angular")')()}}`,
  '${__ohrXss("template-literal")}',
  '{{7*7}} ${7*7} <%= 7*7 %> #{7*7}',
  `<meta http-equiv="refresh" content="0;url=javascript:__ohrXss('meta')">`,
  `<style>*{display:none}</style><base href="https://attacker.invalid/">`,
];

/** Installed before any page script: whatever a payload manages to run lands in `__ohrHits`. */
function installTrap(): void {
  const hits: string[] = [];
  const csp: string[] = [];
  Object.assign(window, { __ohrHits: hits, __ohrCsp: csp, __ohrXss: (what: unknown) => hits.push(String(what)) });
  for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
    Object.assign(window, { [name]: (...args: unknown[]) => hits.push(`${name}(${args.join(',')})`) });
  }
  document.addEventListener('securitypolicyviolation', (event) => csp.push(`${event.violatedDirective} ${event.blockedURI}`));
}

interface PageFindings {
  hits: string[];
  csp: string[];
  /** Elements or attributes in the DOM that only markup from a payload could have made. */
  injected: string[];
}

async function findings(page: Page): Promise<PageFindings> {
  return page.evaluate(() => {
    const injected: string[] = [];
    for (const element of document.querySelectorAll('*')) {
      for (const attribute of element.attributes) {
        if (/^on/i.test(attribute.name)) injected.push(`${element.tagName} ${attribute.name}`);
        const navigates = /^(href|src|action|formaction|data|poster|background|xlink:href)$/i.test(attribute.name);
        if (navigates && /^\s*javascript:/i.test(attribute.value)) injected.push(`${element.tagName} ${attribute.name}=javascript:`);
      }
    }
    for (const element of document.querySelectorAll('script, iframe, object, embed, base, meta[http-equiv], svg[onload], math')) {
      // The console's own scripts (the queue's and the report view's keys): in the head, where only the page shell
      // writes, each a file of the console. Page content, and so any payload, is in the body.
      const own = element.tagName === 'SCRIPT' && element.parentElement === document.head && /^\/console\/[\w/-]+\.js$/.test(element.getAttribute('src') ?? '');
      if (!own) injected.push(element.tagName);
    }
    const trap = window as unknown as { __ohrHits: string[]; __ohrCsp: string[] };
    return { hits: [...trap.__ohrHits], csp: [...trap.__ohrCsp], injected };
  });
}

const CLEAN: PageFindings = { hits: [], csp: [], injected: [] };

async function expectClean(page: Page, where: string): Promise<void> {
  expect({ where, ...(await findings(page)) }).toEqual({ where, ...CLEAN });
}

const test = consoleTest(ACCOUNT);

async function signedInPage(browser: Browser, hub: RunningHub, bypassCSP: boolean): Promise<{ page: Page; dialogs: string[] }> {
  const context = await browser.newContext({ bypassCSP });
  await context.addInitScript(installTrap);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`${hub.url}/console/login`);
  await signIn(page, ACCOUNT);
  return { page, dialogs };
}

async function post(hub: RunningHub, report: Report): Promise<Response> {
  return fetch(`${hub.url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
    body: JSON.stringify(report),
  });
}

/**
 * The corpus packed into as few reports as the field limits allow (strings joined by a space, each report still one
 * the schema takes), so every string is in every free-text field without a page view per string.
 */
function packed(strings: readonly string[]): string[] {
  const chunks: string[] = [];
  let current: string | undefined;
  for (const text of strings) {
    if (!Report.safeParse(everywhere(text)).success) continue;
    const joined = current === undefined ? text : `${current} ${text}`;
    if (Report.safeParse(everywhere(joined)).success) current = joined;
    else {
      if (current !== undefined) chunks.push(current);
      current = text;
    }
  }
  if (current !== undefined) chunks.push(current);
  return chunks;
}

/** Files the packed corpus and one report per polyglot; returns the polyglot reports' references, payload by payload. */
async function fileHostileReports(hub: RunningHub): Promise<Map<string, string>> {
  const naughty = blns();
  const chunks = packed(naughty);
  // Nearly all of the corpus is taken; the rest is refused in words (the hub's own tests check that).
  expect(chunks.join(' ').length).toBeGreaterThan(naughty.join(' ').length * 0.9);
  for (const chunk of chunks) expect((await post(hub, everywhere(chunk))).status).toBe(201);

  const references = new Map<string, string>();
  for (const payload of POLYGLOTS) {
    const response = await post(hub, everywhere(payload));
    expect(response.status, payload).toBe(201);
    references.set(payload, ((await response.json()) as { reference: string }).reference);
  }
  // A `javascript:` address never gets in at all.
  const base = sampleReport();
  const scripted = await post(hub, { ...base, items: [{ ...base.items[0]!, url: `javascript:__ohrXss('url')` }] });
  expect(scripted.status).toBe(422);
  return references;
}

test('no payload in any report, note or search runs in the console, with or without its CSP', async ({ consoleHub: hub, chrome }) => {
  test.setTimeout(300_000);
  const polyglotReports = await fileHostileReports(hub);
  const [counted] = await hub.db.query<{ total: number }>('SELECT count(*)::int AS total FROM reports');
  const total = counted?.total;

  const { page, dialogs } = await signedInPage(chrome, hub, true);

  // The queue, page by page: every report appears once in the list.
  const seen: string[] = [];
  const first = await page.goto(`${hub.url}/console/queue?status=all`);
  expect(first?.status(), await page.locator('main').innerText()).toBe(200);
  for (;;) {
    await expectClean(page, page.url());
    seen.push(...(await page.locator('a[href^="/console/reports/"]').evaluateAll((links) => links.map((link) => link.getAttribute('href')!))));
    const next = page.locator('a[rel="next"]');
    if ((await next.count()) === 0) break;
    await next.first().click();
  }
  const references = [...new Set(seen.map((href) => href.split('/').pop()!))];
  expect(references.length).toBe(total);

  // Every report's own page.
  for (const reference of references) {
    await page.goto(`${hub.url}/console/reports/${reference}`);
    await expectClean(page, reference);
  }

  // The polyglots are shown as the text they are.
  for (const [payload, reference] of polyglotReports) {
    await page.goto(`${hub.url}/console/reports/${reference}`);
    expect(await page.evaluate(() => document.body.textContent ?? '')).toContain(payload);
  }

  // A moderator's own words: an internal note and a public note carrying a polyglot, then the page that shows them.
  const [firstPayload, firstReference] = [...polyglotReports][0]!;
  await page.goto(`${hub.url}/console/reports/${firstReference}`);
  for (const [label, button] of [
    ['Add a note', 'Add note'],
    ['Note the reporter sees', 'Save note for the reporter'],
  ] as const) {
    await page.getByLabel(label, { exact: true }).fill(POLYGLOTS[3]!);
    await page.getByRole('button', { name: button, exact: true }).click();
    await expectClean(page, `after saving "${label}"`);
  }
  const shown = await page.evaluate(() => document.body.textContent ?? '');
  expect(shown).toContain(firstPayload);
  expect(shown.split(POLYGLOTS[3]!).length - 1).toBeGreaterThanOrEqual(2);

  // Reflected: each polyglot typed into the search box and carried in other filters.
  for (const payload of POLYGLOTS) {
    await page.goto(`${hub.url}/console/queue?q=${encodeURIComponent(payload)}`);
    await expectClean(page, `search ${payload}`);
    await page.goto(`${hub.url}/console/queue?platform=${encodeURIComponent(payload)}&cursor=${encodeURIComponent(payload)}`);
    await expectClean(page, `filters ${payload}`);
  }

  // The cluster every one of these reports shares (the same address), the referral page, the dashboard, open data.
  for (const path of [
    `/console/clusters/${firstReference}`,
    `/console/referrals?refs=${firstReference}`,
    '/console/dashboard',
    '/console/open-data',
  ]) {
    await page.goto(hub.url + path);
    await expectClean(page, path);
  }
  await page.goto(`${hub.url}/console/referrals?refs=${firstReference}`);
  await page.getByRole('button', { name: 'Refer to platform (DSA notice)' }).click();
  await expect(page.locator('pre')).toContainText(firstPayload);
  await expectClean(page, 'DSA notice');
  expect(dialogs).toEqual([]);

  // With the CSP in force: strict, and never tripped by any of it.
  const enforced = await signedInPage(chrome, hub, false);
  const response = await enforced.page.goto(`${hub.url}/console/queue`);
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("default-src 'none'");
  // The queue loads its keyboard script, a file of the console's own origin; never inline script or eval.
  expect(policy).toContain("script-src 'self'");
  expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
  await expectClean(enforced.page, 'queue with CSP');
  for (const reference of polyglotReports.values()) {
    await enforced.page.goto(`${hub.url}/console/reports/${reference}`);
    await expectClean(enforced.page, `${reference} with CSP`);
  }
  await enforced.page.goto(`${hub.url}/console/dashboard`);
  await expectClean(enforced.page, 'dashboard with CSP');
  expect(enforced.dialogs).toEqual([]);
});
