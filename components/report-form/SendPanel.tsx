import { useState } from 'preact/hooks';
import { ProblemMessage } from '@/components/ProblemMessage';
import type { Problem } from '@/extension/messages';
import { t } from '@/lib/i18n';
import type { Endpoint } from '@/extension/settings';
import { Checkbox } from './fields';

/** Where the report goes, and the send button, which stays usable so that pressing it can explain what is missing. */
export function SendPanel(props: {
  endpoints: readonly Endpoint[];
  selected: readonly string[];
  onSelect(selected: string[]): void;
  blocked: boolean;
  send(): Promise<Problem | undefined>;
  keepNothing: boolean;
  setKeepNothing(on: boolean): void;
}) {
  const { endpoints, selected, onSelect, blocked, send, keepNothing, setKeepNothing } = props;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | 'blocked' | 'noDestination'>();
  const submit = async () => {
    if (blocked) return setProblem('blocked');
    if (selected.length === 0) return setProblem('noDestination');
    setBusy(true);
    setProblem(await send());
    setBusy(false);
  };
  return (
    <div class="send">
      <fieldset id="destinations">
        <legend>{t('check.sendTo')}</legend>
        {endpoints.length === 0 && <p>{t('check.noDestinations')}</p>}
        {endpoints.map((endpoint) => (
          <Checkbox
            key={endpoint.url}
            id={`destination-${endpoint.url}`}
            label={endpoint.discovery.name}
            checked={selected.includes(endpoint.url)}
            onChange={(on) => onSelect(on ? [...selected, endpoint.url] : selected.filter((url) => url !== endpoint.url))}
          />
        ))}
      </fieldset>
      <Checkbox id="keep-nothing" label={t('settings.keepNothing')} checked={keepNothing} onChange={setKeepNothing} />
      <p class="hint">{t('settings.keepNothingHint')}</p>
      {problem === 'blocked' && <p role="alert" class="problem">{t('check.incomplete')}</p>}
      {problem === 'noDestination' && <p role="alert" class="problem">{t('check.chooseDestination')}</p>}
      {typeof problem === 'object' && <ProblemMessage problem={problem} />}
      <button type="button" onClick={() => void submit()} disabled={busy}>
        {busy ? t('check.sending') : t('check.send')}
      </button>
    </div>
  );
}
