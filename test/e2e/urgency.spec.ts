/**
 * The urgency step: when 999 applies and when 101 does, always on show; "Do you know who is doing this?" alone does
 * not say "Call 999 now"; danger now does. An organisation outside the UK gives its own numbers in discovery.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { addOrganisation, expect, expectAccessible, test, type Extension } from './fixtures';
import { expectReadableText } from './readable';

async function openForm(context: BrowserContext, extension: Extension, hubUrl: string, site: { url(path: string): string }, openPopupFor: (page: Page) => Promise<Page>): Promise<Page> {
  await addOrganisation(context, extension, hubUrl);
  const post = await context.newPage();
  await post.goto(site.url('/post.html'));
  const popup = await openPopupFor(post);
  await popup.getByRole('button', { name: 'Report this page' }).click();
  const opened = context.waitForEvent('page');
  await popup.getByRole('button', { name: /^Add more details/ }).click();
  const form = await opened;
  await popup.close();
  await expect(form.getByRole('heading', { level: 2 })).toHaveText('First, are you safe?');
  return form;
}

const answer = (form: Page, question: string, yes: 'Yes' | 'No') => form.getByRole('group', { name: question }).getByLabel(yes).check();

test.describe('with a UK organisation', () => {
  test('says when 999 and when 101 apply, and only danger now says "Call 999 now"', async ({ context, extension, hub, site, openPopupFor }) => {
    const form = await openForm(context, extension, hub.url, site, openPopupFor);
    const whenToCall = form.getByTestId('when-to-call');
    await expect(whenToCall).toContainText('Call 999 if someone is in danger right now, or a crime is happening now.');
    await expect(whenToCall).toContainText('Call 101 to tell the police about a crime that is not an emergency');

    await answer(form, 'Are you or someone else in danger right now?', 'No');
    await answer(form, 'Do you know who is doing this?', 'Yes');
    await expect(form.getByTestId('urgent')).toHaveCount(0);
    await expect(form.getByTestId('urgency-advice')).toContainText('If you want the police to know now, call 101.');
    await expect(form.locator('main')).not.toContainText('Call 999 now');
    await expectAccessible(form);
    await expectReadableText(form);
    await form.screenshot({ path: test.info().outputPath('known-person.png'), fullPage: true });

    await answer(form, 'Does it mention something planned for a time or place, such as an event or a meeting?', 'Yes');
    await expect(form.getByTestId('urgency-advice')).toContainText('If it could happen soon, call 999. If not, call 101');
    await expect(form.getByTestId('urgent')).toHaveCount(0);

    await answer(form, 'Are you or someone else in danger right now?', 'Yes');
    await expect(form.getByTestId('urgent')).toContainText('Call 999 now.');
    await expect(form.getByTestId('urgent')).toContainText('press 55');
    await expectAccessible(form);
    await form.screenshot({ path: test.info().outputPath('danger.png'), fullPage: true });
  });
});

test.describe('with an organisation outside the UK', () => {
  test.use({ hubConfig: { name: 'Hotline Ireland', emergencyNumbers: { emergency: '112' } } });

  test('gives the organisation’s own numbers', async ({ context, extension, hub, site, openPopupFor }) => {
    const discovery = await (await fetch(new URL('/.well-known/ohr', hub.url))).json();
    expect(discovery.emergencyNumbers).toEqual({ emergency: '112' });
    const form = await openForm(context, extension, hub.url, site, openPopupFor);
    await expect(form.getByTestId('when-to-call')).toContainText('Call 112 if someone is in danger right now');
    await expect(form.getByTestId('when-to-call')).toContainText('contact your local police on their usual number');
    await answer(form, 'Are you or someone else in danger right now?', 'Yes');
    await expect(form.getByTestId('urgent')).toContainText('Call 112 now.');
    await expect(form.locator('main')).not.toContainText(/999|101|press 55/);
    await expectAccessible(form);
    await form.screenshot({ path: test.info().outputPath('abroad.png'), fullPage: true });
  });
});
