/**
 * An anonymous report hides the reporter's own account (issue 23), end to end in real Chromium: a real saved X page
 * (a post quoting another) with a signed-in header in X's own markup, as the person who wrote the quoted post. The
 * popup says the account is hidden; the form shows the picture as it will be sent and takes one more area marked
 * with the keyboard; the hub receives pictures black exactly there, the areas signed in the manifest, no original
 * picture, a snapshot without the person's post, and `npm run verify` passes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { addOrganisation, expect, expectAccessible, storedDrafts, test, trigger } from './fixtures';
import { expectReadableText } from './readable';
import type { HiddenArea, Item } from '../../lib/schema';
import { xSignedInHeader } from '../fixtures/signed-in';

const FIXTURE = 'x/mnemosyne-quote-tweet.html';
const ME = 'cedar_xr';
const HEADER = xSignedInHeader(ME);

/** The colours of a PNG at some points, read by the browser's own decoder. */
async function pixels(page: Page, png: Uint8Array, points: Array<{ x: number; y: number }>): Promise<number[][]> {
  return page.evaluate(async ({ base64, points }) => {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    return points.map(({ x, y }) => Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3)));
  }, { base64: Buffer.from(png).toString('base64'), points });
}

test('an anonymous report blacks out the reporter’s own account and post, and says so in its signed manifest', async ({ context, extension, hub, site, openPopupFor }) => {
  test.setTimeout(120_000);
  await addOrganisation(context, extension, hub.url);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(site.url(`/platforms/${FIXTURE}`), { waitUntil: 'domcontentloaded' });
  await page.evaluate((header) => document.body.insertAdjacentHTML('afterbegin', header), HEADER);
  const avatar = await page.locator('[data-testid="AppTabBar_Profile_Link"]').evaluate((element) => element.getBoundingClientRect().toJSON() as DOMRect);
  const dpr = await page.evaluate(() => devicePixelRatio);
  const worker = await extension.worker();
  // A real right-click on the reported post's words, as the person would before choosing "Report this post".
  await page.locator('article[data-testid="tweet"] [data-testid="tweetText"]').first().click({ button: 'right' });
  await trigger(worker, page, { menuItemId: 'report-post' });

  // The popup says the account will be hidden, before anything is sent.
  const popup = await openPopupFor(page);
  await expect(popup.getByTestId('account-hidden')).toBeVisible();
  await expectAccessible(popup);

  // The form shows the picture as it will be sent; one more area is marked with the keyboard alone.
  const opened = context.waitForEvent('page');
  await popup.getByRole('button', { name: 'Check the pictures, and hide anything else' }).click();
  const form = await opened;
  await form.waitForLoadState();
  const hiding = form.getByTestId('hide-areas');
  await expect(hiding).toBeVisible();
  const found = await form.getByTestId('hidden-area').count();
  expect(found).toBeGreaterThanOrEqual(3);
  await expect(hiding.locator('img')).toHaveClass(/blurred/);
  await expectReadableText(form);
  await expectAccessible(form);
  await form.getByRole('button', { name: 'Mark an area to hide' }).click();
  await expect(form.getByTestId('hide-marker')).toBeFocused();
  await form.keyboard.press('ArrowLeft');
  await form.keyboard.press('Shift+ArrowDown');
  await form.keyboard.press('Enter');
  await expect(form.getByTestId('hidden-area')).toHaveCount(found + 1);
  await expect(form.getByText(`Area ${found + 1}: an area you marked`)).toBeVisible();
  await expectAccessible(form);
  await form.close();

  await popup.reload();
  await popup.getByLabel('What happened?').fill('A post mocking what I wrote, aimed at my religion');
  await popup.getByRole('button', { name: 'Send report' }).click();
  const reference = (await popup.getByTestId('reference').textContent({ timeout: 20_000 }))!;

  const [row] = await hub.query<{ body: { items: Item[]; captureManifests: Array<{ artefacts: Array<{ kind: string; hidden?: HiddenArea[] }> }> } }>(
    'SELECT body FROM reports WHERE reference = $1', [reference],
  );
  const item = row!.body.items[0]!;
  const screenshot = item.evidence.find((evidence) => evidence.kind === 'screenshot')!;
  expect(new Set(screenshot.hidden!.map((area) => area.reason))).toEqual(new Set(['account', 'own_post', 'marked']));
  expect(row!.body.captureManifests[0]!.artefacts.find((artefact) => artefact.kind === 'screenshot')!.hidden).toEqual(screenshot.hidden);
  // The quoted post was the person's own: it is not sent as context either.
  expect(item.context?.parent).toBeUndefined();
  expect(JSON.stringify(row!.body)).not.toContain(ME);

  const evidence = await hub.query<{ sha256: string; content: Uint8Array }>(
    'SELECT e.sha256, e.content FROM report_evidence re JOIN evidence_content e ON e.sha256 = re.sha256 WHERE re.reference = $1', [reference],
  );
  const stored = new Map(evidence.map((file) => [file.sha256, file.content]));
  // The avatar's middle, and the account switcher's, are black in the picture the hub has.
  const middle = (box: { x: number; y: number; width: number; height: number }) => ({ x: Math.round((box.x + box.width / 2) * dpr), y: Math.round((box.y + box.height / 2) * dpr) });
  const switcher = await page.locator('[data-testid="SideNav_AccountSwitcher_Button"]').evaluate((element) => element.getBoundingClientRect().toJSON() as DOMRect);
  expect(await pixels(page, stored.get(screenshot.sha256)!, [middle(avatar), middle(switcher)])).toEqual([[0, 0, 0], [0, 0, 0]]);
  // The snapshot sent is the one with the person's own post emptied.
  const snapshot = item.evidence.find((evidence) => evidence.kind === 'html_snapshot')!;
  const html = Buffer.from(stored.get(snapshot.sha256)!).toString('utf8');
  expect(html).toContain('data-ohr-hidden="own_post"');
  expect(html).not.toContain(ME);

  // The original pictures never reached the hub: the draft on this computer still holds them, the hub does not.
  const { drafts } = await storedDrafts(worker);
  const originals = drafts.flatMap((draft) => draft.items.flatMap((entry) => entry.evidence.filter((each) => each.kind !== 'html_snapshot').map((each) => each.sha256)));
  expect(originals.length).toBeGreaterThan(0);
  for (const sha256 of originals) expect(stored.has(sha256)).toBe(false);

  const dir = await mkdtemp(join(tmpdir(), 'ohr-e2e-hidden-'));
  try {
    await writeFile(join(dir, 'report.json'), JSON.stringify(row!.body));
    for (const [sha256, content] of stored) await writeFile(join(dir, sha256), content);
    expect(execFileSync('npx', ['tsx', 'scripts/verify.ts', join(dir, 'report.json')], { encoding: 'utf8' })).toContain('VERIFIED');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
