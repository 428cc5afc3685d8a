/**
 * Nothing captured is lost and nothing is filed twice: the real extension and the real hub, with the hub down,
 * misbehaving through a fault proxy, the extension's service worker stopped mid-send, and the browser restarted.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { startFaultProxy, type Fault } from './fault-proxy';
import { addOrganisation, expect, extensionIn, launchWithExtension, reportPage, test, type Extension, type HubControl } from './fixtures';

async function reportsAtHub(hub: HubControl): Promise<{ id: string; reference: string }[]> {
  return hub.query<{ id: string; reference: string }>('SELECT id::text, reference FROM reports ORDER BY received_at');
}

/**
 * The reports page, asked to send everything due now, as the person's "Try sending now" would. A retry the outbox
 * makes by itself may get there first and take the button away, which is just as good.
 */
async function retryAll(context: BrowserContext, extension: Extension): Promise<Page> {
  const reports = await context.newPage();
  await reports.goto(extension.page('reports.html'));
  await expect(reports.getByTestId('report').first()).toBeVisible();
  for (const button of await reports.getByRole('button', { name: 'Try sending now' }).all()) {
    await button.click({ timeout: 2_000 }).catch(() => undefined);
  }
  return reports;
}

test('reports wait while the hub is down and arrive once when it is back', async ({ context, extension, hub, site, openPopupFor }) => {
  await addOrganisation(context, extension, hub.url);
  await hub.stop();
  const post = context.pages()[0] ?? (await context.newPage());
  await post.goto(site.url('/post.html'));
  for (const summary of ['First while offline', 'Second while offline']) {
    const popup = await openPopupFor(post);
    await reportPage(popup, summary);
    await expect(popup.getByTestId('delivery')).toHaveAttribute('data-status', 'queued');
    await expect(popup.getByText('Last try')).toBeVisible();
    await popup.close();
  }

  await hub.start();
  const reports = await retryAll(context, extension);
  await expect(reports.getByTestId('delivery').and(reports.locator('[data-status="sent"]'))).toHaveCount(2);
  const filed = await reportsAtHub(hub);
  expect(filed).toHaveLength(2);
  const shown = await reports.getByTestId('reference').allTextContents();
  expect(shown.sort()).toEqual(filed.map((row) => row.reference).sort());
});

const faults: Array<[string, Fault]> = [
  ['answers 500', { kind: 'status', status: 500 }],
  ['never answers', { kind: 'hang' }],
  ['drops the connection while the report is uploading', { kind: 'cut-request' }],
  ['drops the connection while answering 201', { kind: 'cut-response' }],
];

for (const [name, fault] of faults) {
  test(`when the hub ${name}, the report is retried and filed exactly once`, async ({ context, extension, hub, site, openPopupFor }) => {
    const proxy = await startFaultProxy(() => hub.url);
    try {
      let faulted = false;
      proxy.plan((request) => {
        if (request.method !== 'POST' || faulted) return { kind: 'pass' };
        faulted = true;
        return fault;
      });
      await addOrganisation(context, extension, proxy.url);
      const post = context.pages()[0] ?? (await context.newPage());
      await post.goto(site.url('/post.html'));
      const popup = await openPopupFor(post);
      await reportPage(popup, `Hub ${name}`);
      // No one presses anything: the outbox retries by itself after its backoff.
      await expect(popup.getByTestId('delivery')).toHaveAttribute('data-status', 'sent', { timeout: 30_000 });
      const reports = await context.newPage();
      await reports.goto(extension.page('reports.html'));
      await expect(reports.getByTestId('delivery')).toHaveAttribute('data-status', 'sent');
      await expect(reports.getByText('Last try')).toHaveCount(0);
      const filed = await reportsAtHub(hub);
      expect(filed).toHaveLength(1);
      await expect(reports.getByTestId('reference')).toHaveText(filed[0]!.reference);
      expect(proxy.reportPosts).toBe(2);
    } finally {
      await proxy.close();
    }
  });
}

test('the hub files the report, the extension dies before it records the receipt: one report, same reference', async ({ context, extension, hub, site, openPopupFor }) => {
  const proxy = await startFaultProxy(() => hub.url);
  try {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    proxy.plan((request) => {
      if (request.method !== 'POST' || held) return { kind: 'pass' };
      held = true;
      return { kind: 'hold-then-cut', release: released };
    });
    await addOrganisation(context, extension, proxy.url);
    const post = context.pages()[0] ?? (await context.newPage());
    await post.goto(site.url('/post.html'));
    const popup = await openPopupFor(post);
    await reportPage(popup, 'Filed, then the extension died');
    await expect.poll(async () => (await reportsAtHub(hub)).length).toBe(1);
    await popup.close();
    await extension.stopWorker();
    release();

    // Opening an extension page wakes a new worker, which takes back the orphaned delivery and sends it again.
    const reports = await context.newPage();
    await reports.goto(extension.page('reports.html'));
    await expect(reports.getByTestId('delivery')).toHaveAttribute('data-status', 'sent');
    const filed = await reportsAtHub(hub);
    expect(filed).toHaveLength(1);
    await expect(reports.getByTestId('reference')).toHaveText(filed[0]!.reference);
  } finally {
    await proxy.close();
  }
});

test('worker stopped mid-send and browser restarted on the same profile: nothing lost, nothing duplicated', async ({ profileDir, context, extension, hub, site, openPopupFor }) => {
  const proxy = await startFaultProxy(() => hub.url);
  try {
    // Every report POST hangs until the browser is gone: the sends are in the middle when the worker stops.
    let hanging = true;
    proxy.plan((request) => (request.method === 'POST' && hanging ? { kind: 'hang' } : { kind: 'pass' }));
    await addOrganisation(context, extension, proxy.url);
    const post = context.pages()[0] ?? (await context.newPage());
    await post.goto(site.url('/post.html'));
    for (const summary of ['One', 'Two', 'Three']) {
      const popup = await openPopupFor(post);
      await reportPage(popup, `Mid-send ${summary}`);
      await popup.close();
    }
    await expect.poll(() => proxy.reportPosts).toBeGreaterThanOrEqual(1);
    await extension.stopWorker();
    await context.close();
    hanging = false;

    const again = await launchWithExtension(profileDir);
    try {
      const restarted = await extensionIn(again);
      const reports = await again.newPage();
      await reports.goto(restarted.page('reports.html'));
      await expect(reports.getByTestId('report')).toHaveCount(3);
      await expect(reports.locator('[data-testid="delivery"][data-status="sent"]')).toHaveCount(3, { timeout: 30_000 });
      const filed = await reportsAtHub(hub);
      expect(filed).toHaveLength(3);
      expect(new Set(filed.map((row) => row.id)).size).toBe(3);
    } finally {
      await again.close();
    }
  } finally {
    await proxy.close();
  }
});
