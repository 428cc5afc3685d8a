import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, t } from '@/lib/i18n';
import type { Problem } from '@/extension/messages';
import type { OutboxEntry } from '@/extension/outbox';
import type { ExtensionApi } from '@/extension/pages/api';
import type { Endpoint } from '@/extension/settings';
import type { Delivery, QueuedAnswer } from '@/extension/db';
import type { QuestionView } from '@/lib/schema';
import { DeliveryList, organisationName } from './DeliveryList';
import { ExportPack, ImportPack, saveFile } from './report-form/EvidenceLocker';
import { ProblemMessage } from './ProblemMessage';
import { QuickExit } from './QuickExit';
import { SensitiveContent } from './SensitiveContent';
import { SatisfactionQuestion } from './SatisfactionQuestions';

/** Status checks back off while the page stays open: 15 s, 30 s, 1 min … up to 10 min. */
const FIRST_CHECK_MS = 15_000;
const LONGEST_CHECK_MS = 10 * 60_000;
const LOCAL_REFRESH_MS = 2_000;

/** Every report on this computer, where each one went, and what the person can do about it. */
export function ReportsPage({ api }: { api: ExtensionApi }) {
  const [entries, setEntries] = useState<OutboxEntry[]>();
  const [endpoints, setEndpoints] = useState<Endpoint[]>([]);
  const [problem, setProblem] = useState<Problem>();

  async function show(response: Awaited<ReturnType<ExtensionApi['listReports']>>) {
    if (response.ok) setEntries(response.entries);
    else setProblem(response.problem);
  }

  useEffect(() => {
    void api.loadSettings().then((settings) => setEndpoints(settings.endpoints));
    let stopped = false;
    let delay = FIRST_CHECK_MS;
    let statusTimer: ReturnType<typeof setTimeout>;
    const checkStatus = async () => {
      const response = await api.checkStatus();
      if (stopped) return;
      await show(response);
      delay = Math.min(delay * 2, LONGEST_CHECK_MS);
      statusTimer = setTimeout(checkStatus, delay);
    };
    void checkStatus();
    const localTimer = setInterval(async () => !stopped && show(await api.listReports()), LOCAL_REFRESH_MS);
    return () => {
      stopped = true;
      clearTimeout(statusTimer);
      clearInterval(localTimer);
    };
  }, [api]);

  async function act(action: Promise<{ ok: true } | { ok: false; problem: Problem }>) {
    const result = await action;
    setProblem(result.ok ? undefined : result.problem);
    await show(await api.listReports());
  }

  return (
    <main class="reports">
      <QuickExit onExit={api.quickExit} />
      <h1>{t('reports.heading')}</h1>
      <button type="button" class="secondary" onClick={async () => show(await api.checkStatus())}>
        {t('reports.refresh')}
      </button>
      {problem && <ProblemMessage problem={problem} />}
      <ImportPack importPack={(bytes) => api.importPack(bytes)} opened={async () => show(await api.listReports())} />
      {entries?.length === 0 && <p>{t('reports.empty')}</p>}
      <ol class="report-list">
        {entries?.map((entry) => (
          <ReportCard key={entry.draft.id} entry={entry} endpoints={endpoints} api={api} act={act} addable={addableDraft(entries)} />
        ))}
      </ol>
    </main>
  );
}

/** The newest unsent report with captures: what "add a capture" to an answer takes (made with "Report this page"). */
function addableDraft(entries: OutboxEntry[] | undefined): OutboxEntry['draft'] | undefined {
  return entries?.find((entry) => entry.draft.status === 'draft' && entry.draft.items.length > 0)?.draft;
}

