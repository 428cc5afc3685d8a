/**
 * The delivery log in real Chromium: an admin follows "Delivery log" in the navigation and reads a reporter
 * notification the hub could not send (it has no mail server): its state, its failed try in words, the reporter shown
 * only as "the reporter's email address". axe-core checks the page, with and without a filter.
 */
import type { Report } from '../../lib/schema';
import { changeStatus } from '../../hub/domain/workflow';
import { sha256Hex } from '../../lib/hash';
import { makePng } from '../fixtures/png';
import { sampleReport } from '../fixtures/report';
import { consoleTest, signIn, type ConsoleAccount } from './console-fixtures';
import { expect, expectAccessible } from './fixtures';
import { expectReadableText } from './readable';

const ACCOUNT: ConsoleAccount = { email: 'deliveries@hub.example', password: 'a long enough passphrase for e2e', role: 'admin' };

const test = consoleTest(ACCOUNT, { viewport: { width: 1280, height: 900 } });

test('an admin reads the delivery log', async ({ consoleHub: hub, page }) => {
  test.setTimeout(120_000);
  const png = makePng(40, 30);
  const sha256 = await sha256Hex(png);
  expect((await fetch(`${hub.url}/api/v1/evidence/${sha256}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: png })).status).toBe(201);
  const base = sampleReport();
  const report: Report = {
    ...base,
    reporter: {
      ...base.reporter,
      anonymous: false,
      email: 'nia@example.org',
      contact: { channel: 'email' },
      consents: { ...base.reporter.consents, emailUpdates: true },
    },
    items: [{ ...base.items[0]!, captureMethod: 'manual', evidence: [{ sha256, mediaType: 'image/png', bytes: png.byteLength, kind: 'screenshot' }] }],
  };
  const posted = await fetch(`${hub.url}/api/v1/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id }, body: JSON.stringify(report) });
  expect(posted.status).toBe(201);
  const { reference } = (await posted.json()) as { reference: string };
  const [admin] = await hub.db.query<{ id: string }>('SELECT id::text AS id FROM moderators');
  expect(await changeStatus(hub.db, { reference, actorId: admin!.id, to: 'in_review' })).toEqual({ kind: 'done' });
  // The hub's worker is woken by the change and records its first try (no mail server: it fails and waits to retry).
  await expect.poll(async () => (await hub.db.query('SELECT 1 FROM delivery_attempts')).length, { timeout: 20_000 }).toBe(1);

  await page.goto(`${hub.url}/console`);
  await signIn(page, ACCOUNT);
  await page.getByRole('link', { name: 'Delivery log' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Delivery log');
  const row = page.getByRole('row', { name: new RegExp(reference) });
  await expect(row).toContainText('Reporter: status changed');
  await expect(row).toContainText('the reporter’s email address');
  await expect(row).toContainText('no mail server in the settings');
  await expect(row).toContainText('Waiting (next try');
  await expect(page.locator('main')).not.toContainText('nia@example.org');
  await expectAccessible(page);
  await expectReadableText(page);

  await page.getByLabel('Show').selectOption({ label: 'Sent' });
  await page.getByRole('button', { name: 'Show these' }).click();
  await expect(page).toHaveURL(/state=sent/);
  await expect(page.getByText('Nothing has been sent yet.')).toBeVisible();
  await expectAccessible(page);
  await expectReadableText(page);
});
