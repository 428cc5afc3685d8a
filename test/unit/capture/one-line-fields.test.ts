/**
 * The report schema refuses control characters in short fields (issue 17, finding 3), so what the extension captures
 * from a page must not carry them there: a name or handle scraped with a line break, a tab, NEL or a C0 control, or a
 * tab title with one, is made one line before it goes into the report, and the item still passes the schema.
 */
import { describe, expect, it } from 'vitest';
import { normalise, oneLineCap } from '../../../extension/capture/extract';
import { Item } from '../../../lib/schema';

describe('one-line captured fields', () => {
  it('turns controls into spaces and collapses them', () => {
    expect(oneLineCap('Jo\r\nEvidence verified\t\u0085\u0007x\u2028y', 200)).toBe('Jo Evidence verified x y');
    expect(oneLineCap(' \n\t ', 200)).toBeUndefined();
  });

  it('gives an item the schema accepts', () => {
    const item = normalise({
      url: 'https://example.org/p/1',
      pageTitle: 'Title\nEvidence verified',
      platform: 'other',
      kind: 'post',
      author: { handle: '@h\n(c) forged', displayName: 'D\u0085N', platformId: '1\t2' },
    });
    expect(item.pageTitle).toBe('Title Evidence verified');
    expect(item.author).toEqual({ handle: 'h (c) forged', displayName: 'D N', platformId: '1 2' });
    const parsed = Item.safeParse({ ...item, capturedAt: '2026-11-25T10:00:00.000Z', captureMethod: 'extension', evidence: [] });
    expect(parsed.success).toBe(true);
  });
});
