import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { LIMITS, type Receipt } from '@/lib/schema';
import type { Problem } from '@/lib/background/messages';
import type { ExtensionApi } from '@/lib/pages/extension-api';
import { BlurredScreenshot } from './BlurredScreenshot';
import { ProblemMessage } from './ProblemMessage';

type Step =
  | { name: 'start' }
  | { name: 'capturing' }
  | { name: 'captured'; draftId: string; screenshot?: Blob }
  | { name: 'sending'; draftId: string; screenshot?: Blob }
  | { name: 'sent'; receipt: Receipt; endpoint: string };

/** The toolbar popup: keep a copy of this page, say in a few words what happened, send it. */
export function ReportPagePopup({ api }: { api: ExtensionApi }) {
  const [step, setStep] = useState<Step>({ name: 'start' });
  const [problem, setProblem] = useState<Problem>();
  const [summary, setSummary] = useState('');

  async function capture() {
    setProblem(undefined);
    setStep({ name: 'capturing' });
    const result = await api.captureActiveTab();
    if (!result.ok) {
      setProblem(result.problem);
      setStep({ name: 'start' });
      return;
    }
    setStep({ name: 'captured', draftId: result.draftId, screenshot: await api.screenshotOf(result.draftId) });
  }

  async function send(event: Event) {
    event.preventDefault();
    if (step.name !== 'captured') return;
    setProblem(undefined);
    setStep({ ...step, name: 'sending' });
    const result = await api.sendDraft(step.draftId, summary.trim());
    if (result.ok) {
      setStep({ name: 'sent', receipt: result.receipt, endpoint: result.endpoint });
    } else {
      setProblem(result.problem);
      setStep({ ...step, name: 'captured' });
    }
  }

  return (
    <main class="popup">
      <h1>{t('popup.heading')}</h1>
      {step.name === 'start' || step.name === 'capturing' ? (
        <>
          <p>{t('popup.intro')}</p>
          <button type="button" onClick={capture} disabled={step.name === 'capturing'}>
            {step.name === 'capturing' ? t('popup.capturing') : t('popup.reportPage')}
          </button>
        </>
      ) : step.name === 'sent' ? (
        <section aria-labelledby="sent-heading" role="status">
          <h2 id="sent-heading">{t('popup.sentHeading')}</h2>
          <p>
            {t('popup.referenceLabel')} <strong data-testid="reference">{step.receipt.reference}</strong>
          </p>
          <p>{t('popup.referenceKeep', { endpoint: step.endpoint })}</p>
        </section>
      ) : (
        <form onSubmit={send} aria-describedby={problem ? 'send-problem' : undefined}>
          <p role="status">{t('popup.captured')}</p>
          {step.screenshot && <BlurredScreenshot image={step.screenshot} />}
          <label for="summary">{t('popup.summaryLabel')}</label>
          <textarea
            id="summary"
            required
            maxLength={LIMITS.summary}
            aria-describedby="summary-hint"
            value={summary}
            onInput={(event) => setSummary(event.currentTarget.value)}
          />
          <p id="summary-hint" class="hint">
            {t('popup.summaryHint', { max: LIMITS.summary })}
          </p>
          <button type="submit" disabled={step.name === 'sending'}>
            {step.name === 'sending' ? t('popup.sending') : t('popup.send')}
          </button>
        </form>
      )}
      {problem && <ProblemMessage problem={problem} id="send-problem" />}
      <p>
        <button type="button" class="link" onClick={() => api.openSettings()}>
          {t('popup.openSettings')}
        </button>
      </p>
    </main>
  );
}
