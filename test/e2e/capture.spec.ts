/**
 * "Report this post" end to end: a real saved Telegram channel page served locally, the extension's own context-menu
 * and shortcut listeners (Playwright cannot click browser menus or press browser shortcuts, so the test calls the
 * very functions the background registers for them), several captures joined into one report, the popup, the hub,
 * and `npm run verify` on what the hub received.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Worker } from '@playwright/test';
import type { WxtBrowser } from 'wxt/browser';
import { addOrganisation, expect, expectAccessible, PLATFORM_FIXTURES, storedDrafts, test, trigger } from './fixtures';
import type { Item } from '../../lib/schema';

declare const chrome: WxtBrowser;

const FIXTURE = 'telegram/tme-s-channel-topwar.html';
const CHANNEL = 'topwar_official';

interface ExpectedPost {
  root_hint: string;
  author_handle: string;
  permalink: string;
  posted_at: string;
  text_prefix: string;
}

async function expectedPosts(): Promise<ExpectedPost[]> {
  const manifest = JSON.parse(await readFile(new URL('manifest.json', PLATFORM_FIXTURES), 'utf8')) as Array<{ file: string; posts: ExpectedPost[] }>;
  return manifest.find((entry) => entry.file === FIXTURE)!.posts;
}

/** The report being built, read from the extension's IndexedDB, with every evidence file's bytes (base64). */
async function storedDraft(worker: Worker): Promise<{ items: Item[]; artefacts: Record<string, string> }> {
  const { drafts, artefacts } = await storedDrafts(worker);
  return { items: drafts.filter((draft) => draft.status === 'draft').at(-1)?.items ?? [], artefacts };
}

