import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDateTime, t } from '@/lib/i18n';
import { LIMITS } from '@/lib/schema';
import type { Problem } from '@/extension/messages';
import type { CurrentPage, DraftPreview, ExtensionApi } from '@/extension/pages/api';
import type { Endpoint } from '@/extension/settings';
import type { Delivery } from '@/extension/db';
import { CapturedItems } from './CapturedItems';
import { DeliveryList } from './DeliveryList';
import { ProblemMessage } from './ProblemMessage';
import { QuickExit } from './QuickExit';
import { YesNo } from './report-form/fields';
import { emergencyNumbersFor, UrgencyAdvice } from './UrgencyAdvice';

type How = 'resumed' | 'added' | 'started';

type Step =
  | { name: 'start' }
  | { name: 'capturing' }
  /** `how`: the report was already waiting when the popup opened, this page was added to it, or it was begun with it. */
  | { name: 'captured'; draft: DraftPreview; how: How }
  | { name: 'sending'; draft: DraftPreview; how: How }
  | { name: 'queued'; draftId: string };

/**
 * The toolbar popup: keep a copy of this page, say in a few words what happened, choose where it goes, send. A report
 * not yet sent (built from the context menu, the shortcut or here) opens straight away, so captures from several
 * pages go into one report; "Start a new report" leaves that one waiting and begins another. Which report it is (when
 * it was started, what it holds) and whether the page open now is in it are always said, so an older page is never
 * sent by mistake. The first urgency question is asked here too.
 */
