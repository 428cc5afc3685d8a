import { t } from '@/lib/i18n';
import type { Delivery } from '@/extension/db';
import type { Endpoint } from '@/extension/settings';

/** Where a report is going, one line per organisation, in words: what happened and what happens next. */
export function DeliveryList({ deliveries, endpoints, actions }: {
  deliveries: Delivery[];
  endpoints: Endpoint[];
  actions?: (delivery: Delivery, organisation: string) => preact.ComponentChildren;
}) {
  return (
    <ul class="deliveries">
      {deliveries.map((delivery) => {
        const organisation = organisationName(delivery.endpoint, endpoints);
        return (
          <li key={delivery.endpoint} data-testid="delivery" data-status={delivery.status}>
            <strong>{organisation}</strong>: <DeliveryState delivery={delivery} />
            {actions?.(delivery, organisation)}
          </li>
        );
      })}
    </ul>
  );
}

function DeliveryState({ delivery }: { delivery: Delivery }) {
  const remote = delivery.remote;
  return (
    <>
      {t(`delivery.${delivery.status}`)}{' '}
      {delivery.receipt && <span class="reference" data-testid="reference">{delivery.receipt.reference}</span>}
      {delivery.status === 'needs_attention' && delivery.lastError && (
        <span class="problem" role="alert">
          {' '}
          {delivery.lastError.message}
          {delivery.lastError.fields?.map((field) => ` ${t('error.fields', { field: field.path, message: field.message })}`)}
        </span>
      )}
      {delivery.status === 'queued' && delivery.lastError && (
        <span class="hint"> {t('delivery.lastTry', { message: delivery.lastError.message })}</span>
      )}
      {remote && (
        <span class="remote" data-testid="remote-status">
          {' '}
          {t('delivery.remoteStatus', { status: t(`status.${remote.status}`) })}
          {remote.outcome && ` ${t('delivery.outcome', { outcome: t(`outcome.${remote.outcome}`) })}`}
          {remote.publicNote && ` ${t('delivery.note', { note: remote.publicNote })}`}
        </span>
      )}
    </>
  );
}

/** The organisation's own name when it is still configured; its address otherwise. */
export function organisationName(url: string, endpoints: readonly Endpoint[]): string {
  return endpoints.find((endpoint) => endpoint.url === url)?.discovery.name ?? url;
}
