/**
 * Referrals and open data in real Chromium against a real hub: a moderator signs in, opens a report, produces the
 * DSA notice (shown as text, downloaded as JSON) and the police case file (downloaded through the browser and checked
 * against its own SHA256SUMS), sees both in the audit trail, sets the report to referred, and opens the dashboard and
 * the public open data page. axe-core checks every page.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import type { RunningHub } from '../../hub/server';
import { sha256Hex } from '../../lib/hash';
import type { Report } from '../../lib/schema';
import { DsaNotice } from '../../hub/console/referrals/dsa-notice';
import { makePng } from '../fixtures/png';
import { sampleReport } from '../fixtures/report';
import { consoleTest, signIn, type ConsoleAccount } from './console-fixtures';
import { expect, expectAccessible } from './fixtures';
import { expectReadableText } from './readable';

const ACCOUNT: ConsoleAccount = { email: 'referrer@hub.example', password: 'a long enough passphrase for e2e', role: 'moderator' };

const test = consoleTest(ACCOUNT, { viewport: { width: 1100, height: 900 }, acceptDownloads: true });

/** Files a report with one screenshot through the intake API, as the extension would. */
async function fileReport(hub: RunningHub): Promise<string> {
  const png = makePng(40, 30);
  const sha256 = await sha256Hex(png);
  const put = await fetch(`${hub.url}/api/v1/evidence/${sha256}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: png });
  expect(put.status).toBe(201);
  const base = sampleReport();
  const report: Report = {
    ...base,
    reporter: {
      ...base.reporter,
      anonymous: false,
      name: 'Rana Reporter',
      email: 'rana@example.org',
      contact: { channel: 'email' },
      consents: { police: true, platform: true, shareContact: false, supportReferral: false },
    },
    incident: { ...base.incident, summary: '<img src=x onerror=alert(1)> told us to leave' },
    items: [{ ...base.items[0]!, captureMethod: 'manual', text: 'Get out <script>alert(2)</script>', evidence: [{ sha256, mediaType: 'image/png', bytes: png.byteLength, kind: 'screenshot' }] }],
  };
  const posted = await fetch(`${hub.url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
    body: JSON.stringify(report),
  });
  expect(posted.status).toBe(201);
  return ((await posted.json()) as { reference: string }).reference;
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Uint8Array }> {
  const download = page.waitForEvent('download');
  await click();
  const file = await download;
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: new Uint8Array(await readFile(path)) };
}

test('a moderator refers a report to the platform and the police, and opens the open data', async ({ consoleHub: hub, page }) => {
  // Sign-in (argon2id), six pages and five axe-core runs on a shared two-core machine.
  test.setTimeout(180_000);
  const reference = await fileReport(hub);
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });

  await page.goto(`${hub.url}/console/login`);
  await signIn(page, ACCOUNT);

  await page.goto(`${hub.url}/console/reports/${reference}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(reference);

  await page.getByRole('link', { name: 'Refer to the platform or the police' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Refer 1 report');
  await expectAccessible(page);
  await expectReadableText(page);

  await page.getByRole('button', { name: 'Refer to platform (DSA notice)' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('DSA notice to the platform');
  const text = page.locator('pre');
  await expect(text).toContainText('NOTICE OF ILLEGAL CONTENT');
  await expect(text).toContainText('    > <img src=x onerror=alert(1)> told us to leave');
  await expect(text).toContainText('did not agree to share their contact details');
  await expect(text).not.toContainText('rana@example.org');
  await expectAccessible(page);
  await expectReadableText(page);
  const json = await downloaded(page, () => page.getByRole('link', { name: 'Download the notice as JSON' }).click());
  expect(json.name).toMatch(new RegExp(`^dsa-notice-${reference}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  const notice = DsaNotice.parse(JSON.parse(strFromU8(json.bytes)));
  expect(notice.locations.map((location) => location.url)).toEqual(['https://example.org/posts/1']);
  await expect(page.getByText(createHash('sha256').update(json.bytes).digest('hex'))).toBeVisible();

  await page.getByRole('link', { name: 'Back to the referral page' }).click();
  const zip = await downloaded(page, () => page.getByRole('button', { name: 'Police case file' }).click());
  expect(zip.name).toMatch(new RegExp(`^case-file-${reference}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
  const files = unzipSync(zip.bytes);
  const sums = strFromU8(files.SHA256SUMS!).trimEnd().split('\n');
  expect(sums.length).toBe(Object.keys(files).length - 1);
  for (const line of sums) {
    const [hash, name] = line.split('  ');
    expect(createHash('sha256').update(files[name!]!).digest('hex'), name).toBe(hash);
  }
  expect(strFromU8(files['summary.html']!)).not.toContain('<script>');

  await page.reload();
  const zipSha = createHash('sha256').update(zip.bytes).digest('hex');
  const history = page.getByRole('table').last();
  await expect(history).toContainText('referral.dsa_notice');
  await expect(history).toContainText('referral.case_file');
  await expect(history).toContainText(zipSha);
  await page.getByRole('button', { name: 'Set status to referred' }).click();
  await expect(page.getByRole('status')).toHaveText('The reports are now “referred”.');
  await expectAccessible(page);
  await expectReadableText(page);

  await page.goto(`${hub.url}/console/reports/${reference}`);
  await expect(page.getByTestId('audit-row').filter({ hasText: 'made a police case file.' })).toHaveCount(1);

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Open data: reports of online hate');
  await expect(page.getByRole('table', { name: 'Reports by targeted characteristic', exact: true })).toBeVisible();
  await expectAccessible(page);
  await expectReadableText(page);

  await page.context().clearCookies();
  await page.goto(`${hub.url}/console/open-data`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Published data');
  await expect(page.getByRole('row', { name: 'religion fewer than 5' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download all the open data (JSON)' })).toHaveAttribute('href', '/console/open-data.json');
  await expect(page.getByRole('heading', { name: 'Satisfaction by religion' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Time to first action' })).toBeVisible();
  await page.screenshot({ path: 'scratch/open-data.png', fullPage: true });
  await expectAccessible(page);
  await expectReadableText(page);
  expect(dialogs).toBe(0);
});