export function ReportPagePopup({ api }: { api: ExtensionApi }) {
  const [step, setStep] = useState<Step>({ name: 'start' });
  const [problem, setProblem] = useState<Problem>();
  const [summary, setSummary] = useState('');
  /** Shown once the person tries to send: an empty "What happened?", or one over the limit, each in words. */
  const [summaryError, setSummaryError] = useState<string>();
  const summaryRef = useRef<HTMLTextAreaElement>(null);
  const over = summary.trim().length - LIMITS.summary;
  const [endpoints, setEndpoints] = useState<Endpoint[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [page, setPage] = useState<CurrentPage>();
  const [danger, setDanger] = useState<boolean>();
  const saving = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    void api.currentPage().then(setPage);
    void api.draftPreview().then((draft) => {
      if (!draft) return;
      setDanger(draft.immediateDanger);
      setStep((current) => (current.name === 'start' ? { name: 'captured', draft, how: 'resumed' } : current));
    });
    void api.loadSettings().then((settings) => {
      setEndpoints(settings.endpoints);
      setChosen(new Set(settings.endpoints.filter((endpoint) => endpoint.selected).map((endpoint) => endpoint.url)));
    });
  }, [api]);

  async function capture(newReport = false) {
    const before = step;
    setProblem(undefined);
    setStep({ name: 'capturing' });
    const result = await api.captureActiveTab(newReport);
    const draft = result.ok ? await api.draftPreview(result.draftId) : undefined;
    if (!result.ok || !draft) {
      if (!result.ok) setProblem(result.problem);
      setStep(before.name === 'captured' ? before : { name: 'start' });
      return;
    }
    const added = before.name === 'captured' && before.draft.id === draft.id;
    if (!added) setDanger(draft.immediateDanger);
    setStep({ name: 'captured', draft, how: added ? 'added' : 'started' });
  }

  function answerDanger(draftId: string, value: boolean) {
    setDanger(value);
    saving.current = api.saveAnswers(draftId, { urgency: { immediateDanger: value } });
  }

  async function send(event: Event) {
    event.preventDefault();
    if (step.name !== 'captured') return;
    setProblem(undefined);
    const wrong = summary.trim() === '' ? t('popup.summaryRequired') : over > 0 ? tooLong(over) : undefined;
    setSummaryError(wrong);
    if (wrong) {
      summaryRef.current?.focus();
      return;
    }
    setStep({ ...step, name: 'sending' });
    // The urgency answer is in the draft before the background freezes it into the report.
    await saving.current;
    const result = await api.sendDraft(step.draft.id, summary.trim(), [...chosen]);
    if (result.ok) {
      setStep({ name: 'queued', draftId: step.draft.id });
    } else {
      setProblem(result.problem);
      setStep({ ...step, name: 'captured' });
    }
  }

  /** Opens the form on its pictures, where the person sees what is hidden and may mark more. */
  async function checkHidden(draftId: string) {
    await api.saveAnswers(draftId, { step: 'items' });
    api.openReportForm(draftId);
  }

  function toggle(url: string, on: boolean) {
    const next = new Set(chosen);
    if (on) next.add(url);
    else next.delete(url);
    setChosen(next);
  }

  return (
    <main class="popup">
      <QuickExit onExit={api.quickExit} />
      <h1>{t('popup.heading')}</h1>
      {(step.name === 'start' || step.name === 'capturing') && (
        <>
          <p>{t('popup.intro')}</p>
          <button type="button" onClick={() => capture()} disabled={step.name === 'capturing'}>
            {step.name === 'capturing' ? t('popup.capturing') : t('popup.reportPage')}
          </button>
        </>
      )}
      {(step.name === 'captured' || step.name === 'sending') && (
        // The order keeps what matters on the first screen (Chromium's popup is at most 600 px high): which report and
        // which page, the danger question, "What happened?" and Send. The captured items, small and blurred, follow.
        <form onSubmit={send} noValidate>
          <section aria-labelledby="report-heading" class="which-report" data-testid="which-report">
            <h2 id="report-heading">{t('popup.reportStarted', { date: formatDateTime(step.draft.createdAt) })}</h2>
            <p role="status">{t(`popup.${step.how}`)}</p>
            {page && <PageNow page={page} draft={step.draft} />}
            {page && !pageInReport(page, step.draft) && <CaptureActions capture={capture} busy={step.name === 'sending'} />}
          </section>
          <YesNo
            path="urgency.immediateDanger"
            legend={t('urgency.immediateDanger')}
            value={danger}
            errors={{}}
            onChange={(value) => answerDanger(step.draft.id, value)}
          />
          {danger && (
            <UrgencyAdvice
              answers={{ immediateDanger: true }}
              numbers={emergencyNumbersFor(endpoints.filter((endpoint) => chosen.has(endpoint.url)))}
            />
          )}
          <div class="field">
            <label for="summary">{t('popup.summaryLabel')}</label>
            <p id="summary-hint" class="hint">
              {t('popup.summaryHint', { max: LIMITS.summary })}
            </p>
            {(summaryError || over > 0) && (
              <p id="summary-error" class="problem" aria-live="polite">
                {summaryError ?? tooLong(over)}
              </p>
            )}
            {/* No maxLength: the browser would cut a pasted account silently. Over the limit, it says by how much. */}
            <textarea
              id="summary"
              ref={summaryRef}
              rows={3}
              aria-required="true"
              aria-invalid={summaryError || over > 0 ? 'true' : undefined}
              aria-describedby={summaryError || over > 0 ? 'summary-hint summary-error' : 'summary-hint'}
              value={summary}
              onInput={(event) => {
                setSummary(event.currentTarget.value);
                if (summaryError && event.currentTarget.value.trim() !== '') setSummaryError(undefined);
              }}
            />
          </div>
          {endpoints.length === 0 ? (
            <>
              <p>{t('popup.noDestinations')}</p>
              <button type="button" onClick={() => api.openSettings()}>
                {t('popup.addOrganisation')}
              </button>
            </>
          ) : (
            <>
              <fieldset class="destinations">
                <legend>{t('popup.destinations')}</legend>
                {endpoints.map((endpoint) => (
                  <label key={endpoint.url} class="choice">
                    <input
                      type="checkbox"
                      checked={chosen.has(endpoint.url)}
                      onChange={(event) => toggle(endpoint.url, event.currentTarget.checked)}
                    />
                    {endpoint.discovery.name}
                  </label>
                ))}
              </fieldset>
              <div class="actions">
                <button type="submit" disabled={step.name === 'sending' || chosen.size === 0}>
                  {step.name === 'sending' ? t('popup.sending') : t('popup.send')}
                </button>
              </div>
            </>
          )}
          {/* With or without an organisation to send to: the details can be written now and the report sent later. */}
          <p class="more">
            <button type="button" class="link" onClick={() => api.openReportForm(step.draft.id)}>
              {t('popup.moreDetails')}
            </button>
          </p>
          <AccountHidden draft={step.draft} check={() => void checkHidden(step.draft.id)} />
          <CapturedItems draft={step.draft} />
          {(!page || pageInReport(page, step.draft)) && <CaptureActions capture={capture} busy={step.name === 'sending'} />}
        </form>
      )}
      {step.name === 'queued' && <QueuedReport api={api} draftId={step.draftId} endpoints={endpoints} />}
      {problem && <ProblemMessage problem={problem} />}
      <p class="links">
        <button type="button" class="link" onClick={() => api.openReports()}>
          {t('popup.openReports')}
        </button>
        <button type="button" class="link" onClick={() => api.openSettings()}>
          {t('popup.openSettings')}
        </button>
      </p>
    </main>
  );
}

