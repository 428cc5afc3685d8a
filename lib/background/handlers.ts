/**
 * What the background does for each request from an extension page. The entrypoint hands in the browser APIs,
 * so this runs under test against fakes and in the service worker against the real thing.
 */
import { capturePage, RestrictedPageError, TabNotShowingError, type CapturableTab } from '../capture/page';
import { DraftMissingError, type DraftStore } from '../drafts';
import { sendReport, type Fetch, type SendFailure } from '../protocol/client';
import { reportFromDraft, type ClientInfo } from '../report/from-draft';
import type { Settings } from '../settings';
import { BackgroundRequest, type CaptureResponse, type Problem, type SendResponse } from './messages';

export interface BackgroundDeps {
  getTab(tabId: number): Promise<CapturableTab>;
  captureVisibleTab(windowId: number): Promise<string>;
  drafts(): Promise<DraftStore>;
  settings(): Promise<Settings>;
  fetch: Fetch;
  client: ClientInfo;
  now(): Date;
  newId(): string;
}

export async function handleRequest(message: unknown, deps: BackgroundDeps): Promise<CaptureResponse | SendResponse> {
  const request = BackgroundRequest.safeParse(message);
  if (!request.success) return failed({ key: 'error.invalidMessage' });
  switch (request.data.type) {
    case 'capture-tab':
      return captureTab(request.data.tabId, deps);
    case 'send-draft':
      return sendDraft(request.data.draftId, request.data.summary, deps);
  }
}

async function captureTab(tabId: number, deps: BackgroundDeps): Promise<CaptureResponse> {
  try {
    const tab = await deps.getTab(tabId);
    const { item, artefacts } = await capturePage(tab, deps);
    const now = deps.now().toISOString();
    const id = deps.newId();
    const store = await deps.drafts();
    await store.create({ id, createdAt: now, updatedAt: now, items: [item], summary: '', status: 'draft' }, artefacts);
    return { ok: true, draftId: id };
  } catch (error) {
    if (error instanceof RestrictedPageError) return failed({ key: 'error.restrictedPage' });
    if (error instanceof TabNotShowingError) return failed({ key: 'error.tabNotShowing' });
    return failed({ key: 'error.captureFailed', values: { reason: reasonOf(error) } });
  }
}

async function sendDraft(draftId: string, summary: string, deps: BackgroundDeps): Promise<SendResponse> {
  const store = await deps.drafts();
  try {
    const draft = await store.update(draftId, (current) => ({ ...current, summary }));
    if (draft.status === 'sent' && draft.receipt) {
      const { endpoint, ...receipt } = draft.receipt;
      return { ok: true, receipt, endpoint };
    }
    const { endpoint } = await deps.settings();
    const result = await sendReport(endpoint, reportFromDraft(draft, deps.client), await store.artefactsFor(draft), deps.fetch);
    if (!result.ok) return failed(problemFrom(result.failure));
    await store.update(draftId, (current) => ({ ...current, status: 'sent', receipt: { ...result.receipt, endpoint } }));
    return { ok: true, receipt: result.receipt, endpoint };
  } catch (error) {
    if (error instanceof DraftMissingError) return failed({ key: 'error.draftMissing' });
    return failed({ key: 'error.sendFailed', values: { reason: reasonOf(error) } });
  }
}

function problemFrom(failure: SendFailure): Problem {
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
