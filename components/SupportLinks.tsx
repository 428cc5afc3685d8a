import { organisationName } from './DeliveryList';
import { t } from '@/lib/i18n';
import type { Endpoint } from '@/extension/settings';
import { matchingSupportLinks, taggedSupportLinks, type ReportFacts } from '@/lib/support-links';

/**
 * The support services each organisation lists in its discovery document (`supportLinks`), so that asking to hear
 * about support leads somewhere. Labels and addresses come from outside: shown as text, opened in a new tab. Only the
 * links that fit the report (lib/support-links.ts: its characteristics and harms; untagged links always) are listed.
 */
export function SupportLinks({ destinations, wantsSupport, report }: { destinations: readonly Endpoint[]; wantsSupport: boolean; report?: ReportFacts }) {
  const facts = report ?? { characteristics: [], harms: [] };
  const listing = destinations
    .map((endpoint) => ({ endpoint, links: matchingSupportLinks(taggedSupportLinks(endpoint.discovery), facts) }))
    .filter(({ links }) => links.length > 0);
  if (listing.length === 0) return null;
  return (
    <section aria-labelledby="support-heading" class="support" data-testid="support">
      <h3 id="support-heading">{t('support.heading')}</h3>
      <p>{t(wantsSupport ? 'support.asked' : 'support.intro')}</p>
      {listing.map(({ endpoint, links }) => (
        <div key={endpoint.url}>
          <p>{t('support.from', { organisation: organisationName(endpoint.url, destinations) })}</p>
          <ul>
            {links.map((link) => (
              <li key={link.url}>
                <a href={link.url} target="_blank" rel="noreferrer noopener">
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
