/** Support links that fit a report: tags by characteristic and harm, untagged links always, the tags joined from discovery. */
import { describe, expect, it } from 'vitest';
import { Discovery } from '../../lib/schema';
import { matchingSupportLinks, taggedSupportLinks, type SupportLink } from '../../lib/support-links';

const GALOP: SupportLink = { label: 'Galop', url: 'https://galop.org.uk/', characteristics: ['sexual_orientation', 'transgender_identity'] };
const CST: SupportLink = { label: 'CST', url: 'https://cst.org.uk/', characteristics: ['religion'] };
const TELL_MAMA: SupportLink = { label: 'Tell MAMA', url: 'https://tellmamauk.org/', characteristics: ['religion'] };
const REVENGE_PORN: SupportLink = { label: 'Revenge Porn Helpline', url: 'https://revengepornhelpline.org.uk/', harms: ['intimate_image_abuse'] };
const BOTH: SupportLink = { label: 'Disability threats', url: 'https://example.org/d', characteristics: ['disability'], harms: ['threat'] };
const STOP_HATE: SupportLink = { label: 'Stop Hate UK', url: 'https://www.stophateuk.org/' };
const ALL = [STOP_HATE, GALOP, CST, TELL_MAMA, REVENGE_PORN, BOTH];

const labels = (links: SupportLink[]) => links.map((link) => link.label);

describe('matchingSupportLinks', () => {
  it('shows the links tagged for the report first, then the untagged ones, and not the others', () => {
    expect(labels(matchingSupportLinks(ALL, { characteristics: ['sexual_orientation'], harms: ['hate_speech'] }))).toEqual(['Galop', 'Stop Hate UK']);
    expect(labels(matchingSupportLinks(ALL, { characteristics: ['religion'], harms: ['threat'] }))).toEqual(['CST', 'Tell MAMA', 'Stop Hate UK']);
    expect(labels(matchingSupportLinks(ALL, { characteristics: ['race'], harms: ['intimate_image_abuse'] }))).toEqual(['Revenge Porn Helpline', 'Stop Hate UK']);
  });

  it('needs both kinds of tag to fit when a link has both', () => {
    expect(labels(matchingSupportLinks(ALL, { characteristics: ['disability'], harms: ['threat'] }))).toEqual(['Disability threats', 'Stop Hate UK']);
    expect(labels(matchingSupportLinks(ALL, { characteristics: ['disability'], harms: ['hate_speech'] }))).toEqual(['Stop Hate UK']);
  });

  it('does not rule a link out by what the report does not say', () => {
    expect(labels(matchingSupportLinks(ALL, { characteristics: [], harms: [] }))).toEqual(['Galop', 'CST', 'Tell MAMA', 'Revenge Porn Helpline', 'Disability threats', 'Stop Hate UK']);
    expect(labels(matchingSupportLinks(ALL, { characteristics: [], harms: ['threat'] }))).toEqual(['Galop', 'CST', 'Tell MAMA', 'Disability threats', 'Stop Hate UK']);
  });

  it('shows untagged links to every report', () => {
    expect(labels(matchingSupportLinks([STOP_HATE], { characteristics: ['race'], harms: ['doxxing'] }))).toEqual(['Stop Hate UK']);
  });
});

describe('taggedSupportLinks', () => {
  const discovery = {
    protocol: 'ohr/1',
    name: 'Hub',
    submitUrl: 'https://hub.example.org/api/v1/reports',
    evidenceUrl: 'https://hub.example.org/api/v1/evidence/{sha256}',
    statusUrl: 'https://hub.example.org/api/v1/reports/{reference}/status',
    categories: ['race'],
    acceptsAnonymous: true,
    limits: undefined,
    supportLinks: [
      { label: 'Galop', url: 'https://galop.org.uk/' },
      { label: 'Stop Hate UK', url: 'https://www.stophateuk.org/' },
    ],
    supportLinkTags: [{ url: 'https://galop.org.uk/', characteristics: ['sexual_orientation', 'transgender_identity'] }],
  };

  it('joins the tags to their links by URL, and the links stay readable to a schema without tags', () => {
    const links = taggedSupportLinks(discovery as unknown as Discovery);
    expect(links).toEqual([
      { label: 'Galop', url: 'https://galop.org.uk/', characteristics: ['sexual_orientation', 'transgender_identity'] },
      { label: 'Stop Hate UK', url: 'https://www.stophateuk.org/' },
    ]);
    // The links themselves carry only label and url, as clients before the tags expect of each link.
    expect(Discovery.shape.supportLinks.safeParse(discovery.supportLinks).success).toBe(true);
    expect(Discovery.shape.supportLinkTags.safeParse(discovery.supportLinkTags).success).toBe(true);
    expect(Discovery.shape.supportLinkTags.safeParse([{ url: 'https://galop.org.uk/', characteristics: ['nonsense'] }]).success).toBe(false);
  });
});
