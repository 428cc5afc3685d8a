import { createHash } from 'node:crypto';
import { expect, expectAccessible, test } from './fixtures';

test('a page captured from the popup arrives at the hub with its screenshot', async ({ context, extension, hub, site, openPopupFor }) => {
  // Point the extension at this test's hub through the real options page.
  const options = await context.newPage();
  await options.goto(extension.page('options.html'));
  await expectAccessible(options);
  await options.getByLabel('Where reports are sent').fill(hub.url);
  await options.getByRole('button', { name: 'Save' }).click();
  await expect(options.getByRole('status')).toContainText(`Reports will go to ${hub.url}`);
  await options.close();

  const post = context.pages()[0] ?? (await context.newPage());
  await post.goto(site.url('/post.html'));
  const popup = await openPopupFor(post);
  await expectAccessible(popup);

  await popup.getByRole('button', { name: 'Report this page' }).click();
  await expect(popup.getByText('Saved on this computer')).toBeVisible();
  await expect(popup.getByTestId('screenshot')).toHaveClass(/blurred/);
  await popup.getByLabel('What happened?').fill('Abuse aimed at my religion');
  await expectAccessible(popup);
  await popup.getByRole('button', { name: 'Send report' }).click();

  const reference = popup.getByTestId('reference');
  await expect(reference).toHaveText(/^OHR-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expectAccessible(popup);

  const rows = await hub.db.query<{ url: string; page_title: string; media_type: string; sha256: string; content: Uint8Array; summary: string }>(
    `SELECT i.url, i.page_title, e.media_type, e.sha256, e.content, r.body->'incident'->>'summary' AS summary
       FROM reports r
       JOIN report_items i ON i.reference = r.reference AND i.idx = 0
       JOIN report_evidence re ON re.reference = r.reference
       JOIN evidence e ON e.sha256 = re.sha256
      WHERE r.reference = $1`,
    [await reference.textContent()],
  );
  expect(rows).toHaveLength(1);
  const stored = rows[0]!;
  expect(stored.url).toBe(site.url('/post.html'));
  expect(stored.page_title).toBe('A hateful post — Example forum');
  expect(stored.summary).toBe('Abuse aimed at my religion');
  expect(stored.media_type).toBe('image/png');
  expect(createHash('sha256').update(stored.content).digest('hex')).toBe(stored.sha256);
  expect(Buffer.from(stored.content.subarray(1, 4)).toString('latin1')).toBe('PNG');
});

test('a page that is not a web page is refused in words and nothing is saved', async ({ context, extension, openPopupFor }) => {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(extension.page('options.html'));
  const popup = await openPopupFor(page);
  await popup.getByRole('button', { name: 'Report this page' }).click();
  await expect(popup.getByRole('alert')).toContainText('cannot be captured');
  await expectAccessible(popup);
  const drafts = await extension.worker.evaluate(async () => {
    // Opening a database that does not exist would create it; a capture that saved nothing never made one.
    if (!(await indexedDB.databases()).some((database) => database.name === 'ohr')) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open('ohr');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const count = open.result.transaction('drafts').objectStore('drafts').count();
        count.onsuccess = () => resolve(count.result);
        count.onerror = () => reject(count.error);
      };
    });
  });
  expect(drafts).toBe(0);
});

test('an endpoint that is not a web address is explained and the saved one is kept', async ({ context, extension }) => {
  const options = await context.newPage();
  await options.goto(extension.page('options.html'));
  const field = options.getByLabel('Where reports are sent');
  await expect(field).toHaveValue('http://localhost:8787');
  await field.fill('ftp://hub.example');
  await options.getByRole('button', { name: 'Save' }).click();
  await expect(options.getByRole('alert')).toContainText('starting with http:// or https://');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(options);
  await options.reload();
  await expect(options.getByLabel('Where reports are sent')).toHaveValue('http://localhost:8787');
});
