/**
 * The report form in the real extension: a page captured from the popup, the form filled step by step (each step
 * checked with axe-core and photographed under test-results/report-form/), the evidence pack saved and checked with
 * `npm run verify`, the report sent, and the hub's stored body holding exactly the answers. Then the quick exit, and
 * what the form says of who can read the contact details when only some chosen organisations publish an encryption key.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Locator, Page } from '@playwright/test';
import { startHub } from '../../hub/server';
import { newSealingKeyPair, publicJwkOf } from '../../lib/crypto/seal';
import { SEAL_ALG, type EncryptionKey } from '../../lib/schema';
import { addOrganisation, expect, expectAccessible, test } from './fixtures';
import { expectReadableText } from './readable';
import { TEST_HUB_CONFIG } from './hub-folder';

const run = promisify(execFile);

/** The newest draft's id, read from the extension's IndexedDB by one of its pages. */
function newestDraftId(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('ohr');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('drafts').objectStore('drafts').getAll();
          all.onsuccess = () => {
            const drafts = all.result as Array<{ id: string; createdAt: string }>;
            drafts.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
            open.result.close();
            resolve(drafts[0]!.id);
          };
        };
      }),
  );
}

/** Checks the step with axe-core, keeps a picture of it, and moves on with `Next`. */
async function step(form: Page, title: string, fill: () => Promise<void> = async () => undefined): Promise<void> {
  await expect(form.getByRole('heading', { level: 2 })).toHaveText(title);
  // Each new step's heading takes focus, so a screen reader announces it; the first step is where the page starts.
  if (title !== 'First, are you safe?') await expect(form.getByRole('heading', { level: 2 })).toBeFocused();
  await fill();
  await expectAccessible(form);
  await form.screenshot({ path: test.info().outputPath(`steps/${title.replace(/\W+/g, '-').toLowerCase()}.png`), fullPage: true });
  await form.getByRole('button', { name: 'Next' }).click();
}

