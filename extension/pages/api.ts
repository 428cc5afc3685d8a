/**
 * The extension pages' one adapter to their host: the background (runtime messages), the drafts in IndexedDB (which
 * the pages and the background share), the settings in `storage.local`, and the browser's tabs and permissions.
 * Components depend on the interfaces (`ExtensionApi` for the popup, options and reports pages, `ReportFormApi` for
 * the report form), not on `browser`, so they render in tests against in-memory hosts.
 */
import type { WxtBrowser as Browser } from 'wxt/browser';
import type { ReportFormApi } from '@/components/report-form/api';
import { saveFile } from '@/components/report-form/EvidenceLocker';
import type { PackProgress } from '@/lib/evidence-pack/export';
import type { ReportDetails } from '@/lib/report/details';
import { answersAnonymous } from '@/lib/report/from-answers';
import type { Discovery, MonitoringAnswers, SatisfactionAnswer } from '@/lib/schema';
import { extensionClient } from '../client';
import { DraftStore, type ItemPreview } from '../drafts';
import { evidencePackFor } from '../evidence-pack/for-draft';
import { importEvidencePack, type ImportResult } from '../evidence-pack/import';
import { NEUTRAL_PAGE } from '@/lib/quick-exit';
import { lookUpService, type LookupResult } from '../lookup';
import { CaptureResponse, DoneResponse, EntriesResponse, type BackgroundRequest } from '../messages';
import { loadSettings, originPattern, updateSettings, type SaveResult, type Settings } from '../settings';

export { NEUTRAL_PAGE };

/** A report being built, as the popup shows it: each item with one picture (the post's crop, else the screenshot). */
export interface DraftPreview {
  id: string;
  createdAt: string;
  items: ItemPreview[];
  /** The answer to "Are you or someone else in danger right now?", when given. */
  immediateDanger?: boolean;
  /** Whether the report would be sent anonymously as it stands (it is, unless the person chose otherwise). */
  anonymous: boolean;
}

/** The page in the tab the popup was opened on, as far as the browser lets the extension see it. */
export interface CurrentPage {
  url?: string;
  title?: string;
  host?: string;
}

export interface ExtensionApi {
  /** Adds this tab's page to the report being built, or starts a new report when `newReport`. */
  captureActiveTab(newReport?: boolean): Promise<CaptureResponse>;
  /** The given draft, or the newest one not yet sent. */
  draftPreview(draftId?: string): Promise<DraftPreview | undefined>;
  /** The page the popup was opened on; undefined when there is none to see. */
  currentPage(): Promise<CurrentPage | undefined>;
  /** Merges answers into the draft (the popup's urgency question). */
  saveAnswers(draftId: string, change: ReportDetails): Promise<void>;
  sendDraft(draftId: string, summary: string, endpoints: string[]): Promise<DoneResponse>;
  listReports(): Promise<EntriesResponse>;
  checkStatus(reportId?: string): Promise<EntriesResponse>;
  retryNow(reportId: string): Promise<DoneResponse>;
  withdraw(reportId: string, endpoint: string): Promise<DoneResponse>;
  /** Keeps the answer to an organisation's question in the outbox, which sends it now or when back online. */
  answerQuestion(reportId: string, endpoint: string, questionId: string, text: string, addDraftId?: string): Promise<DoneResponse>;
  /** The satisfaction question about a closed report, sent at once. */
  answerSatisfaction(reportId: string, endpoint: string, answer: SatisfactionAnswer): Promise<DoneResponse>;
  /** The optional equality monitoring answers, to every organisation the report went to. */
  answerMonitoring(reportId: string, answers: MonitoringAnswers): Promise<DoneResponse>;
  deleteReport(reportId: string): Promise<DoneResponse>;
  /** Reads the organisation's discovery document from the address typed, or says in words what to check. */
  lookupEndpoint(url: string): Promise<LookupResult>;
  /** Tells the background the network is back (service workers do not reliably see `online` themselves). */
  networkIsBack(): Promise<DoneResponse>;
  loadSettings(): Promise<Settings>;
  /** Asks the browser for access to the endpoint's origin first: call it straight from a click. */
  addEndpoint(url: string, discovery: Discovery): Promise<SaveResult | { ok: false; permissionRefused: string }>;
  removeEndpoint(url: string): Promise<SaveResult>;
  selectEndpoint(url: string, selected: boolean): Promise<SaveResult>;
  setKeepNothing(on: boolean): Promise<SaveResult>;
  /** The report's evidence pack (ZIP) for the person to keep or hand over. */
  exportPack(draftId: string, onProgress: (progress: PackProgress) => void): Promise<{ bytes: Uint8Array<ArrayBuffer>; filename: string }>;
  /** Brings a pack back as a report on this computer, or says why it cannot. */
  importPack(bytes: Uint8Array): Promise<ImportResult>;
  openSettings(): void;
  openReports(): void;
  /** The full report form for a draft, in a tab: more room than the popup, and it survives the popup closing. */
  openReportForm(draftId: string): void;
  /**
   * Leaves at once: the page and its history entry are replaced with a neutral one. From the toolbar popup, the tab
   * it was opened on (the page being reported) is the one replaced, and the popup closes.
   */
  quickExit(): void;
}