function ReportCard({ entry, endpoints, api, act, addable }: {
  addable: OutboxEntry['draft'] | undefined;
  entry: OutboxEntry;
  endpoints: Endpoint[];
  api: ExtensionApi;
  act: (action: Promise<{ ok: true } | { ok: false; problem: Problem }>) => Promise<void>;
}) {
  const { draft, deliveries } = entry;
  const retryable = deliveries.some((delivery) => delivery.status === 'queued' || delivery.status === 'needs_attention');
  const unsent = deliveries.some((delivery) => delivery.status !== 'sent' && delivery.status !== 'withdrawn');
  const canWithdraw = (delivery: Delivery) =>
    delivery.status === 'sent' && delivery.remote?.status !== 'closed';
  const date = formatDateTime(draft.createdAt);
  const organisations = deliveries.map((delivery) => organisationName(delivery.endpoint, endpoints)).join(', ');
  // The title is neutral: when, and where it went. What the person wrote and captured is never a heading.
  const title =
    draft.status === 'draft'
      ? t('reports.titleDraft', { date })
      : organisations
        ? t('reports.titleSent', { date, organisations })
        : t('reports.title', { date });
  return (
    <li class="report" data-testid="report" data-report-id={draft.id}>
      <h2>{title}</h2>
      {draft.status === 'draft' ? (
        <>
          <p>{t('reports.draft')}</p>
          <button type="button" onClick={() => api.openReportForm(draft.id)}>
            {t('reports.continue')}
          </button>
        </>
      ) : (
        <DeliveryList
          deliveries={deliveries}
          endpoints={endpoints}
          actions={(delivery, organisation) => (
            <>
              {(delivery.remote?.questions ?? []).map((question) => (
                <Question
                  key={question.id}
                  question={question}
                  organisation={organisation}
                  local={entry.answers?.find((answer) => answer.questionId === question.id && answer.endpoint === delivery.endpoint)}
                  addable={addable}
                  send={(text, addDraftId) => act(api.answerQuestion(draft.id, delivery.endpoint, question.id, text, addDraftId))}
                />
              ))}
              {delivery.remote?.satisfaction && (
                <SatisfactionQuestion
                  id={`satisfaction-${draft.id}-${deliveries.indexOf(delivery)}`}
                  state={delivery.remote.satisfaction}
                  send={(answer) => act(api.answerSatisfaction(draft.id, delivery.endpoint, answer))}
                />
              )}
              {canWithdraw(delivery) && (
                <Confirming
                  label={t('reports.withdraw', { organisation })}
                  question={t('reports.confirmWithdraw', { organisation })}
                  onConfirm={() => act(api.withdraw(draft.id, delivery.endpoint))}
                />
              )}
            </>
          )}
        />
      )}
      <SensitiveContent
        id={`content-${draft.id}`}
        warning={t('reports.contentWarning')}
        show={t('reports.showContent')}
        hide={t('reports.hideContent')}
      >
        {() => (
          <>
            <h3>{t('reports.yourWords')}</h3>
            <p class="captured-text">{draft.summary.trim() || t('reports.noSummary')}</p>
            <h3>{t('reports.pages', { count: draft.items.length })}</h3>
            <ul class="captured-pages">
              {draft.items.map((item, index) => (
                <li key={index}>
                  {item.pageTitle && <p>{item.pageTitle}</p>}
                  <p class="url">{item.url}</p>
                  {item.text && <p class="captured-text">{item.text}</p>}
                </li>
              ))}
            </ul>
          </>
        )}
      </SensitiveContent>
      <ExportPack
        exportPack={async (onProgress) => {
          const { bytes, filename } = await api.exportPack(draft.id, onProgress);
          saveFile(bytes, filename);
        }}
      />
      <div class="actions">
        {retryable && (
          <button type="button" onClick={() => act(api.retryNow(draft.id))}>
            {t('reports.retryNow')}
          </button>
        )}
        <Confirming
          label={t('reports.delete')}
          question={t(draft.status === 'draft' ? 'reports.confirmDeleteDraft' : unsent ? 'reports.confirmDeleteUnsent' : 'reports.confirmDelete')}
          onConfirm={() => act(api.deleteReport(draft.id))}
        />
      </div>
    </li>
  );
}

/**
 * A question the organisation asked about this report: the answer given (sent, or kept on this computer until it can
 * be), or a form for one. The answer goes through the outbox, so an answer written offline is sent once back online.
 */
function Question({ question, organisation, local, send, addable }: {
  question: QuestionView;
  organisation: string;
  local: QueuedAnswer | undefined;
  send: (text: string, addDraftId?: string) => Promise<void>;
  /** An unsent report whose captures the person may add to the answer. */
  addable: OutboxEntry['draft'] | undefined;
}) {
  const [text, setText] = useState('');
  const [adding, setAdding] = useState(false);
  const [empty, setEmpty] = useState(false);
  const id = `answer-${question.id}`;
  const given = question.answer?.text ?? local?.answer.text;
  return (
    <section class="question" data-testid="question" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('question.heading', { organisation })}</h3>
      <p class="question-text">{question.text}</p>
      {given !== undefined ? (
        <>
          <p>{t('question.yourAnswer')}</p>
          <p class="captured-text">{given}</p>
          {(question.answer?.items ?? local?.answer.items?.length ?? 0) > 0 && (
            <p>{t('question.itemsAdded', { count: question.answer?.items ?? local?.answer.items?.length ?? 0 })}</p>
          )}
          <p role="status" data-testid="answer-state">
            {question.answer || local?.status === 'sent'
              ? t('question.sent', { organisation })
              : local?.status === 'needs_attention'
                ? t('question.refused', { organisation, message: local.lastError?.message ?? '' })
                : t('question.waiting', { organisation })}
          </p>
        </>
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (!text.trim()) return setEmpty(true);
            setEmpty(false);
            void send(text, adding && addable ? addable.id : undefined);
          }}
        >
          <label for={id}>{t('question.answerLabel')}</label>
          <p class="hint" id={`${id}-hint`}>{t('question.answerHint', { organisation })}</p>
          {empty && (
            <p class="error" id={`${id}-error`}>
              {t('question.empty')}
            </p>
          )}
          <textarea
            id={id}
            rows={4}
            maxLength={5000}
            value={text}
            aria-describedby={empty ? `${id}-hint ${id}-error` : `${id}-hint`}
            aria-invalid={empty || undefined}
            onInput={(event) => setText(event.currentTarget.value)}
          />
          {addable ? (
            <label class="choice">
              <input type="checkbox" checked={adding} onChange={(event) => setAdding(event.currentTarget.checked)} />
              {t('question.addCaptures', { count: addable.items.length, date: formatDateTime(addable.createdAt) })}
            </label>
          ) : (
            <p class="hint">{t('question.addHint')}</p>
          )}
          <button type="submit">{t('question.send')}</button>
        </form>
      )}
    </section>
  );
}

/** A consequential action asks first, in the page rather than a browser dialog, so it reads and tabs like the rest. */
function Confirming({ label, question, onConfirm }: { label: string; question: string; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="secondary" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <div role="group" aria-label={label} class="confirm">
      <p>{question}</p>
      <button type="button" onClick={() => { setAsking(false); onConfirm(); }}>
        {t('reports.yes')}
      </button>
      <button type="button" class="secondary" autoFocus onClick={() => setAsking(false)}>
        {t('reports.no')}
      </button>
    </div>
  );
}
