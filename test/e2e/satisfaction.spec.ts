/**
 * The satisfaction question end to end, on a real hub in Chromium: a reporter without the extension gave monitoring
 * answers after sending; the report is closed; on /status they see the question (five points, an optional comment),
 * answer it, and the answer appears in the aggregate counts, by month and by community, never next to the report. axe
 * finds no WCAG 2.2 AA violation on the question or the thank-you.
 */
import { createHash } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import { startHub, type RunningHub } from '../../hub/server';
import { changeStatus } from '../../hub/domain/workflow';
import { satisfactionByCommunity, satisfactionCounts } from '../../hub/domain/satisfaction';
import { Receipt } from '../../lib/schema';
import { makePng } from '../fixtures/png';
import { sampleReport } from '../fixtures/report';
import { sharedChromiumFixtures } from './browser';
import { expect, expectAccessible, test as base } from './fixtures';
import { hubFolder, removeHubFolder, TEST_HUB_CONFIG } from './hub-folder';

const test = base.extend<{ statusHub: RunningHub; page: Page }, { chrome: Browser }>({
  statusHub: async ({}, use) => {
    // A copy of the run's migrated template (hub-folder.ts), not an empty folder: no initdb of its own.
    const dataDir = await hubFolder();
    const hub = await startHub({ port: 0, dataDir, config: { ...TEST_HUB_CONFIG, rateLimit: { enabled: false } } });
    await use(hub);
    await hub.close();
    await removeHubFolder(dataDir);
  },
  ...sharedChromiumFixtures(),
});

/** Files a report through the API as any client would, and returns its receipt. */
async function file(hub: RunningHub): Promise<Receipt> {
  const png = makePng(40, 30);
  const sha256 = createHash('sha256').update(png).digest('hex');
  const put = await fetch(`${hub.url}/api/v1/evidence/${sha256}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: png });
  expect(put.ok).toBe(true);
  const report = sampleReport();
  const [item] = report.items;
  const body = { ...report, items: [{ ...item!, evidence: [{ sha256, mediaType: 'image/png', bytes: png.byteLength, kind: 'screenshot' }] }] };
  const response = await fetch(`${hub.url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return Receipt.parse(await response.json());
}

test('closing a report leads to the satisfaction question on /status; the answer appears in the aggregate by community', async ({ statusHub: hub, page }) => {
  const receipt = await file(hub);
  const monitoring = await fetch(`${hub.url}/api/v1/reports/${receipt.reference}/monitoring`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${receipt.statusToken}` },
    body: JSON.stringify({ ethnicGroup: 'other_arab', religion: 'muslim' }),
  });
  expect(monitoring.status).toBe(201);
  for (const to of ['in_review', 'closed'] as const) {
    expect(await changeStatus(hub.db, { reference: receipt.reference, actorId: null, to, ...(to === 'closed' ? { outcome: 'actioned' as const } : {}) })).toEqual({ kind: 'done' });
  }

  await page.goto(`${hub.url}/status`);
  await page.getByLabel('Reference number').fill(receipt.reference);
  await page.getByLabel('Status code').fill(receipt.statusToken);
  await page.getByRole('button', { name: 'Show my report' }).click();
  const question = page.getByRole('group', { name: 'How satisfied are you with how your report was handled?' });
  await expect(question).toBeVisible();
  await expect(question.getByRole('radio')).toHaveCount(5);
  await expectAccessible(page);
  await page.screenshot({ path: 'scratch/satisfaction-status-question.png', fullPage: true });

  // Sent without a choice: told so in words, the comment kept.
  await page.getByLabel(/Is there anything you want to tell us/).fill('They kept me informed.');
  await page.getByRole('button', { name: 'Send my answer' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose how satisfied you are.');
  await expect(page.getByLabel(/Is there anything you want to tell us/)).toHaveValue('They kept me informed.');

  await page.getByRole('radio', { name: 'Satisfied', exact: true }).check();
  await page.getByRole('button', { name: 'Send my answer' }).click();
  await expect(page.getByRole('status')).toHaveText('Thank you. Your answer was sent.');
  await expect(page.getByText('You have answered this question. Thank you.')).toBeVisible();
  await expect(page.getByRole('radio')).toHaveCount(0);
  await expectAccessible(page);
  await page.screenshot({ path: 'scratch/satisfaction-status-answered.png', fullPage: true });

  const month = new Date().toISOString().slice(0, 7);
  expect(await satisfactionCounts(hub.db, { from: month, to: month })).toEqual([{ month, score: 4, count: 1 }]);
  expect(await satisfactionByCommunity(hub.db, 'ethnic_group_broad')).toEqual([{ value: 'other', score: 4, count: 1 }]);
  expect(await satisfactionByCommunity(hub.db, 'religion')).toEqual([{ value: 'muslim', score: 4, count: 1 }]);
});

test('the question in Welsh and Arabic (right to left), and not asked of a report still open', async ({ statusHub: hub, page }) => {
  const open = await file(hub);
  await page.goto(`${hub.url}/status?lang=ar`);
  await page.locator('#reference').fill(open.reference);
  await page.locator('#code').fill(open.statusToken);
  await page.locator('button[type=submit]').first().click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByText('ما مدى رضاك')).toHaveCount(0);

  for (const to of ['in_review', 'closed'] as const) {
    await changeStatus(hub.db, { reference: open.reference, actorId: null, to, ...(to === 'closed' ? { outcome: 'no_further_action' as const } : {}) });
  }
  await page.goto(`${hub.url}/status?lang=ar`);
  await page.locator('#reference').fill(open.reference);
  await page.locator('#code').fill(open.statusToken);
  await page.locator('button[type=submit]').first().click();
  await expect(page.getByRole('group', { name: 'ما مدى رضاك عن طريقة التعامل مع بلاغك؟' })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: 'scratch/satisfaction-status-ar.png', fullPage: true });
});