/** Replaces this page and its history entry: Back does not return to it. */
function leavePage(): void {
  location.replace(NEUTRAL_PAGE);
}

/**
 * The popup's quick exit: the page on screen behind it is what someone walking in would see, so that tab is replaced
 * (in the page itself, so its history entry goes too; where no script may run there, by navigating the tab), and the
 * popup closes.
 */
async function leaveFromPopup(browser: Browser): Promise<void> {
  const tabId = await targetTabId(browser).catch(() => undefined);
  if (tabId !== undefined) {
    try {
      await browser.scripting.executeScript({ target: { tabId }, func: (url: string) => location.replace(url), args: [NEUTRAL_PAGE] });
    } catch {
      await browser.tabs.update(tabId, { url: NEUTRAL_PAGE }).catch(() => undefined);
    }
  }
  window.close();
}

/** What both adapters share: one drafts store per page, the settings area, the background, the client. */
function host(browser: Browser) {
  let opened: Promise<DraftStore> | undefined;
  const drafts = () => (opened ??= DraftStore.open());
  const request = (message: BackgroundRequest): Promise<unknown> => browser.runtime.sendMessage(message);
  return {
    drafts,
    request,
    area: browser.storage.local,
    client: extensionClient(browser),
    sendDraft: async (draftId: string, summary: string, endpoints: string[]) =>
      DoneResponse.parse(await request({ type: 'send-draft', draftId, summary, endpoints })),
    setKeepNothing: (on: boolean) => updateSettings(browser.storage.local, () => ({ keepNothingAfterSend: on })),
    importPack: async (bytes: Uint8Array) => importEvidencePack(await drafts(), bytes, new Date().toISOString()),
    openReports: () => void browser.tabs.create({ url: browser.runtime.getURL('/reports.html') }),
  };
}

