import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Problem } from '@/extension/messages';
import type { Delivery } from '@/extension/db';
import type { Draft } from '@/extension/drafts';
import { t } from '@/lib/i18n';
import { mergeDetails, type ReportDetails } from '@/lib/report/details';
import type { ClientInfo } from '@/lib/report/from-answers';
import { applying } from '@/lib/report/steps';
import { errorsFor, reportErrors, type FieldErrors } from '@/lib/report/validate';
import type { HiddenArea } from '@/lib/schema';
import type { Endpoint, Settings } from '@/extension/settings';
import type { ReportFormApi } from './api';
import { destinationErrors } from './destinations';
import { ErrorSummary } from './ErrorSummary';
import { ExportPack, ImportPack } from './EvidenceLocker';
import { DeliveryList } from '../DeliveryList';
import { QuickExit } from '../QuickExit';
import { SupportLinks } from '../SupportLinks';
import { MonitoringQuestions } from '../SatisfactionQuestions';
import { ProblemMessage } from '../ProblemMessage';
import { SendPanel } from './SendPanel';
import { STEPS } from './steps';
import type { ItemPreview, StepDefinition } from './types';
import { useAutosave } from './useAutosave';

interface Loaded {
  draft: Draft;
  items: ItemPreview[];
  settings: Settings;
}

/**
 * The report form: one short step at a time, progress shown, answers saved as they are typed, the schema's errors
 * next to the fields they concern, focus moved to each new step's heading so screen readers announce it.
 */
export function ReportForm({ api, draftId, client }: { api: ReportFormApi; draftId: string; client: ClientInfo }) {
  const [loaded, setLoaded] = useState<Loaded | null>();
  useEffect(() => {
    void Promise.all([api.load(draftId), api.loadSettings()]).then(([found, settings]) =>
      setLoaded(found ? { ...found, settings } : null),
    );
  }, [api, draftId]);
  return (
    <main class="report-form">
      <QuickExit onExit={api.quickExit} />
      <h1>{t('form.title')}</h1>
      {loaded === undefined && <p role="status">{t('form.loading')}</p>}
      {loaded === null && (
        <>
          {draftId && <p role="alert">{t('form.missing')}</p>}
          <ImportPack importPack={api.importPack} opened={api.openDraft} />
        </>
      )}
      {loaded && <Steps api={api} client={client} loaded={loaded} />}
    </main>
  );
}

