/**
 * Adding sealed contact details to the police case file in real Chromium against a real hub (issue 23). The hub
 * publishes an encryption key whose key file the test made as `npm run org-key` does; two reports arrive with the
 * reporter's details sealed, one from a reporter who agreed to share them with the police, one who did not. The
 * moderator ticks "Add the reporters' sealed contact details", gives the key file: a wrong passphrase is refused in
 * words and nothing is made or saved; the right one saves a case file whose contact.json holds the details, only for
 * the reporter who agreed, whose SHA256SUMS checks every file, whose report.json files hold no sealed block and no
 * details, and whose SHA-256 the hub recorded. No request the page sent the hub carries the details. Without script
 * the page says why adding needs it, and the plain case file still downloads. axe-core on the page.
 */
import type { Browser, Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { EncryptionKey, OrgKeyFile } from '../../lib/schema';
import { createModerator, NewModerator } from '../../hub/console/auth/accounts';
import { auditTrail } from '../../hub/domain/audit';
import { startHub, type RunningHub } from '../../hub/server';
import { fileSealedReport, orgKey } from '../fixtures/sealed';
import { plainChromiumFixtures } from './browser';
import { signIn, type ConsoleAccount } from './console-fixtures';
import { expect, expectAccessible, test as base } from './fixtures';
import { hubFolder, removeHubFolder, TEST_HUB_CONFIG } from './hub-folder';
import { expectReadableText } from './readable';

const ACCOUNT: ConsoleAccount = { email: 'casefile@hub.example', password: 'a long enough passphrase for e2e', role: 'moderator' };
const PASSPHRASE = 'correct horse battery staple';
const VIEWPORT = { width: 1100, height: 900 };

interface Fixtures {
  chrome: Browser;
  page: Page;
  keys: { file: OrgKeyFile; key: EncryptionKey; folder: string };
  consoleHub: RunningHub;
}

const test = base.extend<Fixtures>({
  keys: async ({}, use) => {
    const folder = await mkdtemp(join(tmpdir(), 'ohr-case-file-keys-'));
    const { file, key } = await orgKey('org-2026-12-06', PASSPHRASE);
    await use({ file, key, folder });
    await rm(folder, { recursive: true, force: true });
  },
  consoleHub: async ({ keys }, use) => {
    const dataDir = await hubFolder();
    const hub = await startHub({ port: 0, dataDir, config: { ...TEST_HUB_CONFIG, rateLimit: { enabled: false }, encryptionKey: keys.key } });
    const created = await createModerator(hub.db, NewModerator.parse(ACCOUNT), null);
    if (created.kind !== 'created') throw new Error(`moderator not created: ${created.kind}`);
    await use(hub);
    await hub.close();
    await removeHubFolder(dataDir);
  },
  ...plainChromiumFixtures({ viewport: VIEWPORT, acceptDownloads: true }),
});

/** A report with the reporter's details sealed to the hub's key, as the extension sends it; its reference. */
async function fileSealed(hub: RunningHub, key: EncryptionKey, who: { name: string; email: string; phone: string }, shareContact: boolean, rebound = false): Promise<string> {
  const options = { consents: { police: true, shareContact }, rebound };
  return (await fileSealedReport(hub.url, key, { ...who, accessNeeds: 'Phone calls after 6pm' }, options)).reference;
}

const SHARED = { name: 'Nia Named', email: 'nia@example.org', phone: '+44 7700 900123' };
const PRIVATE = { name: 'Pat Private', email: 'pat@example.org', phone: '+44 7700 900999' };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('a moderator adds sealed contact details to the police case file in their browser, and the hub records the file it saved', async ({ consoleHub: hub, keys, page, chrome }) => {
  test.setTimeout(120_000);
  const shared = await fileSealed(hub, keys.key, SHARED, true);
  const kept = await fileSealed(hub, keys.key, PRIVATE, false);
  const keyPath = join(keys.folder, 'ohr-org-key.json');
  await writeFile(keyPath, JSON.stringify(keys.file));

  // Everything the page sends the hub, to show afterwards that none of it carries the opened details.
  const sent: string[] = [];
  page.on('request', (request) => sent.push(`${request.url()}\n${request.postData() ?? ''}`));
  let saved = 0;
  page.on('download', () => saved++);

  await page.goto(`${hub.url}/console`);
  await signIn(page, ACCOUNT);
  await page.goto(`${hub.url}/console/referrals?refs=${shared},${kept}`);
  const choice = page.getByLabel('Add the reporters’ sealed contact details (opened in your browser)');
  await expect(choice).toBeVisible();
  await expect(choice).not.toBeChecked();
  await expect(page.getByTestId('contact-needs-script')).toBeHidden();
  await expect(page.getByLabel('Your organisation’s key file')).toBeHidden();
  await expectAccessible(page);
  await choice.check();
  await page.getByLabel('Your organisation’s key file').setInputFiles(keyPath);
  await expectAccessible(page);
  await expectReadableText(page);
  await page.screenshot({ path: 'scratch/referrals-case-file-contact.png', fullPage: true });

  const caseFiles = async (reference: string, action: string) => (await auditTrail(hub.db, reference)).filter((row) => row.action === action);
  // A wrong passphrase: words, and nothing made, recorded or saved.
  await page.getByLabel('Passphrase of the key file').fill('not the passphrase');
  await page.getByRole('button', { name: 'Police case file' }).click();
  await expect(page.getByRole('alert')).toHaveText('That passphrase does not open this key file. Check it and try again.');
  await expectAccessible(page);
  expect(await caseFiles(shared, 'referral.case_file')).toHaveLength(0);
  expect(saved).toBe(0);

  await page.getByLabel('Passphrase of the key file').fill(PASSPHRASE);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Police case file' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(new RegExp(`^case-file-${shared}-and-1-more-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
  const bytes = new Uint8Array(await readFile((await file.path())!));
  await expect(page.getByRole('status')).toContainText('recorded and downloaded');
  await expect(page.getByRole('alert')).toBeHidden();
  await expectAccessible(page);

  const files = unzipSync(bytes);
  const contact = JSON.parse(strFromU8(files[`reports/${shared}/contact.json`]!)) as { reference: string; note: string; contact: Record<string, string> };
  expect(contact.reference).toBe(shared);
  expect(contact.contact).toEqual({ ...SHARED, accessNeeds: 'Phone calls after 6pm' });
  expect(contact.note).toContain('opened in a moderator’s browser');
  expect(files[`reports/${kept}/contact.json`]).toBeUndefined();
  const sums = strFromU8(files.SHA256SUMS!).trimEnd().split('\n');
  expect(sums).toHaveLength(Object.keys(files).length - 1);
  for (const line of sums) {
    const [hash, name] = line.split('  ');
    expect(sha256(files[name!]!), name).toBe(hash);
  }
  for (const reference of [shared, kept]) {
    const reportJson = strFromU8(files[`reports/${reference}/report.json`]!);
    expect(reportJson).not.toContain('"sealed"');
    expect(reportJson).not.toMatch(/nia@example|pat@example|Nia Named|Pat Private|7700 900/);
  }
  // The details are in contact.json and nowhere else; the other reporter's are nowhere.
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith('.pdf') || name.endsWith('.png')) continue;
    if (name !== `reports/${shared}/contact.json`) expect(strFromU8(content), name).not.toContain('nia@example.org');
    expect(strFromU8(content), name).not.toContain('pat@example.org');
  }
  expect(strFromU8(files['summary.txt']!)).toContain(`reports/${shared}/contact.json`);

  // Recorded: the hub's own file (as before) and, per report that got its details, the file saved.
  const [recorded, ...more] = await caseFiles(shared, 'referral.case_file_contact');
  expect(more).toHaveLength(0);
  expect(recorded!.actorEmail).toBe(ACCOUNT.email);
  expect(recorded!.after).toMatchObject({ sha256: sha256(bytes) });
  const [base] = await caseFiles(shared, 'referral.case_file');
  expect(recorded!.after).toMatchObject({ baseSha256: (base!.after as { sha256: string }).sha256 });
  expect(await caseFiles(kept, 'referral.case_file_contact')).toHaveLength(0);
  expect(JSON.stringify(await auditTrail(hub.db, shared))).not.toMatch(/nia@example|Nia Named|7700 900123/);
  // The hub never received the details: not in any request the page sent.
  expect(sent.some((request) => request.includes('/referrals/case-file/contact'))).toBe(true);
  for (const request of sent) expect(request).not.toMatch(/nia@example|nia%40example|Nia Named|Nia\+Named|900123/);

  // Without script: the page says why adding the details needs it, and the plain case file still downloads.
  const noScript = await chrome.newContext({ javaScriptEnabled: false, viewport: VIEWPORT, acceptDownloads: true });
  await noScript.addCookies(await page.context().cookies());
  const plain = await noScript.newPage();
  await plain.goto(`${hub.url}/console/referrals?refs=${shared},${kept}`);
  await expect(plain.getByTestId('contact-needs-script')).toContainText('needs JavaScript');
  await expect(plain.getByLabel('Add the reporters’ sealed contact details (opened in your browser)')).toBeHidden();
  const plainDownload = plain.waitForEvent('download');
  await plain.getByRole('button', { name: 'Police case file' }).click();
  const plainFiles = unzipSync(new Uint8Array(await readFile((await (await plainDownload).path())!)));
  expect(plainFiles[`reports/${shared}/contact.json`]).toBeUndefined();
  expect((JSON.parse(strFromU8(plainFiles[`reports/${shared}/report.json`]!)) as { withheld: string[] }).withheld).toEqual(['reporter.sealed']);
  await noScript.close();
});

