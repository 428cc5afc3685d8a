/**
 * Support links that match, through a real hub: discovery keeps each link as released clients read it and sends the
 * tags apart; the status page shows a report's reporter the tagged links that fit it and the untagged ones, not the rest.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Discovery, Receipt } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';
import { createTestApp, describing, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;
const LINKS = [
  { label: 'Galop', url: 'https://galop.org.uk/', characteristics: ['sexual_orientation', 'transgender_identity'] as const },
  { label: 'CST', url: 'https://cst.org.uk/', characteristics: ['religion'] as const },
  { label: 'Revenge Porn Helpline', url: 'https://revengepornhelpline.org.uk/', harms: ['intimate_image_abuse'] as const },
  { label: 'Stop Hate UK', url: 'https://www.stophateuk.org/' },
];

beforeAll(async () => {
  testDb = await openTestDatabase();
  app = createTestApp({
    db: testDb.db,
    config: { rateLimit: { enabled: false, store: 'memory', clientIpHeader: 'x-test-client' }, supportLinks: LINKS.map((link) => ({ ...link })) as never },
  });
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

describe('support links', () => {
  it('are in discovery as before, with their tags apart', async () => {
    const discovery = Discovery.parse(await (await app.request('/.well-known/ohr')).json());
    expect(discovery.supportLinks).toEqual(LINKS.map(({ label, url }) => ({ label, url })));
    expect(discovery.supportLinkTags).toEqual([
      { url: 'https://galop.org.uk/', characteristics: ['sexual_orientation', 'transgender_identity'] },
      { url: 'https://cst.org.uk/', characteristics: ['religion'] },
      { url: 'https://revengepornhelpline.org.uk/', harms: ['intimate_image_abuse'] },
    ]);
  });

  it('on the status page: the ones that fit the report (religion, hate speech) and the untagged one', async () => {
    const { sha256, bytes } = await uploadPng(app);
    const report = describing(sampleReport(), sha256, bytes);
    const response = await postReport(app, report, report.id);
    expect(response.status).toBe(201);
    const receipt = Receipt.parse(await response.json());
    const page = await (
      await app.request('/status', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'x-test-client': '192.0.2.1', 'Sec-Fetch-Site': 'same-origin' },
        body: new URLSearchParams({ reference: receipt.reference, code: receipt.statusToken, action: 'view' }).toString(),
      })
    ).text();
    expect(page).toContain('<h2 id="support">');
    expect(page).toContain('href="https://cst.org.uk/"');
    expect(page).toContain('href="https://www.stophateuk.org/"');
    expect(page).not.toContain('galop.org.uk');
    expect(page).not.toContain('revengepornhelpline');
    expect(page.indexOf('cst.org.uk')).toBeLessThan(page.indexOf('stophateuk.org'));
  });
});
