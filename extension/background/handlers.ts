/**
 * What the background does: capture, queue, drive the outbox, and answer the extension pages. The entrypoint hands
 * in the browser APIs, so this runs under test against fakes and in the service worker against the real thing.
 */
import { fetchDiscovery, fetchStatus, sendAnswer, sendMonitoring, sendReport, sendSatisfaction, withdrawReport, type Fetch, type SendFailure } from '@/lib/protocol/client';
import type { Artefact } from '@/lib/report/artefact';
import { reportFromAnswers, type ClientInfo } from '@/lib/report/from-answers';
import { withEmailUpdates } from '@/lib/report/email-updates';
import { signedCopy } from '@/lib/report/sign';
import { FINGERPRINT_HARM } from '@/lib/pdq/choice';
import { withFingerprintsOnly, withoutFingerprints } from '@/lib/pdq/report';
import { hideInReport, type HidingPlan, type PaintKit } from '../capture/hiding';
import { browserCanvasKit } from '../capture/screenshot/pixels';
import type { Item, MonitoringAnswers, Report, SatisfactionAnswer } from '@/lib/schema';
import { capturePage, RestrictedPageError, TabNotShowingError, type CapturableTab } from '../capture/page';
import type { PageMetrics } from '../capture/screenshot/full-page';
import { captureFullPage } from '../capture/trigger/full-page';
import type { InPageRequest, InPageResult } from '../capture/trigger/in-page';
import type { ScriptTarget } from '../capture/trigger/inject';
import { captureTarget, type AnyCanvasKit } from '../capture/trigger/pipeline';
import type { Draft, OhrDatabase } from '../db';
import { collectCapture, currentDraft, DraftMissingError, DraftStore, keepArtefacts } from '../drafts';
import { forgetIfDelivered } from '../keep-nothing';
import { drain, drainAnswers, Outbox, type Claim, type OutboxConfig } from '../outbox';
import { normaliseEndpointUrl, type Settings } from '../settings';
import type { Trigger } from './menus';
import {
  BackgroundRequest,
  type CaptureResponse,
  type DoneResponse,
  type EntriesResponse,
  type LookupResponse,
  type Problem,
} from '../messages';

/** Retries due within this are also woken by a timer; later ones only by the alarm. */
const TIMER_HORIZON_MS = 60_000;

export interface BackgroundDeps {
  getTab(tabId: number): Promise<CapturableTab>;
  captureVisibleTab(windowId: number): Promise<string>;
  database(): Promise<OhrDatabase>;
  fetch: Fetch;
  /** Per request; see ClientOptions. */
  timeoutMs?: number;
  client: ClientInfo;
  now(): Date;
  newId(): string;
  /** Asks to be woken at `at` (epoch ms) to drive the outbox again; undefined when nothing waits. */
  scheduleWake(at: number | undefined): void;
  /** The person's settings, read after each drain for "keep nothing on this computer after a report is sent". */
  loadSettings?(): Promise<Settings>;
  outboxConfig?: OutboxConfig;
  random?: () => number;
  /** Reading posts in pages and cropping; without it a capture is the viewport screenshot only. */
  capture?: CaptureDeps;
  /**
   * The browser by family and major version (`browserName`), named in each signed capture manifest. Each copy of a
   * report is signed with a key made for it alone (`signedCopy`); there is no key kept for the install.
   */
  browser: string;
  /** Told after every capture and send how many items the report being built holds (0: none), for the badge. */
  showProgress?(itemCount: number): void;
}

export interface CaptureDeps {
  readPage(target: ScriptTarget, request: InPageRequest): Promise<InPageResult>;
  kit: AnyCanvasKit;
  /** Painting over areas of a picture, for an anonymous report's hidden areas (the browser's canvas when absent). */
  paint?: PaintKit;
  /** For "Report this whole page": the page's size and scroll position, and scrolling it. */
  pageMetrics(tabId: number): Promise<PageMetrics & { viewportWidth: number }>;
  scrollTo(tabId: number, y: number): Promise<number>;
  sleep(ms: number): Promise<void>;
}

export type BackgroundResponse = CaptureResponse | EntriesResponse | DoneResponse | LookupResponse;

export interface Background {
  handle(message: unknown): Promise<BackgroundResponse>;
  /** Drives the outbox until nothing is due. Safe to call from any event, as often as it fires. */
  kick(): Promise<void>;
  /** On every service-worker start: take back deliveries a dead worker held, then drive the outbox. */
  start(): Promise<void>;
  /** A context-menu click or the keyboard shortcut on tab `tabId`: capture and add to the report being built. */
  captureFrom(tabId: number, trigger: Trigger): Promise<CaptureResponse>;
}

