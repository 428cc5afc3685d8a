import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { Problem } from '@/extension/messages';
import type { ExtensionApi } from '@/extension/pages/api';
import type { Discovery } from '@/lib/schema';
import { EXAMPLE_ENDPOINT, type Endpoint } from '@/extension/settings';
import { ProblemMessage } from './ProblemMessage';
import { QuickExit } from './QuickExit';

type Notice = { kind: 'problem'; problem: Problem } | { kind: 'status'; text: string } | undefined;

/** Options page: the organisations reports can go to. A bad address is explained and nothing saved changes. */
export function EndpointSettings({ api }: { api: ExtensionApi }) {
  const [endpoints, setEndpoints] = useState<Endpoint[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const [keepNothing, setKeepNothing] = useState(false);

  useEffect(() => {
    void api.loadSettings().then((settings) => {
      setEndpoints(settings.endpoints);
      setKeepNothing(settings.keepNothingAfterSend ?? false);
    });
  }, [api]);

  async function apply(result: Awaited<ReturnType<ExtensionApi['removeEndpoint']>>, success?: string) {
    if (result.ok) {
      setEndpoints(result.settings.endpoints);
      if (success) setNotice({ kind: 'status', text: success });
    } else {
      setNotice({ kind: 'problem', problem: { key: 'error.settings', values: { message: result.message } } });
    }
  }

  async function test(endpoint: Endpoint) {
    setNotice(undefined);
    const result = await api.lookupEndpoint(endpoint.url);
    setNotice(
      result.ok
        ? { kind: 'status', text: t('options.testOk', { organisation: result.discovery.name }) }
        : { kind: 'problem', problem: result.problem },
    );
  }

  return (
    <main class="options">
      <QuickExit onExit={api.quickExit} />
      <h1>{t('options.heading')}</h1>
      <section aria-labelledby="organisations-heading">
        <h2 id="organisations-heading">{t('options.organisations')}</h2>
        {endpoints.length === 0 && <p>{t('options.none')}</p>}
        <ul class="endpoints">
          {endpoints.map((endpoint) => (
            <li key={endpoint.url} data-testid="endpoint">
              <DiscoverySummary url={endpoint.url} discovery={endpoint.discovery} />
              <label class="choice">
                <input
                  type="checkbox"
                  checked={endpoint.selected}
                  onChange={async (event) => apply(await api.selectEndpoint(endpoint.url, event.currentTarget.checked))}
                />
                {t('options.selected')}
              </label>
              <button type="button" class="secondary" onClick={() => test(endpoint)}>
                {t('options.test', { organisation: endpoint.discovery.name })}
              </button>
              <button type="button" class="secondary" onClick={async () => apply(await api.removeEndpoint(endpoint.url))}>
                {t('options.remove', { organisation: endpoint.discovery.name })}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="computer-heading">
        <h2 id="computer-heading">{t('options.thisComputer')}</h2>
        <label class="choice">
          <input
            type="checkbox"
            checked={keepNothing}
            aria-describedby="keep-nothing-hint"
            onChange={async (event) => {
              const result = await api.setKeepNothing(event.currentTarget.checked);
              if (result.ok) setKeepNothing(result.settings.keepNothingAfterSend ?? false);
              else setNotice({ kind: 'problem', problem: { key: 'error.settings', values: { message: result.message } } });
            }}
          />
          {t('settings.keepNothing')}
        </label>
        <p id="keep-nothing-hint" class="hint">
          {t('settings.keepNothingHint')}
        </p>
        {/* The policy ships in the extension (docs/privacy.md, rendered at build time by scripts/privacy-page.ts). */}
        <p>
          <a href="/privacy.html">{t('options.extensionPrivacy')}</a>
        </p>
      </section>
      <AddEndpoint api={api} onAdded={(result, name) => apply(result, t('options.added', { name }))} onStart={() => setNotice(undefined)} />
      <div aria-live="polite">
        {notice?.kind === 'status' && <p role="status">{notice.text}</p>}
        {notice?.kind === 'problem' && <ProblemMessage problem={notice.problem} />}
      </div>
    </main>
  );
}

/**
 * "Add an organisation": look the address up, show what the organisation says about itself, then add it. A look-up
 * that fails says what to check right under the field; the next look-up clears it, whatever it finds.
 */
export function AddEndpoint({ api, onAdded, onStart, heading = t('options.addHeading'), intro }: {
  api: ExtensionApi;
  onAdded: (result: Awaited<ReturnType<ExtensionApi['removeEndpoint']>>, name: string) => void;
  /** A new look-up begins: older messages on the page no longer apply. */
  onStart: () => void;
  /** The section's heading: "Add an organisation" in the settings, "Choose your first organisation" on the welcome page. */
  heading?: string;
  intro?: string;
}) {
  const [address, setAddress] = useState('');
  const [found, setFound] = useState<{ url: string; discovery: Discovery }>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  async function lookUp(event: Event) {
    event.preventDefault();
    setFound(undefined);
    setProblem(undefined);
    onStart();
    setBusy(true);
    const result = await api.lookupEndpoint(address);
    setBusy(false);
    // Show the address as it was looked up: completed with https:// when typed without it.
    if (result.ok) {
      setAddress(result.url);
      setFound({ url: result.url, discovery: result.discovery });
    } else {
      if (result.address) setAddress(result.address);
      setProblem(result.problem);
    }
  }

  async function add() {
    if (!found) return;
    const result = await api.addEndpoint(found.url, found.discovery);
    if ('permissionRefused' in result) {
      setProblem({ key: 'options.permissionRefused', values: { origin: result.permissionRefused } });
      return;
    }
    onAdded(result, found.discovery.name);
    if (result.ok) {
      setFound(undefined);
      setAddress('');
    }
  }

  return (
    <section aria-labelledby="add-heading">
      <h2 id="add-heading">{heading}</h2>
      {intro && <p>{intro}</p>}
      <form onSubmit={lookUp} noValidate>
        <label for="endpoint">{t('options.endpointLabel')}</label>
        <p id="endpoint-hint" class="hint">
          {t('options.endpointHint', { example: EXAMPLE_ENDPOINT })}
        </p>
        <input
          id="endpoint"
          type="url"
          inputMode="url"
          autoComplete="url"
          value={address}
          aria-invalid={problem !== undefined}
          aria-describedby={problem ? 'endpoint-hint endpoint-error' : 'endpoint-hint'}
          onInput={(event) => setAddress(event.currentTarget.value)}
        />
        {problem && <ProblemMessage problem={problem} id="endpoint-error" />}
        <button type="submit">
          {busy ? t('options.lookingUp') : t('options.lookUp')}
        </button>
      </form>
      {found && (
        <div class="found" data-testid="found">
          <h3>{t('options.found', { name: found.discovery.name })}</h3>
          <DiscoverySummary url={found.url} discovery={found.discovery} />
          <button type="button" onClick={add}>
            {t('options.add', { name: found.discovery.name })}
          </button>
        </div>
      )}
    </section>
  );
}

/** What an organisation says about itself, as text: its discovery document is data from outside. */
function DiscoverySummary({ url, discovery }: { url: string; discovery: Discovery }) {
  const categories = discovery.categories.map((category) => t(`category.${category}`)).join(', ');
  return (
    <div class="discovery">
      <p>
        <strong>{discovery.name}</strong> <span class="hint">{url}</span>
      </p>
      {discovery.description && <p>{discovery.description}</p>}
      <p>{t('options.categories', { categories })}</p>
      <p>{t('options.anonymous', { answer: t(discovery.acceptsAnonymous ? 'options.yes' : 'options.no') })}</p>
      {/* An organisation that publishes an encryption key gets the person's contact details sealed to it. */}
      {discovery.encryptionKey && <p data-testid="seals-contact">{t('options.sealed')}</p>}
      <p>
        {t('options.limits', {
          items: discovery.limits.maxItems,
          megabytes: Math.floor(discovery.limits.maxEvidenceBytes / 1_000_000),
        })}
      </p>
      {discovery.privacyPolicyUrl && (
        <p>
          <a href={discovery.privacyPolicyUrl} target="_blank" rel="noreferrer noopener">
            {t('options.privacy')}
          </a>
        </p>
      )}
    </div>
  );
}
