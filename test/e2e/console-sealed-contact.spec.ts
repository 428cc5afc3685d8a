/**
 * Opening sealed contact details in real Chromium against a real hub (issue 23): the hub publishes an encryption key
 * whose key file the test made with the same lib functions `npm run org-key` uses; a report arrives with the
 * reporter's name, email, phone and access needs sealed by `withSealedPersonal`, as the extension sends it. The
 * moderator opens it from the report view: with script off the page says why it needs script; a file of another key
 * and a wrong passphrase are refused in words and nothing is recorded; the right file and passphrase show the details
 * as text, after the hub recorded the reveal (who, when, which report; not the details). axe-core on every page.
 */
import type { Browser, Page } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EncryptionKey } from '../../lib/schema';
import { createModerator, NewModerator } from '../../hub/console/auth/accounts';
import { auditTrail } from '../../hub/domain/audit';
import { startHub, type RunningHub } from '../../hub/server';
import { fileSealedReport, orgKey, type OrgKey } from '../fixtures/sealed';
import { plainChromiumFixtures } from './browser';
import { signIn, type ConsoleAccount } from './console-fixtures';
import { expect, expectAccessible, test as base } from './fixtures';
import { hubFolder, removeHubFolder, TEST_HUB_CONFIG } from './hub-folder';
import { expectReadableText } from './readable';

const ACCOUNT: ConsoleAccount = { email: 'opener@hub.example', password: 'a long enough passphrase for e2e', role: 'moderator' };
const PASSPHRASE = 'correct horse battery staple';

interface Fixtures {
  chrome: Browser;
  page: Page;
  keys: { current: OrgKey; other: OrgKey; folder: string };
  consoleHub: RunningHub;
}

const test = base.extend<Fixtures>({
  keys: async ({}, use) => {
    const folder = await mkdtemp(join(tmpdir(), 'ohr-org-keys-'));
    await use({ current: await orgKey('org-2026-12-06-current', PASSPHRASE), other: await orgKey('org-2025-01-01-older', PASSPHRASE), folder });
    await rm(folder, { recursive: true, force: true });
  },
  consoleHub: async ({ keys }, use) => {
    const dataDir = await hubFolder();
    const hub = await startHub({ port: 0, dataDir, config: { ...TEST_HUB_CONFIG, rateLimit: { enabled: false }, encryptionKey: keys.current.key } });
    const created = await createModerator(hub.db, NewModerator.parse(ACCOUNT), null);
    if (created.kind !== 'created') throw new Error(`moderator not created: ${created.kind}`);
    await use(hub);
    await hub.close();
    await removeHubFolder(dataDir);
  },
  ...plainChromiumFixtures({ viewport: { width: 1100, height: 900 } }),
});

