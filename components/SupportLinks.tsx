import { organisationName } from './DeliveryList';
import { t } from '@/lib/i18n';
import type { Endpoint } from '@/extension/settings';

/**
 * The support services each organisation lists in its discovery document (`supportLinks`), so that asking to hear
 * about support leads somewhere. Labels and addresses come from outside: shown as text, opened in a new tab.
 */
export function SupportLinks({ destinations, wantsSupport }: { destinations: readonly Endpoint[]; wantsSupport: boolean }) {
  const listing = destinations.filter((endpoint) => endpoint.discovery.supportLinks.length > 0);
  if (listing.length === 0) return null;
  return (
    <section aria-labelledby="support-heading" class="support" data-testid="support">
      <h3 id="support-heading">{t('support.heading')}</h3>
      <p>{t(wantsSupport ? 'support.asked' : 'support.intro')}</p>
      {listing.map((endpoint) => (
        <div key={endpoint.url}>
          <p>{t('support.from', { organisation: organisationName(endpoint.url, destinations) })}</p>
          <ul>
            {endpoint.discovery.supportLinks.map((link) => (
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
