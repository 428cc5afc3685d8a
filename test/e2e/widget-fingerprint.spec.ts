/**
 * Intimate-image abuse reported by fingerprint through the widget, in real Chromium on a host page of another origin
 * with a strict CSP, against a real hub (issue 23, section 3): for that harm the address step offers "Send only a
 * fingerprint of each picture", ticked; the field and PDQ load from the hub (/widget/pdq.js) as a module; a real
 * photograph chosen there is listed as "fingerprint only"; the report reaches the hub with the picture's PDQ hash —
 * the same, within a few bits, as the reference implementation's of the same pixels — and no byte of the picture
 * (no evidence row, nothing in any table). axe-core finds no violation on the step.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { startHub, type RunningHub } from '../../hub/server';
import { hammingDistance, pdqHash } from '../../lib/pdq/pdq';
import { photo, readFixture } from '../fixtures/pdq';
import { expect, expectAccessible, test as base } from './fixtures';
import { plainChromiumFixtures } from './browser';
import { hubFolder, removeHubFolder, TEST_HUB_CONFIG } from './hub-folder';

const PHOTO = fileURLToPath(new URL('../fixtures/pdq/chelsea.png', import.meta.url));

/** A community site on its own origin embedding the widget, under a CSP that allows scripts from the hub only. */
async function hostPage(hubUrl: () => string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.url !== '/') return void response.writeHead(404).end();
    const hub = hubUrl();
    response
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': `default-src 'none'; script-src ${hub}; connect-src ${hub}; base-uri 'none'` })
      .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Community centre</title><script src="${hub}/widget.js" async></script></head>` +
        `<body><main><h1>Community centre</h1><ohr-report-form endpoint="${hub}"></ohr-report-form></main></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => (server.closeAllConnections(), new Promise<void>((resolve) => server.close(() => resolve()))) };
}

const test = base.extend<{ host: { origin: string; useHub(url: string): void }; fingerprintHub: RunningHub; chrome: Browser; page: Page }>({
  host: async ({}, use) => {
    let hub = '';
    const site = await hostPage(() => hub);
    await use({ origin: site.origin, useHub: (url) => void (hub = url) });
    await site.close();
  },
  fingerprintHub: async ({ host }, use) => {
    const dataDir = await hubFolder();
    const hub = await startHub({ port: 0, dataDir, config: { ...TEST_HUB_CONFIG, corsOrigins: [host.origin], rateLimit: { enabled: false } } });
    host.useHub(hub.url);
    await use(hub);
    await hub.close();
    await removeHubFolder(dataDir);
  },
  ...plainChromiumFixtures({ viewport: { width: 1000, height: 900 } }),
});

test.describe.configure({ timeout: 150_000 });

test('a photograph of intimate-image abuse reaches the hub as its fingerprint only', async ({ page, host, fingerprintHub }, testInfo) => {
  await page.goto(host.origin);
  const next = page.getByRole('button', { name: 'Next' });
  await expect(page.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  await next.click();
  await page.getByLabel('the person it was aimed at').check();
  await next.click();
  await page.getByLabel('In your own words, what happened?').fill('A private photo of me was posted without my consent');
  await next.click();
  await page.getByLabel('sex or gender').check();
  await next.click();
  await page.getByLabel('sharing intimate pictures without consent').check();
  await next.click();
  for (const title of ['When did it happen?', 'How has it affected you?', 'Have you reported it before?', 'Can they contact you?']) {
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await next.click();
  }
  await expect(page.getByRole('heading', { name: 'Where did you see it?' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Address of post or page 1' }).fill('https://forum.example/t/1');

  const choice = page.getByLabel('Send only a fingerprint of each picture — the organisation won’t see it');
  await expect(choice).toBeChecked();
  // Fingerprints replace the upload field while the box is ticked.
  await expect(page.getByLabel(/^Screenshots for address 1/)).toHaveCount(0);
  await page.getByLabel('Pictures for address 1 (only their fingerprints are sent)').setInputFiles(PHOTO);
  await expect(page.getByText('chelsea.png: fingerprint only')).toBeVisible();
  await expectAccessible(page);
  await page.locator('ohr-report-form').screenshot({ path: testInfo.outputPath('fingerprint-field.png') });

  await next.click();
  await expect(page.getByRole('heading', { name: 'Check your report' })).toBeVisible();
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByText(/OHR-[0-9A-Z]{4}-[0-9A-Z]{4}/).first()).toBeVisible({ timeout: 30_000 });

  const [stored] = await fingerprintHub.db.query<{ body: { items: Array<{ evidence: unknown[]; perceptualHashes?: Array<{ hash: string; quality: number }> }> } }>('SELECT body FROM reports');
  const sent = stored!.body.items[0]!;
  expect(sent.evidence).toEqual([]);
  const cat = photo('chelsea.png');
  const reference = pdqHash(cat.data, cat.width, cat.height);
  expect(sent.perceptualHashes).toHaveLength(1);
  expect(hammingDistance(sent.perceptualHashes![0]!.hash, reference.hash)).toBeLessThanOrEqual(4);
  expect(sent.perceptualHashes![0]!.quality).toBe(reference.quality);
  for (const table of ['evidence', 'report_evidence', 'evidence_chunks']) {
    expect((await fingerprintHub.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n, table).toBe(0);
  }
  // A run of the picture's bytes, as bytea prints and in base64, is in no row of any table.
  const png = readFixture('chelsea.png');
  const pieces = [png.subarray(200, 224).toString('hex'), png.subarray(200, 224).toString('base64')];
  const tables = await fingerprintHub.db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  for (const { name } of tables) {
    const [found] = await fingerprintHub.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${name}" t WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS p WHERE t::text LIKE '%' || p || '%')`,
      [pieces],
    );
    expect(found?.n, name).toBe(0);
  }
});