test('a sealed block that does not open stops the case file: the report is named in words, nothing is made or saved', async ({ consoleHub: hub, keys, page }) => {
  test.setTimeout(120_000);
  const good = await fileSealed(hub, keys.key, SHARED, true);
  const moved = await fileSealed(hub, keys.key, PRIVATE, true, true);
  const keyPath = join(keys.folder, 'ohr-org-key.json');
  await writeFile(keyPath, JSON.stringify(keys.file));
  let saved = 0;
  page.on('download', () => saved++);
  await page.goto(`${hub.url}/console`);
  await signIn(page, ACCOUNT);
  await page.goto(`${hub.url}/console/referrals?refs=${good},${moved}`);
  await page.getByLabel('Add the reporters’ sealed contact details (opened in your browser)').check();
  await page.getByLabel('Your organisation’s key file').setInputFiles(keyPath);
  await page.getByLabel('Passphrase of the key file').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Police case file' }).click();
  await expect(page.getByRole('alert')).toContainText(`it does not open the contact details of report ${moved}`);
  await expect(page.getByRole('alert')).toContainText('Nothing was downloaded.');
  await expectAccessible(page);
  expect(saved).toBe(0);
  for (const reference of [good, moved]) {
    expect((await auditTrail(hub.db, reference)).filter((row) => row.action.startsWith('referral.'))).toHaveLength(0);
  }
});

test('reports sealed to different keys are named key by key, and nothing is made', async ({ consoleHub: hub, keys, page }) => {
  test.setTimeout(120_000);
  const { key: olderKey } = await orgKey('org-2025-01-01-older', PASSPHRASE);
  const current = await fileSealed(hub, keys.key, SHARED, true);
  const before = await fileSealed(hub, olderKey, PRIVATE, true);
  const keyPath = join(keys.folder, 'ohr-org-key.json');
  await writeFile(keyPath, JSON.stringify(keys.file));
  await page.goto(`${hub.url}/console`);
  await signIn(page, ACCOUNT);
  await page.goto(`${hub.url}/console/referrals?refs=${current},${before}`);
  await page.getByLabel('Add the reporters’ sealed contact details (opened in your browser)').check();
  await page.getByLabel('Your organisation’s key file').setInputFiles(keyPath);
  await page.getByLabel('Passphrase of the key file').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Police case file' }).click();
  await expect(page.getByRole('alert')).toContainText(`sealed to different keys: ${current} to key ${keys.key.kid}; ${before} to key ${olderKey.kid}.`);
  await expectAccessible(page);
  expect((await auditTrail(hub.db, current)).filter((row) => row.action.startsWith('referral.'))).toHaveLength(0);
});
