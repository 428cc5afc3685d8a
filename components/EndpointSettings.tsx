import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { DEFAULT_ENDPOINT } from '@/lib/settings';
import type { ExtensionApi } from '@/lib/pages/extension-api';

type Outcome = { saved: string } | { invalid: true } | undefined;

/** Options page: where reports are sent. A bad address is explained and the saved one is left as it was. */
export function EndpointSettings({ api }: { api: ExtensionApi }) {
  const [endpoint, setEndpoint] = useState('');
  const [outcome, setOutcome] = useState<Outcome>();

  useEffect(() => {
    void api.loadSettings().then((settings) => setEndpoint(settings.endpoint));
  }, [api]);

  async function save(event: Event) {
    event.preventDefault();
    const result = await api.saveSettings({ endpoint: endpoint.trim() });
    setOutcome(result.ok ? { saved: result.settings.endpoint } : { invalid: true });
  }

  const invalid = outcome !== undefined && 'invalid' in outcome;
  return (
    <main class="options">
      <h1>{t('options.heading')}</h1>
      <form onSubmit={save} noValidate>
        <label for="endpoint">{t('options.endpointLabel')}</label>
        <p id="endpoint-hint" class="hint">
          {t('options.endpointHint', { example: DEFAULT_ENDPOINT })}
        </p>
        <input
          id="endpoint"
          type="url"
          inputMode="url"
          autoComplete="url"
          value={endpoint}
          aria-invalid={invalid}
          aria-describedby={invalid ? 'endpoint-hint endpoint-error' : 'endpoint-hint'}
          onInput={(event) => setEndpoint(event.currentTarget.value)}
        />
        {invalid && (
          <p id="endpoint-error" class="problem" role="alert">
            {t('error.invalidEndpoint', { example: DEFAULT_ENDPOINT })}
          </p>
        )}
        <button type="submit">{t('options.save')}</button>
        {outcome && 'saved' in outcome && <p role="status">{t('options.saved', { endpoint: outcome.saved })}</p>}
      </form>
    </main>
  );
}
