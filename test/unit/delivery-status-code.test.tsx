/**
 * The extension's done and reports pages (DeliveryList) show a report's grouped status code under its reference, to
 * be written down; an older long token, which only the extension uses, stays out of sight.
 */
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { DeliveryList } from '../../components/DeliveryList';
import type { Delivery } from '../../extension/db';

const at = '2026-12-06T05:00:00.000Z';
const sent = (statusToken: string): Delivery => ({
  reportId: crypto.randomUUID(),
  endpoint: 'https://hub.example.org',
  status: 'sent',
  attempts: 1,
  nextAttemptAt: 0,
  createdAt: at,
  updatedAt: at,
  receipt: { reference: 'OHR-ABCD-EFGH', statusToken, receivedAt: at },
});

describe('DeliveryList and the status code', () => {
  it('shows the grouped code', () => {
    const html = renderToString(<DeliveryList deliveries={[sent('7K2M-9QXA-HH3P-Z0V1')]} endpoints={[]} />);
    expect(html).toContain('data-testid="status-code">7K2M-9QXA-HH3P-Z0V1</code>');
    expect(html).toContain('OHR-ABCD-EFGH');
  });

  it('keeps an older long token out of sight', () => {
    const token = 'Qm9vdGhfb2xkLXN0eWxlX3Rva2VuLTQzLWNoYXJzLWxvbmc';
    const html = renderToString(<DeliveryList deliveries={[sent(token)]} endpoints={[]} />);
    expect(html).not.toContain('status-code');
    expect(html).not.toContain(token);
  });
});
