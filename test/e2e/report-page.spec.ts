import { createHash } from 'node:crypto';
import { expect, expectAccessible, test } from './fixtures';

test('a page reported from the popup reaches the hub with its screenshot, and its status comes back', async ({ context, extension, hub, site, openPopupFor }) => {
  const options = await context.newPage();
  await options.goto(extension.page('options.html'));
  await options.getByLabel('Address of the reporting service').fill(hub.url);
  await options.getByRole('button', { name: 'Look up' }).click();
  await expect(options.getByTestId('found')).toContainText('OHR reference hub');
  await expect(options.getByTestId('found')).toContainText('Accepts anonymous reports: yes');
  await expectAccessible(options);
  await options.getByRole('button', { name: 'Add OHR reference hub' }).click();
  await expect(options.getByRole('status')).toContainText('OHR reference hub added.');
  await expect(options.getByTestId('endpoint')).toHaveCount(1);
  await expectAccessible(options);
  await options.close();

  const post = context.pages()[0] ?? (await context.newPage());
  await post.goto(site.url('/post.html'));
  const popup = await openPopupFor(post);
  await expectAccessible(popup);
  await popup.getByRole('button', { name: 'Report this page' }).click();
  await expect(popup.getByText('Saved on this computer')).toBeVisible();
  await expect(popup.getByTestId('screenshot')).toHaveClass(/blurred/);
  await expect(popup.getByRole('checkbox', { name: 'OHR reference hub' })).toBeChecked();
  await popup.getByLabel('What happened?').fill('Abuse aimed at my religion');
  await expectAccessible(popup);
  await popup.getByRole('button', { name: 'Send report' }).click();

  const reference = popup.getByTestId('reference');
  await expect(reference).toHaveText(/^OHR-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expectAccessible(popup);
  const referenceText = (await reference.textContent())!;

  const rows = await hub.query<{ url: string; page_title: string; media_type: string; sha256: string; content: Uint8Array; summary: string }>(
    `SELECT i.url, i.page_title, e.media_type, e.sha256, e.content, r.body->'incident'->>'summary' AS summary
       FROM reports r
       JOIN report_items i ON i.reference = r.reference AND i.idx = 0
       JOIN report_evidence re ON re.reference = r.reference
       JOIN evidence_content e ON e.sha256 = re.sha256
      WHERE r.reference = $1`,
    [referenceText],
  );
  expect(rows).toHaveLength(1);
  const stored = rows[0]!;
  expect(stored.url).toBe(site.url('/post.html'));
  expect(stored.page_title).toBe('A hateful post — Example forum');
  expect(stored.summary).toBe('Abuse aimed at my religion');
  expect(stored.media_type).toBe('image/png');
  expect(createHash('sha256').update(stored.content).digest('hex')).toBe(stored.sha256);
  expect(Buffer.from(stored.content.subarray(1, 4)).toString('latin1')).toBe('PNG');

  // The organisation moves the report on; the reports page shows it, and the reporter withdraws it.
  await hub.query("UPDATE reports SET status = 'in_review', public_note = 'A moderator is looking at this' WHERE reference = $1", [referenceText]);
  const reports = await context.newPage();
  await reports.goto(extension.page('reports.html'));
  const card = reports.getByTestId('report');
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId('reference')).toHaveText(referenceText);
  await reports.getByRole('button', { name: 'Check for updates' }).click();
  await expect(card.getByTestId('remote-status')).toContainText('Status: being reviewed');
  await expect(card.getByTestId('remote-status')).toContainText('A moderator is looking at this');
  await expectAccessible(reports);
  await card.getByRole('button', { name: 'Withdraw from OHR reference hub' }).click();
  await expectAccessible(reports);
  await card.getByRole('button', { name: 'Yes, do it' }).click();
  await expect(card.getByTestId('delivery')).toHaveAttribute('data-status', 'withdrawn');
  const [withdrawn] = await hub.query<{ status: string; outcome: string }>('SELECT status, outcome FROM reports WHERE reference = $1', [referenceText]);
  expect(withdrawn).toEqual({ status: 'closed', outcome: 'withdrawn' });

  // The evidence locker on the reports page: save the pack, and opening the same pack again is refused, changing nothing.
  const download = reports.waitForEvent('download');
  await card.getByRole('button', { name: 'Save an evidence pack (ZIP)' }).click();
  const pack = await (await download).path();
  await expect(card.getByTestId('export-status')).toHaveText('Evidence pack saved.');
  await reports.getByLabel('Open an evidence pack').setInputFiles(pack);
  await expect(reports.getByTestId('import-status')).toContainText('nothing was changed: it is already on this computer');
  await expect(reports.getByTestId('report')).toHaveCount(1);
  await expectAccessible(reports);
});

test('a page that is not a web page is refused in words and nothing is saved', async ({ context, extension, openPopupFor }) => {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(extension.page('options.html'));
  const popup = await openPopupFor(page);
  await popup.getByRole('button', { name: 'Report this page' }).click();
  await expect(popup.getByRole('alert')).toContainText('cannot be captured');
  await expectAccessible(popup);
  const reports = await context.newPage();
  await reports.goto(extension.page('reports.html'));
  await expect(reports.getByText('No reports yet')).toBeVisible();
});

test('an address that is not a reporting service is explained and nothing is added', async ({ context, extension, site }) => {
  const options = await context.newPage();
  await options.goto(extension.page('options.html'));
  const field = options.getByLabel('Address of the reporting service');
  await field.fill('ftp://hub.example');
  await options.getByRole('button', { name: 'Look up' }).click();
  await expect(options.getByRole('alert')).toContainText('starting with http:// or https://');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(options);
  await field.fill(site.origin);
  await options.getByRole('button', { name: 'Look up' }).click();
  await expect(options.getByRole('alert')).toBeVisible();
  await expect(options.getByTestId('found')).toHaveCount(0);
  await options.reload();
  await expect(options.getByText('None yet.')).toBeVisible();

  const keepNothing = options.getByRole('checkbox', { name: 'Keep nothing on this computer after a report is sent' });
  await expect(keepNothing).not.toBeChecked();
  await keepNothing.check();
  await expectAccessible(options);
  await options.reload();
  await expect(keepNothing).toBeChecked();
});

test('with no organisation added, the popup keeps the capture and says where to add one', async ({ context, extension, site, openPopupFor }) => {
  const post = context.pages()[0] ?? (await context.newPage());
  await post.goto(site.url('/post.html'));
  const popup = await openPopupFor(post);
  await popup.getByRole('button', { name: 'Report this page' }).click();
  await expect(popup.getByText('No organisation to send reports to has been added yet')).toBeVisible();
  await expect(popup.getByRole('button', { name: 'Send report' })).toHaveCount(0);
  await expectAccessible(popup);
  const opened = context.waitForEvent('page');
  await popup.getByRole('button', { name: /^Add more details/ }).click();
  const form = await opened;
  await form.waitForLoadState();
  expect(form.url()).toMatch(/\/report\.html\?draft=[0-9a-f-]{36}$/);
  await form.close();
  const reports = await context.newPage();
  await reports.goto(extension.page('reports.html'));
  await expect(reports.getByTestId('report')).toContainText('Not sent yet');
  await reports.getByRole('button', { name: 'Delete from this computer' }).click();
  await expect(reports.getByText('It has not been sent, so no copy will be left anywhere')).toBeVisible();
  await expectAccessible(reports);
  await reports.getByRole('button', { name: 'Yes, do it' }).click();
  await expect(reports.getByText('No reports yet')).toBeVisible();
  await reports.reload();
  await expect(reports.getByText('No reports yet')).toBeVisible();
});

