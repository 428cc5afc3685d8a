/**
 * The narrow interface extension pages use to reach the background, settings and the browser. Components depend on
 * `ExtensionApi`, not on `browser`, so they render in tests and can be reused with another adapter.
 */
import type { WxtBrowser as Browser } from 'wxt/browser';
import {
  CaptureResponse,
  DoneResponse,
  EntriesResponse,
  LookupResponse,
  type BackgroundRequest,
} from '../background/messages';
import { currentDraft } from '../background/collect';
import { DraftStore } from '../drafts';
import type { PackProgress } from '../evidence-pack/export';
import { evidencePackFor } from '../evidence-pack/for-draft';
import { importEvidencePack, type ImportResult } from '../evidence-pack/import';
import type { Discovery, Item } from '../schema';
import { loadSettings, originPattern, updateSettings, type SaveResult, type Settings } from '../settings';
import { openOhrDatabase, type OhrDatabase } from '../store/db';

/** A report being built, as the popup shows it: each item with one picture (the post's crop, else the screenshot). */
export interface DraftPreview {
  id: string;
  items: Array<{ item: Item; picture?: { image: Blob; kind: 'element' | 'screenshot' } }>;
}

export interface ExtensionApi {
  /** Adds this tab's page to the report being built, or starts a new report when `newReport`. */
  captureActiveTab(newReport?: boolean): Promise<CaptureResponse>;
  /** The given draft, or the newest one not yet sent. */
  draftPreview(draftId?: string): Promise<DraftPreview | undefined>;
  sendDraft(draftId: string, summary: string, endpoints: string[]): Promise<DoneResponse>;
  listReports(): Promise<EntriesResponse>;
  checkStatus(reportId?: string): Promise<EntriesResponse>;
  retryNow(reportId: string): Promise<DoneResponse>;
  withdraw(reportId: string, endpoint: string): Promise<DoneResponse>;
  deleteReport(reportId: string): Promise<DoneResponse>;
  lookupEndpoint(url: string): Promise<LookupResponse>;
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
}

export function extensionApi(browser: Browser): ExtensionApi {
  const request = (message: BackgroundRequest): Promise<unknown> => browser.runtime.sendMessage(message);
  let openedDrafts: Promise<DraftStore> | undefined;
  const drafts = () => (openedDrafts ??= DraftStore.open());
  const area = browser.storage.local;
  return {
    async captureActiveTab(newReport = false) {
      const tabId = await targetTabId(browser);
      if (tabId === undefined) return { ok: false, problem: { key: 'error.noTab' } };
      return CaptureResponse.parse(await request({ type: 'capture-tab', tabId, ...(newReport ? { newReport } : {}) }));
    },
    async draftPreview(draftId) {
      const db = await openOhrDatabase();
      try {
        const draft = draftId ? await db.get('drafts', draftId) : await currentDraft(db);
        if (!draft) return undefined;
        const items = await Promise.all(draft.items.map(async (item) => ({ item, ...(await pictureOf(db, item)) })));
        return { id: draft.id, items };
      } finally {
        db.close();
      }
    },
    sendDraft: async (draftId, summary, endpoints) => DoneResponse.parse(await request({ type: 'send-draft', draftId, summary, endpoints })),
    listReports: async () => EntriesResponse.parse(await request({ type: 'list-reports' })),
    checkStatus: async (reportId) =>
      EntriesResponse.parse(await request({ type: 'check-status', ...(reportId ? { reportId } : {}) })),
    retryNow: async (reportId) => DoneResponse.parse(await request({ type: 'retry-now', reportId })),
    withdraw: async (reportId, endpoint) => DoneResponse.parse(await request({ type: 'withdraw', reportId, endpoint })),
    deleteReport: async (reportId) => DoneResponse.parse(await request({ type: 'delete-report', reportId })),
    lookupEndpoint: async (url) => LookupResponse.parse(await request({ type: 'lookup-endpoint', url })),
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
    exportPack: async (draftId, onProgress) =>
      evidencePackFor(await drafts(), draftId, { app: 'ohr-extension', version: browser.runtime.getManifest().version }, onProgress),
    importPack: async (bytes) => importEvidencePack(await drafts(), bytes, new Date().toISOString()),
    setKeepNothing: (on) => updateSettings(area, () => ({ keepNothingAfterSend: on })),
    openSettings: () => void browser.runtime.openOptionsPage(),
    openReports: () => void browser.tabs.create({ url: browser.runtime.getURL('/reports.html') }),
    openReportForm: (draftId) =>
      void browser.tabs.create({ url: browser.runtime.getURL(`/report.html?draft=${encodeURIComponent(draftId)}`) }),
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

/** The picture to preview an item by: the post cut out of the screenshot when there is one, else the screenshot. */
async function pictureOf(db: OhrDatabase, item: Item): Promise<Pick<DraftPreview['items'][number], 'picture'>> {
  const chosen = item.evidence.find((evidence) => evidence.kind === 'element') ?? item.evidence.find((evidence) => evidence.kind === 'screenshot');
  const artefact = chosen && (await db.get('artefacts', chosen.sha256));
  if (!chosen || !artefact) return {};
  return { picture: { image: new Blob([artefact.bytes], { type: artefact.mediaType }), kind: chosen.kind === 'element' ? 'element' : 'screenshot' } };
}