/** The post's own words (a reply quotes its parent's in another `.tgme_widget_message_text` before them). */
function textOf(page: Page, post: ExpectedPost) {
  return page.locator(post.root_hint).locator('.tgme_widget_message_text').last();
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('posts reported from the context menu and the shortcut become one signed report that verifies', async ({ context, extension, hub, site, openPopupFor }) => {
  test.setTimeout(120_000);
  const posts = await expectedPosts();
  await addOrganisation(context, extension, hub.url);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(site.url(`/platforms/${FIXTURE}`), { waitUntil: 'domcontentloaded' });
  const worker = await extension.worker();
  const dpr = await page.evaluate(() => devicePixelRatio);

  // 1. No right-click listener memory: the pointer rests on the post's text ("hover" is how the shipped extension,
  //    with no script in the page beforehand, finds the element at click time).
  const first = posts[1]!;
  await textOf(page, first).hover();
  const rect = await page.locator(first.root_hint).evaluate((element) => element.getBoundingClientRect().toJSON() as DOMRect);
  await trigger(worker, page, { menuItemId: 'report-post' });

  // 2. A real right-click on another post, then the pointer moves away: the runtime-registered listener remembered it.
  const second = posts[2]!;
  await textOf(page, second).click({ button: 'right' });
  await textOf(page, posts[3]!).hover();
  await trigger(worker, page, { menuItemId: 'report-post' });

  // 3. The keyboard shortcut with words selected in a third post: that post, and "Report this selection" keeps the words.
  const third = posts[3]!;
  const selected = await textOf(page, third).evaluate((element) => {
    const range = document.createRange();
    range.selectNodeContents(element.firstChild!);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    return getSelection()!.toString().trim();
  });
  await trigger(worker, page, { command: 'report-post' });
  await trigger(worker, page, { menuItemId: 'report-selection' });

  // 4. The whole page, stitched from scrolled viewports; the person's scroll position is put back.
  const scrollBefore = await page.evaluate(() => scrollY);
  const scrollHeight = await page.evaluate(() => document.scrollingElement!.scrollHeight);
  await trigger(worker, page, { menuItemId: 'report-full-page' });
  expect(await page.evaluate(() => scrollY)).toBe(scrollBefore);

  const draft = await storedDraft(worker);
  expect(draft.items).toHaveLength(5);
  const [hovered, rightClicked, shortcut, selection, whole] = draft.items as [Item, Item, Item, Item, Item];
  for (const [item, expected] of [[hovered, first], [rightClicked, second], [shortcut, third], [selection, third]] as const) {
    expect(item).toMatchObject({ platform: 'telegram', author: { handle: CHANNEL }, permalink: expected.permalink, postedAt: expected.posted_at });
    expect(item.evidence.map((evidence) => evidence.kind)).toEqual(['screenshot', 'element', 'html_snapshot']);
  }
  expect(hovered.text!.startsWith(first.text_prefix)).toBe(true);
  expect(rightClicked.text!.startsWith(second.text_prefix)).toBe(true);
  expect(selection.text).toBe(selected);
  expect(whole).toMatchObject({ kind: 'page' });
  expect(whole.evidence.map((evidence) => evidence.kind)).toEqual(['screenshot', 'full_page']);

  // Every hash is the hash of the stored bytes, and sizes and dimensions are what the bytes say.
  for (const evidence of draft.items.flatMap((item) => item.evidence)) {
    const bytes = Buffer.from(draft.artefacts[evidence.sha256]!, 'base64');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(evidence.sha256);
    expect(bytes.byteLength).toBe(evidence.bytes);
    if (evidence.mediaType === 'image/png') expect(pngSize(bytes)).toEqual({ width: evidence.width, height: evidence.height });
  }
  // The crop is the post's box in device pixels (snapped outward to whole pixels, within the 1280×720 viewport).
  const crop = hovered.evidence.find((evidence) => evidence.kind === 'element')!;
  expect(Math.abs(crop.width! - Math.min(rect.width, 1280 - rect.x) * dpr)).toBeLessThanOrEqual(2);
  expect(Math.abs(crop.height! - (Math.min(rect.bottom, 720) - Math.max(rect.top, 0)) * dpr)).toBeLessThanOrEqual(2);
  const full = whole.evidence.find((evidence) => evidence.kind === 'full_page')!;
  expect(full).toMatchObject({ mediaType: 'image/jpeg', width: 1280 * dpr });
  expect(Math.abs(full.height! - Math.min(scrollHeight, 30 * 720) * dpr)).toBeLessThanOrEqual(2);
  const snapshot = Buffer.from(draft.artefacts[hovered.evidence[2]!.sha256]!, 'base64').toString('utf8');
  expect(snapshot).toContain(`data-post="${first.permalink.replace('https://t.me/', '')}"`);
  expect(snapshot).not.toMatch(/<script/i);

  // The toolbar badge says a report is being built; the popup opens on it, every picture blurred.
  expect(await worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('5');
  const popup = await openPopupFor(page);
  await expect(popup.getByTestId('captured-item')).toHaveCount(5);
  await expect(popup.getByTestId('captured-item').first()).toContainText(`Post by @${CHANNEL}`);
  await expect(popup.getByTestId('element')).toHaveCount(4);
  for (const picture of await popup.locator('img').all()) await expect(picture).toHaveClass(/blurred/);
  await expectAccessible(popup);
  await popup.getByRole('button', { name: 'Show picture' }).first().click();
  await expect(popup.getByTestId('element').first()).not.toHaveClass(/blurred/);
  await popup.getByLabel('What happened?').fill('Posts inciting hatred, kept from a channel');
  await popup.getByRole('button', { name: 'Send report' }).click();
  const reference = (await popup.getByTestId('reference').textContent({ timeout: 20_000 }))!;
  expect(reference).toMatch(/^OHR-/);
  await expectAccessible(popup);
  expect(await worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('');

  // What the hub received carries one signed manifest per item and the public key, and verifies against its evidence.
  const [row] = await hub.query<{ body: Record<string, unknown> }>('SELECT body FROM reports WHERE reference = $1', [reference]);
  const report = row!.body as { items: Item[]; captureManifests: unknown[]; publicKey: unknown };
  expect(report.captureManifests).toHaveLength(5);
  expect(report.publicKey).toMatchObject({ kty: 'EC', crv: 'P-256' });
  // The browser by family and major version, never its user-agent string.
  for (const manifest of report.captureManifests as Array<{ browser: string }>) expect(manifest.browser).toMatch(/^(Chrome|Chromium) \d+$/);
  const evidence = await hub.query<{ sha256: string; content: Uint8Array }>(
    'SELECT e.sha256, e.content FROM report_evidence re JOIN evidence_content e ON e.sha256 = re.sha256 WHERE re.reference = $1',
    [reference],
  );
  const dir = await mkdtemp(join(tmpdir(), 'ohr-e2e-verify-'));
  try {
    await writeFile(join(dir, 'report.json'), JSON.stringify(report));
    for (const file of evidence) await writeFile(join(dir, file.sha256), file.content);
    const verdict = execFileSync('npx', ['tsx', 'scripts/verify.ts', join(dir, 'report.json')], { encoding: 'utf8' });
    expect(verdict).toContain('VERIFIED: every artefact and signature checks out.');
    // One changed byte in the text the manifest vouched for, and the verdict turns.
    report.items[0]!.text = `${report.items[0]!.text} `;
    await writeFile(join(dir, 'report.json'), JSON.stringify(report));
    expect(() => execFileSync('npx', ['tsx', 'scripts/verify.ts', join(dir, 'report.json')], { encoding: 'utf8', stdio: 'pipe' })).toThrow();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
