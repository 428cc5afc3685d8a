/**
 * The background's side of reading a page: inject the capture script into the frame the person acted in (only
 * now, under the `activeTab` grant their click or shortcut gave) and call it. The script stays installed in the
 * frame's isolated world, so a second capture on the same page is one call, not two.
 */
import type { InPageRequest, InPageResult } from './in-page';
import { CAPTURE_KEY } from './memory';

export const CAPTURE_SCRIPT = '/capture-post.js';

export interface ScriptTarget {
  tabId: number;
  frameId: number;
}

/** The slice of `browser.scripting` used here. */
export interface ScriptingApi {
  executeScript(injection: {
    target: { tabId: number; frameIds: number[] };
    files?: string[];
    func?: (key: string, request: InPageRequest) => InPageResult | null;
    args?: [string, InPageRequest];
  }): Promise<Array<{ result?: unknown }>>;
}

/** Runs in the page (serialised by `executeScript`): it may use nothing from this module's scope. */
function callCapture(key: string, request: InPageRequest): InPageResult | null {
  const capture = Reflect.get(globalThis, key);
  return typeof capture === 'function' ? (capture as (request: InPageRequest) => InPageResult)(request) : null;
}

export async function readPageViaScripting(scripting: ScriptingApi, target: ScriptTarget, request: InPageRequest): Promise<InPageResult> {
  const frames = { tabId: target.tabId, frameIds: [target.frameId] };
  const call = async () => (await scripting.executeScript({ target: frames, func: callCapture, args: [CAPTURE_KEY, request] }))[0]?.result;
  let result = await call();
  if (result === null || result === undefined) {
    await scripting.executeScript({ target: frames, files: [CAPTURE_SCRIPT] });
    result = await call();
  }
  if (result === null || result === undefined || typeof result !== 'object') throw new Error('the capture script did not run in the page');
  return result as InPageResult;
}