function Steps({ api, client, loaded }: { api: ReportFormApi; client: ClientInfo; loaded: Loaded }) {
  const id = loaded.draft.id;
  const [details, setDetails] = useState<ReportDetails>(loaded.draft.details ?? {});
  const [summary, setSummaryState] = useState(loaded.draft.summary);
  const [items, setItems] = useState(loaded.items);
  const [selected, setSelected] = useState(() => loaded.settings.endpoints.filter((endpoint) => endpoint.selected).map((e) => e.url));
  const [stepId, setStepId] = useState(() => (STEPS.some((step) => step.id === details.step) ? details.step! : STEPS[0]!.id));
  const [attempted, setAttempted] = useState<Set<string>>(new Set());
  /** After sending: each organisation's delivery as last seen, and whether every one has given a reference. */
  const [sent, setSent] = useState<{ deliveries: Delivery[]; received: boolean }>();
  const [monitoringProblem, setMonitoringProblem] = useState<Problem>();
  const [keepNothing, setKeepNothingState] = useState(loaded.settings.keepNothingAfterSend ?? false);
  const setKeepNothing = (on: boolean) => {
    setKeepNothingState(on);
    void api.setKeepNothing(on);
  };
  const latest = useRef({ details, summary });
  latest.current = { details, summary };
  const autosave = useAutosave(() => api.saveAnswers(id, latest.current.details, latest.current.summary));
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  const destinations: Endpoint[] = loaded.settings.endpoints.filter((endpoint) => selected.includes(endpoint.url));
  const visible = applying(STEPS, details);
  const index = Math.max(0, visible.findIndex((step) => step.id === stepId));
  const step = visible[index]!;
  const errors = useMemo<FieldErrors>(
    () => ({
      ...reportErrors({ ...loaded.draft, details, summary, items: items.map((preview) => preview.item) }, client, {
        tooLong: (over, max) => t('form.tooLong', { over, max }),
      }),
      ...destinationErrors(details, destinations),
    }),
    [details, summary, items, destinations.length],
  );
  const stepErrors = (candidate: StepDefinition) => errorsFor(errors, candidate.paths);
  const shown = attempted.has(step.id) ? stepErrors(step) : {};

  useEffect(() => {
    if (firstRender.current) firstRender.current = false;
    else heading.current?.focus();
  }, [stepId, sent !== undefined]);

  const change = (patch: ReportDetails) => {
    setDetails((current) => mergeDetails(current, patch));
    autosave.schedule();
  };
  const setSummary = (value: string) => {
    setSummaryState(value);
    autosave.schedule();
  };
  const goTo = (target: string) => {
    setDetails((current) => ({ ...current, step: target }));
    autosave.schedule();
    void autosave.flush();
    setStepId(target);
  };
  const next = () => {
    if (Object.keys(stepErrors(step)).length > 0) {
      setAttempted(new Set(attempted).add(step.id));
      return;
    }
    const following = visible[index + 1];
    if (following) goTo(following.id);
  };
  const removeItem = async (at: number) => {
    await api.removeItem(id, at);
    setItems((current) => current.filter((_item, position) => position !== at));
  };
  const setHiddenAreas = async (at: number, areas: HiddenArea[]) => {
    const hiding = items[at]?.hiding;
    if (!hiding || !api.setHiddenAreas) return;
    setItems((current) => current.map((preview, position) => (position === at && preview.hiding ? { ...preview, hiding: { ...preview.hiding, plan: { ...preview.hiding.plan, areas } } } : preview)));
    await api.setHiddenAreas(id, hiding.plan.screenshot, areas);
  };
  const send = async (): Promise<Problem | undefined> => {
    await autosave.flush();
    await api.saveAnswers(id, latest.current.details, latest.current.summary);
    const result = await api.send(id, summary.trim(), selected);
    if (!result.ok) return result.problem;
    setSent({ deliveries: [], received: false });
    return undefined;
  };

  // Each organisation's reference as it arrives. With "keep nothing" on, the report leaves this computer once every
  // organisation has it: what was last seen stays on the page.
  useEffect(() => {
    if (!sent || sent.received) return;
    let stopped = false;
    const refresh = async () => {
      const deliveries = await api.deliveries(id);
      if (stopped || !deliveries) return;
      const received = deliveries.length > 0 && deliveries.every((delivery) => delivery.status === 'sent');
      setSent({ deliveries, received });
    };
    void refresh();
    const timer = setInterval(refresh, 1_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [sent?.received, sent !== undefined]);

  if (sent) {
    return (
      <section aria-labelledby="step-heading" data-testid="done">
        <h2 id="step-heading" tabIndex={-1} ref={heading}>{t(sent.received ? 'done.received' : 'done.title')}</h2>
        <p>{t(sent.received ? 'done.receivedBody' : 'done.body')}</p>
        <div aria-live="polite">
          <DeliveryList deliveries={sent.deliveries} endpoints={loaded.settings.endpoints} />
        </div>
        {keepNothing && <p>{t('done.keepNothing')}</p>}
        <SupportLinks
          destinations={destinations}
          wantsSupport={details.reporter?.wantsSupport ?? false}
          report={{ characteristics: details.incident?.targetedCharacteristics ?? [], harms: details.incident?.harmTypes ?? [] }}
        />
        {/* Offered once every organisation has the report (the answers go with its status code); not with "keep nothing", which has let go of the codes. */}
        {sent.received && !keepNothing && api.answerMonitoring && (
          <MonitoringQuestions
            send={async (answers) => {
              const result = await api.answerMonitoring!(id, answers);
              if (!result.ok) setMonitoringProblem(result.problem);
              return result.ok;
            }}
          />
        )}
        {monitoringProblem && <ProblemMessage problem={monitoringProblem} />}
        <ExportPack exportPack={(onProgress) => api.exportPack(id, onProgress)} />
        <button type="button" onClick={api.openReports}>{t('done.openReports')}</button>
      </section>
    );
  }

  const StepComponent = step.Component;
  const isCheck = step.id === 'check';
  return (
    <section aria-labelledby="step-heading" data-step={step.id}>
      {/* Back above the question, where GOV.UK's back link is; Next, then Skip, below it. */}
      {index > 0 && (
        <button type="button" class="link back" onClick={() => goTo(visible[index - 1]!.id)}>
          {t('form.back')}
        </button>
      )}
      <p class="progress">
        <progress max={visible.length} value={index + 1} aria-hidden="true" />
        <span>{t('form.progress', { current: index + 1, total: visible.length })}</span>
      </p>
      <h2 id="step-heading" tabIndex={-1} ref={heading}>{t(step.title)}</h2>
      <ErrorSummary errors={isCheck ? errors : shown} />
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          next();
        }}
      >
        <StepComponent
          details={details}
          summary={summary}
          errors={isCheck ? errors : shown}
          change={change}
          setSummary={setSummary}
          destinations={destinations}
          items={items}
          removeItem={(at) => void removeItem(at)}
          {...(api.setHiddenAreas ? { setHiddenAreas: (at: number, areas: HiddenArea[]) => void setHiddenAreas(at, areas) } : {})}
          goTo={goTo}
        />
        {isCheck ? (
          <SendPanel endpoints={loaded.settings.endpoints} selected={selected} onSelect={setSelected} blocked={Object.keys(errors).length > 0} send={send}
            keepNothing={keepNothing} setKeepNothing={setKeepNothing} />
        ) : (
          <div class="actions">
            <button type="submit">{t('form.next')}</button>
            {step.optional && (
              <button type="button" class="secondary" onClick={() => goTo(visible[index + 1]!.id)}>
                {t('form.skip')}
              </button>
            )}
          </div>
        )}
      </form>
      <p class="hint saved">{t('form.saved')}</p>
    </section>
  );
}

