/**
 * The widget's side of intimate-image abuse reported by fingerprint (issue 23): the field (loaded from the hub as
 * `/widget/pdq.js`) offers "send only a fingerprint" ticked by default; a picture chosen there leaves only its PDQ hash
 * on the item, and the report the widget builds carries the hash, no evidence and nothing to upload.
 */
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { format } from '../../../lib/i18n/format';
import { pdqHash } from '../../../lib/pdq/pdq';
import { Report, type Discovery } from '../../../lib/schema';
import { write } from '../../../widget/answers';
import { fingerprintsOffered } from '../../../widget/Fingerprints';
import { fingerprintField } from '../../../widget/fingerprint-field';
import { buildReport, uploadsOf, type WidgetItem } from '../../../widget/report';
import { photo } from '../../fixtures/pdq';

const ID = '8a4f0f3e-5c1d-4c8e-9a7b-1f2e3d4c5b6a';
/** Only what the offer reads of a discovery document. */
const sampleDiscovery = (fields: Partial<Discovery>) => fields as Discovery;
const cat = photo('chelsea.png');
const hash = { algorithm: 'pdq' as const, ...pdqHash(cat.data, cat.width, cat.height) };
const abuse = write(write({}, 'incident.summary', 'My photo was posted without my consent'), 'incident.harmTypes', ['intimate_image_abuse']);

describe('fingerprints in the widget', () => {
  it('are offered for intimate-image abuse to a hub that takes them, and only then', () => {
    expect(fingerprintsOffered(abuse, sampleDiscovery({ perceptualHashes: ['pdq'] }))).toBeTruthy();
    expect(fingerprintsOffered(abuse, sampleDiscovery({}))).toBeFalsy();
    expect(fingerprintsOffered(write({}, 'incident.harmTypes', ['harassment']), sampleDiscovery({ perceptualHashes: ['pdq'] }))).toBeFalsy();
  });

  it('go in the report as its hashes, with no evidence and nothing to upload', () => {
    const items: WidgetItem[] = [{ url: 'https://example.org/post/1', uploads: [], perceptualHashes: [hash], fingerprintNames: ['me.jpg'] }];
    const report = buildReport(ID, abuse, items);
    expect(Report.safeParse(report).success).toBe(true);
    expect(report.items[0]).toMatchObject({ evidence: [], perceptualHashes: [hash] });
    expect(uploadsOf(items)).toEqual([]);
    expect(JSON.stringify(report)).not.toContain('me.jpg');
    // Without fingerprints the key goes unsent (undefined is left out of the JSON the widget posts).
    expect(JSON.stringify(buildReport(ID, abuse, [{ url: 'https://example.org/post/1', uploads: [] }]))).not.toContain('perceptualHashes');
  });

  it('field: the box is ticked by default, lists the fingerprinted pictures by name, and unticked hands over to files', () => {
    const item: WidgetItem = { url: 'https://example.org/post/1', uploads: [], perceptualHashes: [hash], fingerprintNames: ['me.jpg'] };
    const changes: WidgetItem[] = [];
    const html = renderToString(fingerprintField(h, format, 0, item, (_index, next) => changes.push(next), () => {}) as never);
    expect(html).toContain('Send only a fingerprint of each picture — the organisation won’t see it');
    expect(html).toMatch(/type="checkbox"[^>]*checked/);
    expect(html).toContain('Pictures for address 1 (only their fingerprints are sent)');
    expect(html).toContain('me.jpg: fingerprint only');
    const unticked = renderToString(fingerprintField(h, format, 0, { ...item, asFiles: true }, () => {}, () => {}) as never);
    expect(unticked).not.toMatch(/type="checkbox"[^>]*checked/);
    expect(unticked).not.toContain('type="file"');
  });
});
