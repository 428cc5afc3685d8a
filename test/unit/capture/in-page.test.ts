import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { readPostInPage } from '../../../extension/capture/extract/in-page';
import { toReportItem } from '../../../extension/capture/extract';
import { Item } from '../../../lib/schema';

describe('readPostInPage', () => {
  it('returns plain data: the item, the post box, the viewport and a sanitised snapshot', () => {
    const window = new Window({ url: 'https://t.me/s/chan', width: 1024, height: 768, settings: { disableJavaScriptEvaluation: true } });
    window.document.write(`<title>Chan</title><div class="tgme_widget_message" data-post="chan/7">
      <a class="tgme_widget_message_owner_name" href="https://t.me/chan"><span>Chan</span></a>
      <div class="tgme_widget_message_text" onclick="x()">Go back where you came from</div>
      <a class="tgme_widget_message_date" href="https://t.me/chan/7"><time datetime="2026-01-02T03:04:05+00:00">03:04</time></a></div>`);
    const document = window.document as unknown as Document;
    const capture = readPostInPage(document, document.querySelector('.tgme_widget_message_text')!, '2026-01-02T04:00:00.000Z');
    expect(capture.item).toMatchObject({ platform: 'telegram', kind: 'message', permalink: 'https://t.me/chan/7', author: { handle: 'chan' } });
    expect(capture.viewport).toEqual({ width: 1024, height: 768 });
    expect(capture.rect).toEqual({ x: expect.any(Number), y: expect.any(Number), width: expect.any(Number), height: expect.any(Number) });
    expect(capture.snapshotHtml).toContain('Go back where you came from');
    expect(capture.snapshotHtml).not.toContain('onclick');
    expect(structuredClone(capture)).toEqual(capture);

    const item = toReportItem(capture.item, { capturedAt: '2026-01-02T04:00:00.000Z', evidence: [] });
    expect(Item.safeParse(item).success).toBe(true);
  });
});