test('a report filled in the form reaches the hub with every answer, and its evidence pack verifies', async ({ context, extension, hub, site, openPopupFor }) => {
  // Twelve steps, each checked by axe-core and photographed: slower than the other specs on a busy 2-core machine.
  test.setTimeout(150_000);
  await addOrganisation(context, extension, hub.url);
  const post = context.pages()[0] ?? (await context.newPage());
  await post.goto(site.url('/post.html'));
  const popup = await openPopupFor(post);
  await popup.getByRole('button', { name: 'Report this page' }).click();
  await expect(popup.getByText('Saved on this computer')).toBeVisible();
  const draftId = await newestDraftId(popup);
  await popup.close();

  const form = await context.newPage();
  await form.goto(extension.page(`report.html?draft=${draftId}`));
  await expect(form.getByRole('heading', { level: 2 })).toHaveText('First, are you safe?');
  await expectAccessible(form);
  await form.getByRole('group', { name: 'Do you know who is doing this?' }).getByLabel('Yes').check();
  // Knowing who it is marks the report urgent but is no emergency: 101, not "Call 999 now".
  await expect(form.getByTestId('urgency-advice')).toContainText('call 101');
  await expect(form.getByTestId('urgent')).toHaveCount(0);
  // The same step in Arabic: right to left, and still accessible.
  await form.getByLabel('Language').selectOption('ar');
  await expect(form.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(form.getByRole('heading', { level: 2 })).toHaveText('أولًا، هل أنت بأمان؟');
  await expectAccessible(form);
  await form.screenshot({ path: test.info().outputPath('steps/urgency-ar.png'), fullPage: true });
  await form.getByLabel('اللغة').selectOption('en');
  await expect(form.locator('html')).toHaveAttribute('dir', 'ltr');

  await step(form, 'First, are you safe?');
  await step(form, 'Who are you in this?', () => form.getByLabel('the person it was aimed at').check());
  await step(form, 'What happened?', async () => {
    // GOV.UK's pattern: the question in a larger type than its hint, the hint still 16 px or more; Next before the rest.
    const size = (locator: Locator) => locator.evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
    const hint = await size(form.locator('.field .hint').first());
    expect(hint).toBeGreaterThanOrEqual(16);
    expect(await size(form.getByText('In your own words, what happened?'))).toBeGreaterThan(hint);
    await expectReadableText(form);
    await form.getByLabel('In your own words, what happened?').fill('Threats about my faith under my post');
  });
  await step(form, 'Why do you think you were targeted?', () => form.getByLabel('religion').check());
  await step(form, 'What kind of harm was it?', () => form.getByLabel('a threat').check());
  await step(form, 'When did it happen?', () => form.getByRole('group', { name: 'Is it still happening?' }).getByLabel('Yes').check());
  await step(form, 'How has it affected you?', async () => {
    const order = await form.locator('.actions button').allTextContents();
    expect(order).toEqual(['Next', 'Skip this question']);
  });
  await step(form, 'Have you reported it before?');
  await step(form, 'Can they contact you?', async () => {
    await form.getByRole('group', { name: 'Do you want to stay anonymous?' }).getByLabel('No').check();
    await form.getByLabel('Email address').fill('sam@example.org');
    await form.getByLabel('By email').check();
    await form.getByRole('group', { name: 'Language you would like them to use' }).getByLabel('Cymraeg').check();
    await form.getByLabel('Anything that would make contact easier').fill('An interpreter, please');
    await form.getByRole('group', { name: 'Your age' }).getByLabel('25–34').check();
    await form.getByLabel('The organisation may pass it to the police').check();
  });
  await step(form, 'What you captured', () => expect(form.getByTestId('screenshot')).toHaveClass(/blurred/));
  await expect(form.getByRole('heading', { level: 2 })).toHaveText('Check your report');
  await expect(form.locator('dl.check')).toContainText('Threats about my faith under my post');
  await expectAccessible(form);
  await form.screenshot({ path: test.info().outputPath('steps/check-your-report.png'), fullPage: true });
  await form.getByRole('button', { name: 'Send report' }).click();
  await expect(form.getByRole('heading', { level: 2 })).toHaveText('Your report is on its way');
  await expectAccessible(form);

  const [body] = await expect
    .poll(async () => (await hub.query<{ body: Record<string, unknown> }>('SELECT body FROM reports')).map((row) => row.body), { timeout: 15_000 })
    .toHaveLength(1)
    .then(async () => (await hub.query<{ body: Record<string, unknown> }>('SELECT body FROM reports')).map((row) => row.body));
  // The organisation's copy has an id of its own, not the draft's (docs/design.md, "Signing without linking").
  expect(body!.id).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
  expect(body!.id).not.toBe(draftId);
  expect(body).toMatchObject({
    urgency: { immediateDanger: false, perpetratorIdentityKnown: true, relatesToFutureEvent: false },
    reporter: {
      role: 'victim',
      anonymous: false,
      email: 'sam@example.org',
      contact: { channel: 'email', language: 'cy' },
      accessNeeds: 'An interpreter, please',
      ageBand: '25_34',
      consents: { police: true, platform: false, shareContact: false, supportReferral: false },
    },
    incident: { summary: 'Threats about my faith under my post', targetedCharacteristics: ['religion'], harmTypes: ['threat'], ongoing: true },
  });
  const [urgent] = await hub.query<{ urgent: boolean }>('SELECT urgent FROM reports');
  expect(urgent?.urgent).toBe(true);

  const download = form.waitForEvent('download');
  await form.getByRole('button', { name: 'Save an evidence pack (ZIP)' }).click();
  const zipPath = test.info().outputPath('evidence-pack.zip');
  await (await download).saveAs(zipPath);
  await expect(form.getByTestId('export-status')).toHaveText('Evidence pack saved.');
  const verified = await run('npx', ['tsx', 'scripts/verify.ts', zipPath]).catch((error: { stdout: string }) => error);
  expect(verified.stdout).toMatch(/ok\s+screenshot [0-9a-f]{12}… = evidence\/[0-9a-f]{64}\.png/);
  expect(verified.stdout).not.toContain('no file has this hash');
});

test('the quick exit replaces the form with a neutral page on Esc twice', async ({ context, extension }) => {
  await context.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title><p>Sunny</p>' }));
  const form = await context.newPage();
  await form.goto(extension.page('report.html'));
  await expect(form.getByRole('button', { name: 'Leave this page quickly' })).toBeVisible();
  await expectAccessible(form);
  await form.keyboard.press('Escape');
  await form.keyboard.press('Escape');
  await expect(form).toHaveURL('https://www.bbc.co.uk/weather');
  await expect(form.getByText('Sunny')).toBeVisible();
});

test('with one organisation that publishes an encryption key and one that does not, the settings, the contact step and the check step say which receives the contact details locked', async ({ context, extension, hub, site, openPopupFor }) => {
  const keys = await newSealingKeyPair();
  const encryptionKey: EncryptionKey = { kid: 'org-2026-12', alg: SEAL_ALG, jwk: await publicJwkOf(keys.publicKey) };
  const sealing = await startHub({ port: 0, dataDir: 'memory://', config: { ...TEST_HUB_CONFIG, rateLimit: { enabled: false }, name: 'Northside Hate Crime Hub', encryptionKey } });
  try {
    await addOrganisation(context, extension, sealing.url);
    await addOrganisation(context, extension, hub.url);
    const options = await context.newPage();
    await options.goto(extension.page('options.html'));
    const listed = options.getByTestId('endpoint');
    await expect(listed).toHaveCount(2);
    await expect(listed.filter({ hasText: 'Northside Hate Crime Hub' }).getByTestId('seals-contact')).toHaveText('Locks your contact details so that only its staff can read them.');
    await expect(listed.filter({ hasNotText: 'Northside Hate Crime Hub' }).getByTestId('seals-contact')).toHaveCount(0);
    await expectAccessible(options);
    await options.close();

    const post = context.pages()[0] ?? (await context.newPage());
    await post.goto(site.url('/post.html'));
    const popup = await openPopupFor(post);
    await popup.getByRole('button', { name: 'Report this page' }).click();
    await expect(popup.getByText('Saved on this computer')).toBeVisible();
    const draftId = await newestDraftId(popup);
    await popup.close();
    const form = await context.newPage();
    await form.goto(extension.page(`report.html?draft=${draftId}`));
    const heading = form.getByRole('heading', { level: 2 });
    const next = form.getByRole('button', { name: 'Next' });
    await expect(heading).toHaveText('First, are you safe?');
    await next.click();
    await form.getByLabel('the person it was aimed at').check();
    await next.click();
    await form.getByLabel('In your own words, what happened?').fill('Threats about my faith under my post');
    for (const title of ['Why do you think you were targeted?', 'What kind of harm was it?', 'When did it happen?', 'How has it affected you?', 'Have you reported it before?', 'Can they contact you?']) {
      await next.click();
      await expect(heading).toHaveText(title);
    }
    await expect(form.getByTestId('sealed-note')).toHaveCount(0);
    await form.getByRole('group', { name: 'Do you want to stay anonymous?' }).getByLabel('No').check();
    const note = form.getByTestId('sealed-note');
    await expect(note).toContainText(
      'Your name, email address, phone number and access needs are locked on this device before they are sent, so that only staff at Northside Hate Crime Hub can read them.',
    );
    await expect(note).toContainText(/They are sent to (?!Northside).+ as you type them\./);
    await form.getByLabel('Email address').fill('sam@example.org');
    await form.getByLabel(/^Email me when my report changes/).check();
    await expect(form.getByTestId('sealed-email-updates')).toHaveText('The email address for updates is sent readable, so that they can write to you.');
    await expectAccessible(form);
    await expectReadableText(form);
    await form.screenshot({ path: test.info().outputPath('contact-sealed.png'), fullPage: true });

    await next.click();
    await expect(heading).toHaveText('What you captured');
    await next.click();
    await expect(heading).toHaveText('Check your report');
    await expect(note).toContainText('The email address for updates is sent readable');
    await expectAccessible(form);
    // With only the organisation that publishes a key ticked, nobody receives them as typed.
    await form.getByLabel('Northside Hate Crime Hub').uncheck();
    await expect(note).toHaveCount(0);
    await form.getByLabel('Northside Hate Crime Hub').check();
    await form.getByRole('group', { name: 'Send to' }).getByRole('checkbox').nth(1).uncheck();
    await expect(note).not.toContainText('as you type');
    await form.screenshot({ path: test.info().outputPath('check-sealed.png'), fullPage: true });
  } finally {
    await sealing.close();
  }
});
