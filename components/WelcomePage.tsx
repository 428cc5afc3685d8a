import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { Problem } from '@/extension/messages';
import type { ExtensionApi } from '@/extension/pages/api';
import { AddEndpoint } from './EndpointSettings';
import { ProblemMessage } from './ProblemMessage';
import { QuickExit } from './QuickExit';

/**
 * Opened once, when the extension is installed: what it does and what it keeps, in three sentences, and the first
 * organisation chosen there and then, rather than learning that none is set only when a report is ready to send.
 */
export function WelcomePage({ api }: { api: ExtensionApi }) {
  const [added, setAdded] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  return (
    <main class="welcome">
      <QuickExit onExit={api.quickExit} />
      <h1>{t('welcome.title')}</h1>
      <p>{t('welcome.does')}</p>
      <p>{t('welcome.keeps')}</p>
      <p>{t('welcome.choose')}</p>
      <AddEndpoint
        api={api}
        heading={t('welcome.chooseHeading')}
        onStart={() => {
          setAdded(undefined);
          setProblem(undefined);
        }}
        onAdded={(result, name) =>
          result.ok ? setAdded(name) : setProblem({ key: 'error.settings', values: { message: result.message } })
        }
      />
      <div aria-live="polite">
        {added && (
          <p role="status" class="note">
            {t('welcome.added', { name: added })}
          </p>
        )}
        {problem && <ProblemMessage problem={problem} />}
      </div>
      <p>{t('welcome.later')}</p>
      <button type="button" class="secondary" onClick={() => api.openSettings()}>
        {t('welcome.openSettings')}
      </button>
    </main>
  );
}