test('a moderator opens sealed contact details with the key file and passphrase, and the reveal is audited', async ({ consoleHub: hub, keys, page, chrome }) => {
  test.setTimeout(120_000);
  const discovery = (await (await fetch(`${hub.url}/.well-known/ohr`)).json()) as { encryptionKey?: EncryptionKey };
  expect(discovery.encryptionKey?.kid).toBe(keys.current.key.kid);
  const who = { name: 'Nia <b>Named</b>', email: 'nia@example.org', phone: '+44 7700 900123', accessNeeds: 'Large print, please' };
  const { reference, report } = await fileSealedReport(hub.url, discovery.encryptionKey!, who);
  expect(report.reporter.sealed).toBeDefined();
  expect(JSON.stringify(report)).not.toContain('nia@example.org');

  const files = { current: join(keys.folder, 'ohr-org-key.json'), other: join(keys.folder, 'older-key.json'), notKey: join(keys.folder, 'notes.json') };
  await writeFile(files.current, JSON.stringify(keys.current.file));
  await writeFile(files.other, JSON.stringify(keys.other.file));
  await writeFile(files.notKey, '{"hello": "world"}');

  await page.goto(`${hub.url}/console`);
  await signIn(page, ACCOUNT);
  await page.goto(`${hub.url}/console/reports/${reference}`);
  await expect(page.getByTestId('contact-sealed')).toContainText('sealed to your organisation');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Open the contact details' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Contact details for report ${reference}`);
  await expect(page.getByTestId('needs-script')).toBeHidden();
  await expectAccessible(page);
  await expectReadableText(page);
  // Opening the sealed details has its own audit action, not the report view's "Show contact details" (contact.reveal).
  const reveals = async () => (await auditTrail(hub.db, reference)).filter((row) => row.action === 'contact.open_sealed');

  // No file, a file that is not a key, another key's file, a wrong passphrase: each in words, nothing recorded.
  const open = page.getByRole('button', { name: 'Open the contact details' });
  await open.click();
  await expect(page.getByRole('alert')).toHaveText('Choose the key file first.');
  await page.getByLabel('Your organisation’s key file').setInputFiles(files.notKey);
  await page.getByLabel('Passphrase of the key file').fill(PASSPHRASE);
  await open.click();
  await expect(page.getByRole('alert')).toContainText('That file is not an organisation key file.');
  await page.getByLabel('Your organisation’s key file').setInputFiles(files.other);
  await open.click();
  await expect(page.getByRole('alert')).toContainText(`That key file holds key ${keys.other.key.kid}, but this report was sealed to key ${keys.current.key.kid}.`);
  await page.getByLabel('Your organisation’s key file').setInputFiles(files.current);
  await page.getByLabel('Passphrase of the key file').fill('not the passphrase');
  await open.click();
  await expect(page.getByRole('alert')).toHaveText('That passphrase does not open this key file. Check it and try again.');
  await expect(page.getByTestId('sealed-details')).toBeHidden();
  await expectAccessible(page);
  expect(await reveals()).toHaveLength(0);

  await page.getByLabel('Passphrase of the key file').fill(PASSPHRASE);
  await open.click();
  const details = page.getByTestId('sealed-details');
  await expect(details).toBeVisible();
  await expect(details).toContainText('Nia <b>Named</b>');
  await expect(details).toContainText('nia@example.org');
  await expect(details).toContainText('+44 7700 900123');
  await expect(details).toContainText('Large print, please');
  await expect(page.getByRole('alert')).toBeHidden();
  await expect(page.getByLabel('Passphrase of the key file')).toHaveValue('');
  // Kept in the page's memory only: nothing in the browser's storage.
  expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
  await expectAccessible(page);
  await expectReadableText(page);

  // The reveal: who and which report, and nothing of what was revealed.
  const [reveal, ...more] = await reveals();
  expect(more).toHaveLength(0);
  expect(reveal!.actorEmail).toBe(ACCOUNT.email);
  expect(JSON.stringify(reveal)).not.toMatch(/Nia|nia@example|7700/);
  await page.goto(`${hub.url}/console/reports/${reference}`);
  await expect(page.getByTestId('audit-row').filter({ hasText: 'opener@hub.example' }).filter({ hasText: 'opened the sealed contact details with the organisation’s key' })).toHaveCount(1);
  expect((await auditTrail(hub.db, reference)).filter((row) => row.action === 'contact.reveal')).toHaveLength(0);

  // Without script: the page says why opening needs it, and offers no form that could send a key anywhere.
  const cookies = await page.context().cookies();
  const noScript = await chrome.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
  await noScript.addCookies(cookies);
  const plain = await noScript.newPage();
  await plain.goto(`${hub.url}/console/reports/${reference}/sealed`);
  await expect(plain.getByTestId('needs-script')).toContainText('Opening the contact details needs JavaScript');
  await expect(plain.getByTestId('needs-script')).toContainText('never sent to the hub');
  await expect(plain.getByLabel('Your organisation’s key file')).toBeHidden();
  await noScript.close();
  // The same words when the script cannot be had (axe needs script in the page, so it checks this one).
  const blocked = await page.context().newPage();
  await blocked.route('**/sealed-open.js', (route) => route.abort());
  await blocked.goto(`${hub.url}/console/reports/${reference}/sealed`);
  await expect(blocked.getByTestId('needs-script')).toBeVisible();
  await expect(blocked.getByLabel('Your organisation’s key file')).toBeHidden();
  await expectAccessible(blocked);
  await expectReadableText(blocked);
});