/**
 * An anonymous report whose pictures showed the person's own account: said before sending, with a way to see the
 * pictures as they will be sent (blacked out where the account showed) and to mark anything else.
 */
function AccountHidden({ draft, check }: { draft: DraftPreview; check(): void }) {
  const pictures = draft.items.filter((preview) => (preview.hiding?.plan.areas.length ?? 0) > 0).length;
  if (!draft.anonymous || pictures === 0) return null;
  return (
    <div class="note" data-testid="account-hidden">
      <p>{t('popup.accountHidden')}</p>
      <button type="button" class="link" onClick={check}>{t('popup.checkHidden')}</button>
    </div>
  );
}

/**
 * Whether the page open now is in the report: said in words either way, so a person who opened the popup on a new
 * page does not send an older report believing it holds this one.
 */
function PageNow({ page, draft }: { page: CurrentPage; draft: DraftPreview }) {
  const inReport = pageInReport(page, draft);
  const name = page.title?.trim() ? `“${shorten(page.title.trim())}”` : page.host;
  if (!name) return null;
  return (
    <p class={inReport ? '' : 'note'} data-testid="page-now" data-in-report={inReport}>
      {t(inReport ? 'popup.pageInReport' : 'popup.pageNotInReport', { page: name })}
    </p>
  );
}

function pageInReport(page: CurrentPage, draft: DraftPreview): boolean {
  return page.url !== undefined && draft.items.some(({ item }) => sameAddress(item.url, page.url!));
}

/** Add the page open now to this report, or begin another with it: next to the page's name when it is not in the report. */
function CaptureActions({ capture, busy }: { capture(newReport?: boolean): void; busy: boolean }) {
  return (
    <p class="actions">
      <button type="button" class="secondary" onClick={() => capture()} disabled={busy}>
        {t('popup.addPage')}
      </button>
      <button type="button" class="secondary" onClick={() => capture(true)} disabled={busy}>
        {t('popup.newReport')}
      </button>
    </p>
  );
}

function sameAddress(a: string, b: string): boolean {
  return a.split('#')[0] === b.split('#')[0];
}

/** A page title can be a whole post: enough of it to recognise the page. */
function shorten(title: string): string {
  return title.length > 60 ? `${title.slice(0, 59).trimEnd()}…` : title;
}

/** After sending: each destination's progress, refreshed from the outbox while the popup is open. */
function QueuedReport({ api, draftId, endpoints }: { api: ExtensionApi; draftId: string; endpoints: Endpoint[] }) {
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  useEffect(() => {
    let stopped = false;
    async function refresh() {
      const listed = await api.listReports();
      if (stopped || !listed.ok) return;
      // With "keep nothing" on, the report leaves this computer once delivered: keep showing what was last seen.
      const entry = listed.entries.find((candidate) => candidate.draft.id === draftId);
      if (entry) setDeliveries(entry.deliveries);
    }
    void refresh();
    const timer = setInterval(refresh, 1_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, draftId]);
  return (
    <section aria-live="polite">
      <p>{t('popup.queued')}</p>
      <DeliveryList deliveries={deliveries} endpoints={endpoints} />
    </section>
  );
}

/** "This is 120 characters over the limit of 5000": how far over, never a silent cut. */
function tooLong(over: number): string {
  return t('form.tooLong', { over, max: LIMITS.summary });
}