export function createBackground(deps: BackgroundDeps): Background {
  let outbox: Promise<Outbox> | undefined;
  const getOutbox = () =>
    (outbox ??= deps.database().then((db) => new Outbox(db, { now: () => deps.now().getTime() }, deps.outboxConfig, deps.random)));
  const drafts = async () => new DraftStore(await deps.database());
  const clientOptions = { fetch: deps.fetch, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) };

  let running: Promise<void> | undefined;
  let again = false;
  /** One drain at a time; a kick during a drain makes it run once more, so nothing enqueued meanwhile is left waiting. */
  function kick(): Promise<void> {
    again = true;
    running ??= (async () => {
      try {
        const box = await getOutbox();
        while (again) {
          again = false;
          await drain(box, (claim: Claim) => sendReport(claim.delivery.endpoint, claim.report, claim.artefacts, clientOptions));
          await drainAnswers(box, (claim) => sendAnswer(claim.answer.endpoint, claim.receipt, claim.answer.questionId, claim.answer.answer, claim.artefacts, clientOptions));
        }
        await forgetDelivered(box);
        const next = await box.nextDueAt();
        deps.scheduleWake(next);
        wakeSoon(next);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  /** With "keep nothing" on, a report every organisation has acknowledged leaves this computer. */
  async function forgetDelivered(box: Outbox): Promise<void> {
    const settings = await deps.loadSettings?.();
    if (!settings?.keepNothingAfterSend) return;
    for (const entry of await box.entries()) {
      await forgetIfDelivered(
        { loadSettings: async () => settings, deliveriesOf: async () => entry.deliveries, deleteLocal: (id) => box.deleteLocal(id) },
        entry.draft.id,
      );
    }
  }

  /**
   * Alarms survive the worker but are coarse (Chrome may hold them back for 30 s or more); a timer is exact but dies
   * with the worker. A retry due soon gets both, so a short backoff stays short while the worker lives.
   */
  let timer: ReturnType<typeof setTimeout> | undefined;
  function wakeSoon(at: number | undefined): void {
    clearTimeout(timer);
    const delay = at === undefined ? Infinity : at - deps.now().getTime();
    if (delay < TIMER_HORIZON_MS) timer = setTimeout(() => kick().catch((error) => console.warn('OHR outbox:', error)), Math.max(0, delay));
  }

  async function handle(message: unknown): Promise<BackgroundResponse> {
    const request = BackgroundRequest.safeParse(message);
    if (!request.success) return failed({ key: 'error.invalidMessage' });
    const data = request.data;
    switch (data.type) {
      case 'capture-tab':
        return captureTab(data.tabId, data.newReport ?? false);
      case 'send-draft':
        return sendDraft(data.draftId, data.summary, data.endpoints);
      case 'list-reports':
        return listReports();
      case 'kick-outbox':
        void kick();
        return { ok: true };
      case 'retry-now':
        await (await getOutbox()).retryNow(data.reportId);
        void kick();
        return { ok: true };
      case 'check-status':
        return checkStatus(data.reportId);
      case 'withdraw':
        return withdraw(data.reportId, data.endpoint);
      case 'answer-question':
        return answerQuestion(data);
      case 'answer-satisfaction':
        return answerSatisfaction(data);
      case 'answer-monitoring':
        return answerMonitoring(data);
      case 'delete-report':
        await (await getOutbox()).deleteLocal(data.reportId);
        return { ok: true };
      case 'lookup-endpoint':
        return lookupEndpoint(data.url);
    }
  }

  /** The toolbar's "Report this page": the page as an item (read from the page where possible) and its screenshot. */
  function captureTab(tabId: number, newReport: boolean): Promise<CaptureResponse> {
    return captureFrom(tabId, { frameId: 0, hints: { kind: 'page' }, fullPage: false }, newReport);
  }

  async function captureFrom(tabId: number, trigger: Trigger, newReport = false): Promise<CaptureResponse> {
    try {
      const tab = await deps.getTab(tabId);
      const captured = await captureWith(tab, tabId, trigger);
      const collected = await collectCapture(await deps.database(), captured, {
        newReport,
        now: deps.now().toISOString(),
        newId: deps.newId,
      });
      deps.showProgress?.(collected.itemCount);
      return { ok: true, draftId: collected.draftId };
    } catch (error) {
      if (error instanceof RestrictedPageError) return failed({ key: 'error.restrictedPage' });
      if (error instanceof TabNotShowingError) return failed({ key: 'error.tabNotShowing' });
      return failed({ key: 'error.captureFailed', values: { reason: reasonOf(error) } });
    }
  }

  async function captureWith(tab: CapturableTab, tabId: number, trigger: Trigger): Promise<{ item: Item; artefacts: Artefact[]; hiding?: HidingPlan }> {
    const capture = deps.capture;
    if (!capture) return capturePage(tab, { captureVisibleTab: deps.captureVisibleTab, now: deps.now });
    const target = { tabId, frameId: trigger.frameId };
    const captured = await captureTarget(
      { tab, frameId: trigger.frameId, hints: trigger.hints },
      {
        readPage: (request) => capture.readPage(target, request),
        captureVisibleTab: () => deps.captureVisibleTab(tab.windowId),
        kit: capture.kit,
        now: deps.now,
        keep: async (artefacts) => keepArtefacts(await deps.database(), artefacts),
      },
    );
    if (!trigger.fullPage) return captured;
    const full = await captureFullPage({
      metrics: () => capture.pageMetrics(tabId),
      scrollTo: (y) => capture.scrollTo(tabId, y),
      captureVisibleTab: () => deps.captureVisibleTab(tab.windowId),
      sleep: capture.sleep,
      now: () => Date.now(),
      kit: capture.kit,
    });
    return {
      ...captured,
      item: { ...captured.item, evidence: [...captured.item.evidence, full.evidence] },
      artefacts: [...captured.artefacts, full.artefact],
    };
  }

  /**
   * Freezes the draft into a report, queues it for each endpoint, and tries to send it straight away. Each endpoint
   * gets its own copy — its own report id (so its own idempotency key) and its own signing key — and the person keeps
   * one more for evidence packs, under the draft's id, which no organisation receives: organisations that compare
   * what they received find in common only what the person wrote and captured. Copies are signed once, here; every
   * resend sends the stored bytes.
   */
  async function sendDraft(draftId: string, summary: string, endpoints: string[]): Promise<DoneResponse> {
    try {
      const store = await drafts();
      const current = await store.get(draftId);
      if (!current) throw new DraftMissingError(draftId);
      const draft = current.status === 'draft' ? await store.update(draftId, (saved) => ({ ...saved, summary })) : current;
      const report = await hiddenIfAnonymous(store, draft, withEmailUpdates(reportFromAnswers(draft, deps.client), draft.details?.reporter));
      const box = await getOutbox();
      const queued = new Set((await box.deliveriesOf(draftId)).map((delivery) => delivery.endpoint));
      // Each organisation that publishes a key gets the person's details sealed to it; the person's own copy is theirs.
      const known = (await deps.loadSettings?.())?.endpoints ?? [];
      const keyOf = (endpoint: string) => known.find((entry) => entry.url === endpoint)?.discovery.encryptionKey;
      // Intimate-image abuse: organisations get each picture's fingerprint, not the picture (unless the person unticked
      // it); one that takes no fingerprints gets neither. The person's own copy keeps the pictures.
      const blind = report.incident.harmTypes.includes(FINGERPRINT_HARM) && draft.details?.pictures !== 'upload'
        ? await withFingerprintsOnly(report, { read: async (sha256) => (await store.db.get('artefacts', sha256))?.bytes })
        : undefined;
      const copyFor = (endpoint: string) =>
        !blind ? report : known.find((entry) => entry.url === endpoint)?.discovery.perceptualHashes?.length ? blind : withoutFingerprints(blind);
      const copies = await Promise.all(
        [...new Set(endpoints)]
          .filter((endpoint) => !queued.has(endpoint))
          .map(async (endpoint) => ({ endpoint, report: await signedCopy(copyFor(endpoint), deps.newId(), deps.browser, keyOf(endpoint)) })),
      );
      await box.enqueue(draftId, await signedCopy(report, draftId, deps.browser), copies);
      deps.showProgress?.((await currentDraft(store.db))?.items.length ?? 0);
    } catch (error) {
      if (error instanceof DraftMissingError) return failed({ key: 'error.draftMissing' });
      return failed({ key: 'error.sendFailed', values: { reason: reasonOf(error) } });
    }
    void kick();
    return { ok: true };
  }

  /**
   * An anonymous report leaves with the person's own account hidden in its pictures (`hideInReport`); the new
   * pictures are stored, and recorded in the draft, before any copy is queued.
   */
  async function hiddenIfAnonymous(store: DraftStore, draft: Draft, report: Report): Promise<Report> {
    if (!report.reporter.anonymous || !draft.hiding?.length) return report;
    const hidden = await hideInReport(report, draft.hiding, {
      kit: deps.capture?.paint ?? browserCanvasKit(),
      read: async (sha256) => (await store.db.get('artefacts', sha256))?.bytes,
    });
    await store.keepHidden(draft.id, hidden.artefacts);
    return hidden.report;
  }

  async function listReports(): Promise<EntriesResponse> {
    return { ok: true, entries: await (await getOutbox()).entries() };
  }

  /**
   * Asks each endpoint that holds one of these reports for its status, a few at a time, and keeps what it says.
   * A report the organisation has closed will not change again and is not asked about.
   */
  async function checkStatus(reportId: string | undefined): Promise<EntriesResponse> {
    const box = await getOutbox();
    const open = (await box.entries())
      .filter((entry) => reportId === undefined || entry.draft.id === reportId)
      .flatMap((entry) => entry.deliveries)
      .filter((delivery) => delivery.status === 'sent' && delivery.receipt && delivery.remote?.status !== 'closed');
    const lane = async () => {
      for (let delivery = open.shift(); delivery; delivery = open.shift()) {
        const status = await fetchStatus(delivery.endpoint, delivery.receipt!, clientOptions);
        if (status.ok) await box.recordRemoteStatus(delivery, status.value);
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    return listReports();
  }

  async function withdraw(reportId: string, endpoint: string): Promise<DoneResponse> {
    const box = await getOutbox();
    const delivery = (await box.deliveriesOf(reportId)).find((candidate) => candidate.endpoint === endpoint);
    if (!delivery?.receipt) return failed({ key: 'error.notSent' });
    const result = await withdrawReport(endpoint, delivery.receipt, clientOptions);
    if (!result.ok) return failed(problemFrom(result.failure));
    await box.recordRemoteStatus(delivery, result.value);
    return { ok: true };
  }

  /** Keeps the answer in the outbox first (so it is never lost offline), then tries to send it. */
  async function answerQuestion(data: { reportId: string; endpoint: string; questionId: string; text: string; addDraftId?: string | undefined }): Promise<DoneResponse> {
    const box = await getOutbox();
    const delivery = (await box.deliveriesOf(data.reportId)).find((candidate) => candidate.endpoint === data.endpoint);
    if (!delivery?.receipt) return failed({ key: 'error.notSent' });
    const { addDraftId, ...answer } = data;
    try {
      await box.enqueueAnswer({ ...answer, ...(addDraftId ? { fromDraftId: addDraftId } : {}) }, deps.newId);
    } catch {
      return failed({ key: 'error.draftMissing' });
    }
    deps.showProgress?.((await currentDraft((await drafts()).db))?.items.length ?? 0);
    void kick();
    return { ok: true };
  }

  /**
   * Sends the satisfaction answer at once (it is asked on a page open now, about a report already closed); on success
   * the report is marked answered here, so the question is not asked again.
   */
  async function answerSatisfaction(data: { reportId: string; endpoint: string; answer: SatisfactionAnswer }): Promise<DoneResponse> {
    const box = await getOutbox();
    const delivery = (await box.deliveriesOf(data.reportId)).find((candidate) => candidate.endpoint === data.endpoint);
    if (!delivery?.receipt || !delivery.remote) return failed({ key: 'error.notSent' });
    const result = await sendSatisfaction(data.endpoint, delivery.receipt, data.answer, clientOptions);
    if (!result.ok) return failed(problemFrom(result.failure));
    const { checkedAt: _checkedAt, ...remote } = delivery.remote;
    await box.recordRemoteStatus(delivery, { ...remote, satisfaction: 'answered' });
    return { ok: true };
  }

  /** Sends the optional monitoring answers to every organisation that received the report (each keeps them apart). */
  async function answerMonitoring(data: { reportId: string; answers: MonitoringAnswers }): Promise<DoneResponse> {
    const box = await getOutbox();
    const sent = (await box.deliveriesOf(data.reportId)).filter((delivery) => delivery.status === 'sent' && delivery.receipt);
    if (sent.length === 0) return failed({ key: 'error.notSent' });
    for (const delivery of sent) {
      const result = await sendMonitoring(delivery.endpoint, delivery.receipt!, data.answers, clientOptions);
      if (!result.ok) return failed(problemFrom(result.failure));
    }
    return { ok: true };
  }

  async function lookupEndpoint(input: string): Promise<LookupResponse> {
    const url = normaliseEndpointUrl(input);
    if (!url) return failed({ key: 'error.invalidEndpoint' });
    const discovery = await fetchDiscovery(url, clientOptions);
    if (!discovery.ok) return failed(problemFrom(discovery.failure));
    return { ok: true, url, discovery: discovery.value };
  }

  async function start(): Promise<void> {
    await (await getOutbox()).reclaimOrphans();
    await kick();
  }

  return { handle, kick, start, captureFrom };
}

export function problemFrom(failure: SendFailure): Problem {
  if (failure.kind === 'network') return { key: 'error.network' };
  const details = failure.kind === 'rejected' ? failure.fields : undefined;
  return { key: 'error.server', values: { message: failure.message }, ...(details ? { details } : {}) };
}

function failed(problem: Problem): { ok: false; problem: Problem } {
  return { ok: false, problem };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
