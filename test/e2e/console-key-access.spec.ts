/**
 * Moderators' own access to sealed contact details in real Chromium against a real hub (issue 23): moderator B sets up
 * a key of their own on their account page (a short passphrase and two that differ refused in words); admin A gives B
 * access from the admin's page, opening the organisation key with its key file in A's browser; B then opens a sealed
 * report's contact details with only their own passphrase (a wrong one refused in words); A removes B's access, and
 * B's page then says in words that they have no access to that key. The two new tables hold only the wrapped and
 * sealed forms: neither the organisation's private key nor B's is in them in clear, nor B's passphrase. axe-core on
 * every page. Screenshots of each screen go to scratch/.
 */
import type { Browser, Page } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url } from '../../lib/integrity/canonical';
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

const ADMIN: ConsoleAccount = { email: 'admin-a@hub.example', password: 'a long enough passphrase for e2e', role: 'admin' };
const MODERATOR: ConsoleAccount = { email: 'moderator-b@hub.example', password: 'another long passphrase for e2e', role: 'moderator' };
const ORG_PASSPHRASE = 'correct horse battery staple';
const OWN_PASSPHRASE = 'my own words for sealed details';
const KID = 'org-2026-12-06-current';
const SHOTS = join(import.meta.dirname, '../../scratch');

interface Fixtures {
  chrome: Browser;
  page: Page;
  org: { file: OrgKeyFile; key: EncryptionKey; pkcs8: string; d: string; path: string };
  consoleHub: RunningHub;
}

const test = base.extend<Fixtures>({
  org: async ({}, use) => {
    const folder = await mkdtemp(join(tmpdir(), 'ohr-org-keys-'));
    const { pair, key, file } = await orgKey(KID, ORG_PASSPHRASE);
    const path = join(folder, 'ohr-org-key.json');
    await writeFile(path, JSON.stringify(file));
    const pkcs8 = base64url(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)));
    const d = (await crypto.subtle.exportKey('jwk', pair.privateKey)).d!;
    await use({ file, key, pkcs8, d, path });
    await rm(folder, { recursive: true, force: true });
  },
  consoleHub: async ({ org }, use) => {
    const dataDir = await hubFolder();
    const hub = await startHub({ port: 0, dataDir, config: { ...TEST_HUB_CONFIG, rateLimit: { enabled: false }, encryptionKey: org.key } });
    for (const account of [ADMIN, MODERATOR]) {
      const created = await createModerator(hub.db, NewModerator.parse(account), null);
      if (created.kind !== 'created') throw new Error(`moderator not created: ${created.kind}`);
    }
    await use(hub);
    await hub.close();
    await removeHubFolder(dataDir);
  },
  ...plainChromiumFixtures({ viewport: { width: 1100, height: 900 } }),
});

/** An identified report with the reporter's details sealed to the hub's key, as the extension sends it. */
async function sealedReport(hub: RunningHub, key: EncryptionKey): Promise<string> {
  return (await fileSealedReport(hub.url, key, { name: 'Ravi Sealed', email: 'ravi@example.org', phone: '+44 7700 900456' })).reference;
}

async function checked(page: Page, name: string): Promise<void> {
  await expectAccessible(page);
  await expectReadableText(page);
  await page.screenshot({ path: join(SHOTS, `key-access-${name}.png`), fullPage: true });
}