/** `popup`: the toolbar popup, whose quick exit replaces the reported tab (see `leaveFromPopup`). */
export function extensionApi(browser: Browser, { popup = false }: { popup?: boolean } = {}): ExtensionApi {
  const { drafts, area, request, client, sendDraft, setKeepNothing, importPack, openReports } = host(browser);
  return {
    async captureActiveTab(newReport = false) {
      const tabId = await targetTabId(browser);
      if (tabId === undefined) return { ok: false, problem: { key: 'error.noTab' } };
      return CaptureResponse.parse(await request({ type: 'capture-tab', tabId, ...(newReport ? { newReport } : {}) }));
    },
    async draftPreview(draftId) {
      const store = await drafts();
      const draft = draftId ? await store.get(draftId) : await store.current();
      if (!draft) return undefined;
      const danger = draft.details?.urgency?.immediateDanger;
      return {
        id: draft.id,
        createdAt: draft.createdAt,
        items: await store.previews(draft),
        anonymous: answersAnonymous(draft.details?.reporter),
        ...(danger === undefined ? {} : { immediateDanger: danger }),
      };
    },
    async currentPage() {
      const tabId = await targetTabId(browser);
      if (tabId === undefined) return undefined;
      const tab = await browser.tabs.get(tabId).catch(() => undefined);
      if (!tab) return undefined;
      const host = tab.url && URL.canParse(tab.url) ? new URL(tab.url).host || undefined : undefined;
      return { ...(tab.url ? { url: tab.url } : {}), ...(tab.title ? { title: tab.title } : {}), ...(host ? { host } : {}) };
    },
    saveAnswers: async (draftId, change) => void (await (await drafts()).saveAnswers(draftId, change)),
    sendDraft,
    listReports: async () => EntriesResponse.parse(await request({ type: 'list-reports' })),
    checkStatus: async (reportId) =>
      EntriesResponse.parse(await request({ type: 'check-status', ...(reportId ? { reportId } : {}) })),
    retryNow: async (reportId) => DoneResponse.parse(await request({ type: 'retry-now', reportId })),
    withdraw: async (reportId, endpoint) => DoneResponse.parse(await request({ type: 'withdraw', reportId, endpoint })),
    answerQuestion: async (reportId, endpoint, questionId, text, addDraftId) =>
      DoneResponse.parse(await request({ type: 'answer-question', reportId, endpoint, questionId, text, ...(addDraftId ? { addDraftId } : {}) })),
    answerSatisfaction: async (reportId, endpoint, answer) =>
      DoneResponse.parse(await request({ type: 'answer-satisfaction', reportId, endpoint, answer })),
    answerMonitoring: async (reportId, answers) => DoneResponse.parse(await request({ type: 'answer-monitoring', reportId, answers })),
    deleteReport: async (reportId) => DoneResponse.parse(await request({ type: 'delete-report', reportId })),
    // In the page: the answer depends on what the page can see of the address (see extension/lookup.ts).
    lookupEndpoint: (url) => lookUpService(url, { fetch: (input, init) => fetch(input, init), timeoutMs: __OHR_REQUEST_TIMEOUT_MS__ }),
    networkIsBack: async () => DoneResponse.parse(await request({ type: 'kick-outbox' })),
    loadSettings: () => loadSettings(area),
    async addEndpoint(url, discovery) {
      const origin = originPattern(url);
      if (!(await browser.permissions.request({ origins: [origin] }))) return { ok: false, permissionRefused: origin };
      return updateSettings(area, (current) => ({
        endpoints: [
          ...current.endpoints.filter((endpoint) => endpoint.url !== url),
          { url, discovery, addedAt: new Date().toISOString(), selected: true },
        ],
      }));
    },
    removeEndpoint: (url) =>
      updateSettings(area, (current) => ({ endpoints: current.endpoints.filter((endpoint) => endpoint.url !== url) })),
    selectEndpoint: (url, selected) =>
      updateSettings(area, (current) => ({
        endpoints: current.endpoints.map((endpoint) => (endpoint.url === url ? { ...endpoint, selected } : endpoint)),
      })),
    exportPack: async (draftId, onProgress) => evidencePackFor(await drafts(), draftId, client, onProgress),
    importPack,
    setKeepNothing,
    openSettings: () => void browser.runtime.openOptionsPage(),
    openReports,
    openReportForm: (draftId) =>
      void browser.tabs.create({ url: browser.runtime.getURL(`/report.html?draft=${encodeURIComponent(draftId)}`) }),
    quickExit: () => (popup ? void leaveFromPopup(browser) : leavePage()),
  };
}

/**
 * The report form's host: answers go straight into the draft (the page and the background share the database), and
 * sending goes through the background, which freezes and queues the report.
 */
export function extensionFormApi(browser: Browser): ReportFormApi {
  const { drafts, area, request, client, sendDraft, setKeepNothing, importPack, openReports } = host(browser);
  return {
    async load(draftId) {
      const store = await drafts();
      const draft = await store.get(draftId);
      if (!draft || draft.status !== 'draft') return undefined;
      return { draft, items: await store.previews(draft) };
    },
    saveAnswers: async (draftId, details, summary) => void (await (await drafts()).saveAnswers(draftId, details, summary)),
    removeItem: async (draftId, index) => void (await (await drafts()).removeItem(draftId, index)),
    setHiddenAreas: async (draftId, screenshot, areas) => void (await (await drafts()).setHiddenAreas(draftId, screenshot, areas)),
    loadSettings: () => loadSettings(area),
    send: sendDraft,
    async deliveries(draftId) {
      const listed = EntriesResponse.parse(await request({ type: 'list-reports' }));
      return listed.ok ? listed.entries.find((entry) => entry.draft.id === draftId)?.deliveries : undefined;
    },
    async setKeepNothing(on) {
      await setKeepNothing(on);
    },
    async exportPack(draftId, onProgress) {
      const { bytes, filename } = await evidencePackFor(await drafts(), draftId, client, onProgress);
      saveFile(bytes, filename);
    },
    importPack,
    openDraft: (draftId) => location.assign(`?draft=${encodeURIComponent(draftId)}`),
    openReports,
    answerMonitoring: async (draftId, answers) => DoneResponse.parse(await request({ type: 'answer-monitoring', reportId: draftId, answers })),
    quickExit: leavePage,
  };
}

/**
 * The tab to capture: the one named by `?tab=` when the page was opened for a given tab (the end-to-end tests
 * open the popup in its own window this way, since no tool can click the toolbar), otherwise the active tab of
 * the window the toolbar popup belongs to.
 */
async function targetTabId(browser: Browser): Promise<number | undefined> {
  const named = Number(new URLSearchParams(location.search).get('tab') ?? Number.NaN);
  if (Number.isSafeInteger(named) && named >= 0) return named;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}
