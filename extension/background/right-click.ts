/**
 * The tiny right-click listener (entrypoints/right-click.ts) is registered at run time, never in the manifest: a
 * manifest content script on every site would ask for access to every site at install. It is registered only while
 * the extension holds access to all web pages (the end-to-end build; a person who chooses to grant it), and then
 * makes "Report this post" exact; without it the capture script finds the element itself (extension/capture/trigger/locate.ts).
 */
export const LISTENER_ID = 'ohr-right-click';
export const LISTENER_SCRIPT = '/right-click.js';
const WEB = ['http://*/*', 'https://*/*'];

export interface ListenerApis {
  permissions: { contains(permissions: { origins: string[] }): Promise<boolean> };
  scripting: {
    getRegisteredContentScripts(filter: { ids: string[] }): Promise<Array<{ id: string }>>;
    registerContentScripts(scripts: Array<{ id: string; js: string[]; matches: string[]; allFrames: boolean; runAt: 'document_start'; persistAcrossSessions: boolean }>): Promise<void>;
    unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
  };
}

/** Registers or unregisters the listener to match the access the extension has now. True when it is registered. */
export async function syncRightClickListener(apis: ListenerApis): Promise<boolean> {
  const wanted = await apis.permissions.contains({ origins: WEB });
  const registered = (await apis.scripting.getRegisteredContentScripts({ ids: [LISTENER_ID] })).length > 0;
  if (wanted && !registered) {
    await apis.scripting.registerContentScripts([
      { id: LISTENER_ID, js: [LISTENER_SCRIPT], matches: WEB, allFrames: true, runAt: 'document_start', persistAcrossSessions: true },
    ]);
  } else if (!wanted && registered) {
    await apis.scripting.unregisterContentScripts({ ids: [LISTENER_ID] });
  }
  return wanted;
}