test('a moderator sets up their key, an admin gives access with the key file, the moderator opens with their passphrase, and removal takes it away', async ({ consoleHub: hub, org, page, chrome }) => {
  test.setTimeout(180_000);
  const reference = await sealedReport(hub, org.key);

  // B sets up their own key on their account page.
  await page.goto(`${hub.url}/console`);
  await signIn(page, MODERATOR);
  await page.goto(`${hub.url}/console/account`);
  await expect(page.getByTestId('key-access-status').first()).toContainText('You have not set up your key yet.');
  await checked(page, 'account-none');
  await page.getByRole('link', { name: 'Set up your key' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Access to sealed contact details');
  await expect(page.getByTestId('needs-script')).toBeHidden();
  await checked(page, 'own-setup');
  const passphrase = page.getByLabel('Your passphrase for sealed contact details');
  const again = page.getByLabel('The same passphrase again');
  await passphrase.fill('too short');
  await again.fill('too short');
  await page.getByRole('button', { name: 'Set up your key' }).click();
  await expect(page.getByRole('alert')).toHaveText('Use a passphrase of at least 12 characters: it is all that protects your key.');
  await passphrase.fill(OWN_PASSPHRASE);
  await again.fill(`${OWN_PASSPHRASE}!`);
  await page.getByRole('button', { name: 'Set up your key' }).click();
  await expect(page.getByRole('alert')).toHaveText('The two passphrases are not the same. Type them again.');
  await checked(page, 'own-setup-problem');
  await passphrase.fill(OWN_PASSPHRASE);
  await again.fill(OWN_PASSPHRASE);
  await page.getByRole('button', { name: 'Set up your key' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your key is set up.' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('key-access-status')).toContainText(`You do not have access to your organisation’s current key (${KID}) yet.`);
  await expect(page.getByTestId('replace-warning')).toContainText('Replacing your key removes your access');
  await checked(page, 'own-set');

  // A gives B access, opening the organisation key with its key file in A's browser.
  const adminContext = await chrome.newContext({ viewport: { width: 1100, height: 900 } });
  const admin = await adminContext.newPage();
  await admin.goto(`${hub.url}/console`);
  await signIn(admin, ADMIN);
  await admin.goto(`${hub.url}/console/admin`);
  await admin.getByRole('link', { name: 'Access to sealed contact details: who can open them' }).click();
  const row = (email: string) => admin.getByTestId('key-access-row').filter({ hasText: email });
  await expect(row(MODERATOR.email)).toContainText('Set up on');
  await expect(row(MODERATOR.email)).toContainText('None');
  await expect(row(ADMIN.email)).toContainText('Not set up yet');
  await checked(admin, 'admin-list');
  await row(MODERATOR.email).getByRole('link', { name: `Give ${MODERATOR.email} access to key ${KID}` }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText(`Give ${MODERATOR.email} access to key ${KID}`);
  await expect(admin.getByTestId('needs-script')).toBeHidden();
  await checked(admin, 'give');
  await admin.getByLabel('Your organisation’s key file').setInputFiles(org.path);
  await admin.getByLabel('Passphrase of the key file').fill('not the passphrase');
  await admin.getByRole('button', { name: `Give ${MODERATOR.email} access` }).click();
  await expect(admin.getByRole('alert')).toHaveText('That passphrase does not open this key file. Check it and try again.');
  await admin.getByLabel('Passphrase of the key file').fill(ORG_PASSPHRASE);
  await admin.getByRole('button', { name: `Give ${MODERATOR.email} access` }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Access given.' })).toBeVisible();
  await expect(row(MODERATOR.email)).toContainText(`${KID} (current)`);
  await checked(admin, 'admin-list-given');

  // Nothing in the new tables is a private key in clear, nor B's passphrase.
  const dump = JSON.stringify([await hub.db.query('SELECT * FROM moderator_keys'), await hub.db.query('SELECT * FROM key_grants')]);
  expect(dump).toContain(KID);
  for (const secret of [org.pkcs8, Buffer.from(org.pkcs8, 'base64url').toString('base64'), org.d, OWN_PASSPHRASE, ORG_PASSPHRASE]) expect(dump).not.toContain(secret);

  // B opens the sealed report's contact details with only their own passphrase.
  await page.goto(`${hub.url}/console/reports/${reference}/sealed`);
  await expect(page.getByTestId('needs-script')).toBeHidden();
  const own = page.getByLabel('Your passphrase', { exact: true });
  await expect(own).toBeVisible();
  await expect(page.getByLabel('Your organisation’s key file')).toBeHidden();
  const open = page.getByRole('button', { name: 'Open the contact details' });
  await own.fill('not my passphrase at all');
  await open.click();
  await expect(page.getByRole('alert')).toHaveText('That is not the passphrase of your key. Check it and try again.');
  await checked(page, 'sealed-own-problem');
  await own.fill(OWN_PASSPHRASE);
  await open.click();
  const details = page.getByTestId('sealed-details');
  await expect(details).toBeVisible({ timeout: 30_000 });
  await expect(details).toContainText('Ravi Sealed');
  await expect(details).toContainText('ravi@example.org');
  await expect(own).toHaveValue('');
  await checked(page, 'sealed-own-opened');
  const reveals = (await auditTrail(hub.db, reference)).filter((entry) => entry.action === 'contact.open_sealed');
  expect(reveals.map((entry) => entry.actorEmail)).toEqual([MODERATOR.email]);

  // A removes B's access; B's page then says so in words and offers only the key file.
  await admin.goto(`${hub.url}/console/admin/sealed-access`);
  await row(MODERATOR.email).getByRole('button', { name: `Remove ${MODERATOR.email}’s access to key ${KID}` }).click();
  await expect(admin.getByRole('status').filter({ hasText: `Removed ${MODERATOR.email}’s access to key ${KID}.` })).toBeVisible();
  await expect(row(MODERATOR.email)).toContainText('None');
  await checked(admin, 'admin-list-removed');
  await adminContext.close();

  await page.goto(`${hub.url}/console/reports/${reference}/sealed`);
  await expect(page.getByTestId('own-key-no-grant')).toHaveText(`You do not have access to key ${KID} with your own passphrase: ask an admin to give it to you, or use the organisation’s key file.`);
  await expect(page.getByLabel('Your passphrase', { exact: true })).toHaveCount(0);
  await checked(page, 'sealed-no-access');
  await page.goto(`${hub.url}/console/account`);
  await expect(page.getByTestId('key-access-status')).toContainText(`You do not have access to your organisation’s current key (${KID}) yet.`);

  const actions = (await hub.db.query<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'key.%' ORDER BY at, id")).map((entry) => entry.action);
  expect(actions).toEqual(['key.setup', 'key.grant', 'key.revoke']);
});

test('an admin who has access gives it with their own passphrase, without the key file', async ({ consoleHub: hub, org, page, chrome }) => {
  test.setTimeout(180_000);
  const reference = await sealedReport(hub, org.key);
  const setUpKey = async (on: Page, words: string) => {
    await on.goto(`${hub.url}/console/account/sealed-access`);
    await expect(on.getByTestId('needs-script')).toBeHidden();
    await on.getByLabel('Your passphrase for sealed contact details').fill(words);
    await on.getByLabel('The same passphrase again').fill(words);
    await on.getByRole('button', { name: 'Set up your key' }).click();
    await expect(on.getByRole('status').filter({ hasText: 'Your key is set up.' })).toBeVisible({ timeout: 30_000 });
  };
  const ADMIN_OWN = 'the admin own passphrase here';

  // A sets up their own key and gives themselves access with the key file.
  const adminContext = await chrome.newContext({ viewport: { width: 1100, height: 900 } });
  const admin = await adminContext.newPage();
  await admin.goto(`${hub.url}/console`);
  await signIn(admin, ADMIN);
  await setUpKey(admin, ADMIN_OWN);
  await admin.goto(`${hub.url}/console/admin/sealed-access`);
  const row = (email: string) => admin.getByTestId('key-access-row').filter({ hasText: email });
  await row(ADMIN.email).getByRole('link', { name: `Give ${ADMIN.email} access to key ${KID}` }).click();
  await expect(admin.getByTestId('needs-script')).toBeHidden();
  await admin.getByLabel('Your organisation’s key file').setInputFiles(org.path);
  await admin.getByLabel('Passphrase of the key file').fill(ORG_PASSPHRASE);
  await admin.getByRole('button', { name: `Give ${ADMIN.email} access` }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Access given.' })).toBeVisible();

  // B sets up their key; A gives B access with A's own passphrase: the key file is only behind the disclosure.
  await page.goto(`${hub.url}/console`);
  await signIn(page, MODERATOR);
  await setUpKey(page, OWN_PASSPHRASE);
  await admin.goto(`${hub.url}/console/admin/sealed-access`);
  await row(MODERATOR.email).getByRole('link', { name: `Give ${MODERATOR.email} access to key ${KID}` }).click();
  await expect(admin.getByTestId('needs-script')).toBeHidden();
  await expect(admin.getByLabel('Your organisation’s key file')).toBeHidden();
  const own = admin.getByLabel('Your passphrase', { exact: true });
  await own.fill('not the admin passphrase');
  await admin.getByRole('button', { name: `Give ${MODERATOR.email} access` }).click();
  await expect(admin.getByRole('alert')).toHaveText('That is not the passphrase of your key. Check it and try again.');
  await checked(admin, 'give-own-passphrase');
  await own.fill(ADMIN_OWN);
  await admin.getByRole('button', { name: `Give ${MODERATOR.email} access` }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Access given.' })).toBeVisible({ timeout: 30_000 });
  await expect(row(MODERATOR.email)).toContainText(`${KID} (current)`);
  await adminContext.close();

  // B opens the sealed details with their own passphrase.
  await page.goto(`${hub.url}/console/reports/${reference}/sealed`);
  await page.getByLabel('Your passphrase', { exact: true }).fill(OWN_PASSPHRASE);
  await page.getByRole('button', { name: 'Open the contact details' }).click();
  await expect(page.getByTestId('sealed-details')).toContainText('ravi@example.org', { timeout: 30_000 });

  const grants = await hub.db.query<{ email: string; granted_by: string }>('SELECT m.email, g.granted_by::text AS granted_by FROM key_grants g JOIN moderators m ON m.id = g.moderator_id ORDER BY m.email');
  const adminId = (await hub.db.query<{ id: string }>('SELECT id::text AS id FROM moderators WHERE email = $1', [ADMIN.email]))[0]!.id;
  expect(grants).toEqual([
    { email: ADMIN.email, granted_by: adminId },
    { email: MODERATOR.email, granted_by: adminId },
  ]);
});
