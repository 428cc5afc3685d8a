/**
 * The settings' look-up, with the mistakes people make typing an address: each gets its own words that say what to
 * check; an address without http(s):// is completed; an old message goes once a look-up succeeds; and nothing says
 * "your report is kept on this computer", since there is no report here.
 */
import { createServer } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures';
import { expectReadableText } from './readable';

/** A port on this machine where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function lookUp(options: Page, address: string): Promise<void> {
  await options.getByLabel('Address of the reporting service').fill(address);
  await options.getByRole('button', { name: 'Look up' }).click();
}

async function expectProblem(options: Page, words: string | RegExp, shot: string): Promise<void> {
  const field = options.getByLabel('Address of the reporting service');
  const problem = options.locator('#endpoint-error');
  await expect(problem).toHaveText(words);
  await expect(problem).toHaveAttribute('role', 'alert');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAttribute('aria-describedby', /endpoint-error/);
  await expect(options.getByTestId('found')).toHaveCount(0);
  const text = await options.locator('body').innerText();
  expect(text).not.toContain('kept on this computer');
  expect(text).not.toMatch(/Failed to fetch|TypeError|ERR_|NetworkError/);
  await expectAccessible(options);
  await expectReadableText(options);
  await options.screenshot({ path: test.info().outputPath(`${shot}.png`) });
}

test('each look-up mistake gets its own words, and a success clears them', async ({ context, extension, hub, site }) => {
  const options = await context.newPage();
  await options.goto(extension.page('options.html'));
  const hubUrl = new URL(hub.url);

  const port = await closedPort();
  await lookUp(options, `http://127.0.0.1:${port}`);
  await expectProblem(
    options,
    `Nothing answered at http://127.0.0.1:${port}. Check the port number, the ${port} after the colon: it must be exactly the one the organisation gave you.`,
    'wrong-port',
  );

  await lookUp(options, `https://${hubUrl.host}`);
  await expectProblem(
    options,
    `${hubUrl.host} does not take secure (https://) connections, but something answers at http://${hubUrl.host}. If the organisation gave you an address starting with http://, use that one.`,
    'https-for-http',
  );

  await lookUp(options, site.origin);
  await expectProblem(
    options,
    `Something answered at ${site.origin}, but it is not a reporting service this extension can send to. Check that you have the address of the organisation’s reporting service, not of its website.`,
    'not-a-reporting-service',
  );

  await lookUp(options, 'ftp://hub.example');
  await expectProblem(options, 'Enter a full web address starting with http:// or https://, without a user name or password.', 'not-a-web-address');

  // Typed without http://: completed, found, and the last problem is gone.
  await lookUp(options, hubUrl.host);
  await expect(options.getByTestId('found')).toContainText('Found: OHR reference hub');
  await expect(options.getByLabel('Address of the reporting service')).toHaveValue(hub.url);
  await expect(options.locator('#endpoint-error')).toHaveCount(0);
  await expect(options.getByRole('alert')).toHaveCount(0);
  await expect(options.getByLabel('Address of the reporting service')).toHaveAttribute('aria-invalid', 'false');
  await expectAccessible(options);
  await options.screenshot({ path: test.info().outputPath('found.png'), fullPage: true });
  await options.getByRole('button', { name: 'Add OHR reference hub' }).click();
  await expect(options.getByRole('status')).toHaveText('OHR reference hub added.');

  // "Test connection" speaks the same words when the service is down.
  await hub.stop();
  await options.getByRole('button', { name: 'Test connection to OHR reference hub' }).click();
  await expect(options.getByRole('alert')).toHaveText(`Nothing answered at ${hub.url}. Check the port number, the ${hubUrl.port} after the colon: it must be exactly the one the organisation gave you.`);
  await expect(options.getByRole('status')).toHaveCount(0);
  await hub.start();
  await options.getByRole('button', { name: 'Test connection to OHR reference hub' }).click();
  await expect(options.getByRole('status')).toHaveText('OHR reference hub answered and accepts reports.');
  await expect(options.getByRole('alert')).toHaveCount(0);
});
