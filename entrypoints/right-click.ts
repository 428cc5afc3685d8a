/**
 * The tiny always-on listener: remembers the element under the last right-click, for the capture script injected
 * when the person picks "Report this post". Registered at run time (`scripting.registerContentScripts`) and only
 * injected where the extension has site access; without it, the capture script finds the element by itself.
 */
import { REMEMBERED_KEY } from '@/extension/capture/trigger/memory';

export default defineUnlistedScript(() => {
  addEventListener(
    'contextmenu',
    (event) => {
      const element = event.composedPath()[0];
      if (element instanceof Element) Reflect.set(globalThis, REMEMBERED_KEY, { element, at: Date.now() });
    },
    { capture: true, passive: true },
  );
});
