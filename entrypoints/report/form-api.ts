/**
 * The report form's host in the extension: answers go straight into the draft in IndexedDB (the page and the
 * background share the database), and sending goes through the background, which freezes and queues the report.
 */
import type { WxtBrowser as Browser } from 'wxt/browser';
import type { ReportFormApi } from '@/components/report-form/api';
import type { ItemPreview } from '@/components/report-form/types';
import { DoneResponse } from '@/lib/background/messages';
import { saveFile } from '@/components/report-form/EvidenceLocker';
import { DraftStore } from '@/lib/drafts';
import { evidencePackFor } from '@/lib/evidence-pack/for-draft';
import { importEvidencePack } from '@/lib/evidence-pack/import';
import type { ClientInfo } from '@/lib/report/from-answers';
import type { Item } from '@/lib/schema';
import { loadSettings, updateSettings } from '@/lib/settings';
import type { OhrDatabase } from '@/lib/store/db';

/** Somewhere unremarkable to land on after a quick exit. */
export const NEUTRAL_PAGE = 'https://www.bbc.co.uk/weather';

export function extensionFormApi(browser: Browser, client: ClientInfo): ReportFormApi {
  let opened: Promise<DraftStore> | undefined;
  const store = () => (opened ??= DraftStore.open());
  return {
    async load(draftId) {
      const drafts = await store();
      const draft = await drafts.get(draftId);
      if (!draft || draft.status !== 'draft') return undefined;
      const items = await Promise.all(draft.items.map((item) => preview(drafts.db, item)));
      return { draft, items };
    },
    saveAnswers: async (draftId, details, summary) => void (await (await store()).saveAnswers(draftId, details, summary)),
    removeItem: async (draftId, index) => void (await (await store()).removeItem(draftId, index)),
    loadSettings: () => loadSettings(browser.storage.local),
    send: async (draftId, summary, endpoints) =>
      DoneResponse.parse(await browser.runtime.sendMessage({ type: 'send-draft', draftId, summary, endpoints })),
    async setKeepNothing(on) {
      await updateSettings(browser.storage.local, () => ({ keepNothingAfterSend: on }));
    },
    async exportPack(draftId, onProgress) {
      const { bytes, filename } = await evidencePackFor(await store(), draftId, client, onProgress);
      saveFile(bytes, filename);
    },
    importPack: async (bytes) => importEvidencePack(await store(), bytes, new Date().toISOString()),
    openDraft: (draftId) => location.assign(`?draft=${encodeURIComponent(draftId)}`),
    openReports: () => void browser.tabs.create({ url: browser.runtime.getURL('/reports.html') }),
    quickExit: () => location.replace(NEUTRAL_PAGE),
  };
}

/** The picture to preview an item by: the post cut out of the screenshot when there is one, else the screenshot. */
async function preview(db: OhrDatabase, item: Item): Promise<ItemPreview> {
  const chosen = item.evidence.find((evidence) => evidence.kind === 'element') ?? item.evidence.find((evidence) => evidence.kind === 'screenshot');
  const artefact = chosen && (await db.get('artefacts', chosen.sha256));
  if (!chosen || !artefact) return { item };
  const kind = chosen.kind === 'element' ? 'element' : 'screenshot';
  return { item, picture: { image: new Blob([artefact.bytes], { type: artefact.mediaType }), kind } };
}
