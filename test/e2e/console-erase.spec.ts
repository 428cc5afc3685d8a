/**
 * Erasing a report in real Chromium against a real hub: an admin opens a closed report, follows "Erase this report…",
 * reads what goes and what stays, cannot send the form without a reason and the confirmation (the browser's own
 * `required`: the console runs no script), then erases it; the report shows as erased, its details and evidence gone,
 * and the trail keeps its entries with "erased" where details were removed. axe-core checks every page.
 */
import { sha256Hex } from '../../lib/hash';
import type { Report } from '../../lib/schema';
import { addNote, changeStatus } from '../../hub/domain/workflow';
import { readEvidence } from '../../hub/domain/evidence';
import { makePng } from '../fixtures/png';
import { sampleReport } from '../fixtures/report';
import { consoleTest, signIn, type ConsoleAccount } from './console-fixtures';
import { expect, expectAccessible } from './fixtures';
import { expectReadableText } from './readable';

const ACCOUNT: ConsoleAccount = { email: 'eraser@hub.example', password: 'a long enough passphrase for e2e', role: 'admin' };

const test = consoleTest(ACCOUNT, { viewport: { width: 1100, height: 900 } });

test('an admin erases a closed report after choosing why and confirming', async ({ consoleHub: hub, page }) => {
  test.setTimeout(120_000);
  const png = makePng(40, 30);
  const sha256 = await sha256Hex(png);
  expect((await fetch(`${hub.url}/api/v1/evidence/${sha256}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: png })).status).toBe(201);
  const base = sampleReport();
  const report: Report = {
    ...base,
    reporter: { ...base.reporter, anonymous: false, name: 'Nia Named', email: 'nia@example.org', contact: { channel: 'email' } },
    incident: { ...base.incident, summary: 'They posted my address' },
    items: [{ ...base.items[0]!, captureMethod: 'manual', evidence: [{ sha256, mediaType: 'image/png', bytes: png.byteLength, kind: 'screenshot' }] }],
  };
  const posted = await fetch(`${hub.url}/api/v1/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id }, body: JSON.stringify(report) });
  expect(posted.status).toBe(201);
  const { reference } = (await posted.json()) as { reference: string };
  const [admin] = await hub.db.query<{ id: string }>('SELECT id::text AS id FROM moderators');
  expect(await addNote(hub.db, { reference, actorId: admin!.id, body: 'Nia asked us to call after six' })).toEqual({ kind: 'done' });
  expect(await changeStatus(hub.db, { reference, actorId: admin!.id, to: 'closed', outcome: 'no_further_action' })).toEqual({ kind: 'done' });

  await page.goto(`${hub.url}/console`);
  await signIn(page, ACCOUNT);
  await page.goto(`${hub.url}/console/reports/${reference}`);
  await expect(page.getByText('They posted my address')).toBeVisible();
  await page.getByRole('link', { name: 'Erase this report…' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Erase report ${reference}`);
  await expectAccessible(page);
  await expectReadableText(page);

  // Nothing chosen: the browser refuses to send the form and the page stays.
  await page.getByRole('button', { name: 'Erase the report' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Erase report ${reference}`);
  await page.getByLabel('The reporter asked for their data to be erased').check();
  await page.getByRole('button', { name: 'Erase the report' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Erase report ${reference}`);
  expect(await readEvidence(hub.db, sha256)).toBeDefined();

  await page.getByLabel('I understand the report’s details and evidence are gone for good').check();
  await page.getByRole('button', { name: 'Erase the report' }).click();
  await expect(page.getByRole('status')).toHaveText('The report was erased.');
  await expect(page.getByTestId('erased')).toBeVisible();
  await expect(page.getByText('They posted my address')).toHaveCount(0);
  await expect(page.getByText('Nia asked us to call after six')).toHaveCount(0);
  // The trail keeps who did what, in sentences: the erasure itself and the admin's opening of the picture among them.
  const rows = page.getByTestId('audit-row');
  await expect(rows).toHaveCount(4);
  await expect(rows.filter({ hasText: 'erased the report’s personal data and evidence.' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'opened a piece of evidence.' })).toHaveCount(1);
  expect(await readEvidence(hub.db, sha256)).toBeUndefined();
  await expectAccessible(page);
  await expectReadableText(page);
});
