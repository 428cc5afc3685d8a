/**
 * Injected with `scripting.executeScript` only when the person acts (menu, shortcut, toolbar): it installs the
 * capture function that the background then calls in the same frame (see extension/capture/trigger/inject.ts).
 */
import { captureInPage, type InPageRequest } from '@/extension/capture/trigger/in-page';
import { CAPTURE_KEY, rememberedTarget } from '@/extension/capture/trigger/memory';

interface MenusGlobal {
  browser?: { menus?: { getTargetElement?: (id: number) => Element | null } };
}

export default defineUnlistedScript(() => {
  const menus = (globalThis as MenusGlobal).browser?.menus;
  Reflect.set(globalThis, CAPTURE_KEY, (request: InPageRequest) =>
    captureInPage(document, request, {
      ...(menus?.getTargetElement ? { menuTarget: (id: number) => menus.getTargetElement!(id) } : {}),
      remembered: rememberedTarget(globalThis),
      now: Date.now(),
    }),
  );
});
