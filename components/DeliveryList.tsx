import { t } from '@/lib/i18n';
import { STATUS_CODE_PATTERN } from '@/lib/status-code';
import type { Delivery } from '@/extension/db';
import type { Endpoint } from '@/extension/settings';

/**
 * Where a report is going, one block per organisation, in words, one thing per line: what happened, the reference,
 * what the organisation says now. Never the browser's own words ("Failed to fetch"): a failed try is described by
 * what it means for the person.
 */
export function DeliveryList({ deliveries, endpoints, actions }: {
  deliveries: Delivery[];
  endpoints: readonly Endpoint[];
  actions?: (delivery: Delivery, organisation: string) => preact.ComponentChildren;
}) {
  return (
    <ul class="deliveries">
      {deliveries.map((delivery) => {
        const organisation = organisationName(delivery.endpoint, endpoints);
        return (
          <li key={delivery.endpoint} data-testid="delivery" data-status={delivery.status}>
            <p class="organisation">
              <strong>{organisation}</strong>
            </p>
            <DeliveryState delivery={delivery} />
            {actions?.(delivery, organisation)}
          </li>
        );
      })}
    </ul>
  );
}

function DeliveryState({ delivery }: { delivery: Delivery }) {
  const { remote, receipt, lastError } = delivery;
  return (
    <>
      <p>{t(`delivery.${delivery.status}`)}</p>
      {receipt && (
        <p>
          {t('delivery.reference')} <span class="reference" data-testid="reference">{receipt.reference}</span>
        </p>
      )}
      {/* The grouped code only: an older long token is kept and used by the extension, but is no use to write down. */}
      {receipt && STATUS_CODE_PATTERN.test(receipt.statusToken) && (
        <p>
          {t('delivery.statusCode')} <code class="reference" dir="ltr" data-testid="status-code">{receipt.statusToken}</code>
        </p>
      )}
      {delivery.status === 'needs_attention' && lastError && (
        <div class="problem" role="alert">
          <p>{refusalWords(lastError)}</p>
          {lastError.fields && (
            <ul>
              {lastError.fields.map((field) => (
                <li key={field.path}>{t('error.fields', { field: field.path, message: field.message })}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {delivery.status === 'queued' && lastError && <p class="hint">{t(lastTryKey(lastError.status))}</p>}
      {remote && (
        <div class="remote" data-testid="remote-status">
          <p>
            {t('delivery.remoteStatus', { status: t(`status.${remote.status}`) })}
            {remote.outcome && ` ${t('delivery.outcome', { outcome: t(`outcome.${remote.outcome}`) })}`}
          </p>
          {remote.publicNote && <p>{t('delivery.note', { note: remote.publicNote })}</p>}
        </div>
      )}
    </>
  );
}

/** A try that will be repeated, by what it means: nothing reached (no status), busy, or trouble on their side. */
function lastTryKey(status: number | undefined) {
  if (status === undefined) return 'delivery.lastTry.network' as const;
  if (status === 429 || status === 503) return 'delivery.lastTry.busy' as const;
  return 'delivery.lastTry.failed' as const;
}

/**
 * A refusal: the organisation's own words when it sent some (its hub explains, with the fields to fix), plain words
 * when all there is is an HTTP status line.
 */
function refusalWords(lastError: NonNullable<Delivery['lastError']>): string {
  return /^HTTP \d{3}\b/.test(lastError.message) || lastError.message.trim() === '' ? t('delivery.refused') : lastError.message;
}

/** The organisation's own name when it is still configured; its address otherwise. */
export function organisationName(url: string, endpoints: readonly Endpoint[]): string {
  return endpoints.find((endpoint) => endpoint.url === url)?.discovery.name ?? url;
}
