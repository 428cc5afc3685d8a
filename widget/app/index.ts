/**
 * The report app (`/report` on the hub): the widget's form, full-page, installable on a phone's home screen, working
 * offline, and on Android a share target (`sw.ts`). The hub serves the page around it (its heading, the link to the
 * status page) and the manifest; this script draws the form into the page's `<ohr-report-form>`, in an open shadow root with
 * the widget's own stylesheet and its parts, as the widget's element draws itself (so a page's theme and the tests reach
 * both alike), and registers the service worker.
 */
import { h as element, render } from 'preact';
import { speak } from '../language';
import { resendWaiting } from '../outbox';
import { styles } from '../styles';
import { App, type Handover } from './App';
import { SHARE_READY, SYNC_TAG } from './protocol';

const host = document.querySelector<HTMLElement>('ohr-report-form')!;
const root = host.attachShadow({ mode: 'open' });
// The widget's stylesheet, and what a full-width phone screen needs besides: a file input as wide as its box, not as
// its "Choose Files No file chosen" (wider than a 375 px screen's item box).
const phone = new CSSStyleSheet();
phone.replaceSync('[type=file]{max-width:100%}');
root.adoptedStyleSheets = [styles(), phone];

/** The material another app shared, from the service worker that received it; null if it has none (it was restarted). */
function handover(): Promise<Handover | null> {
  const worker = navigator.serviceWorker?.controller;
  if (!worker) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.serviceWorker.addEventListener('message', ({ data }: MessageEvent<{ shared?: Handover | null }>) => {
      if (data && 'shared' in data) resolve(data.shared ?? null);
    });
    navigator.serviceWorker.startMessages();
    worker.postMessage(SHARE_READY);
  });
}

const shared = new URLSearchParams(location.search).has('shared');
// The address goes back to the app's own, so that a reload does not ask for the shared material again.
if (shared) history.replaceState(null, '', location.pathname);
const handedOver = shared ? handover() : undefined;
// The form in the phone's language where the hub has a pack for it (the widget's `speak`); the page around it is the
// hub's, in English.
host.dataset['lang'] ||= navigator.language;
void speak(host, location.origin).then(() => render(element('div', { class: 'w', part: 'container' }, element(App, { handover: handedOver })), root));

// Offline, this app still opens (the worker keeps its page, script and the hub's discovery); a report kept on the phone
// is sent when the phone is back online: by this page while it is open, and by Background Sync (where the browser has
// it) once it is closed. Without Background Sync it is sent the next time the app is opened.
void navigator.serviceWorker?.register(new URL('sw.js', document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : location.href), { scope: location.pathname });
const resend = () => void resendWaiting().catch(() => undefined);
addEventListener('online', resend);
// The worker sees only what is fetched once it controls the page: on the first visit it takes control after the
// language pack was fetched, so what came from the hub's /widget/ is fetched again through it, to be there offline.
navigator.serviceWorker?.addEventListener('controllerchange', () => {
  for (const { name } of performance.getEntriesByType('resource')) if (name.includes('/widget/')) void fetch(name).catch(() => undefined);
});
const syncLater = () =>
  void navigator.serviceWorker?.ready.then((registration) => (registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }).sync?.register(SYNC_TAG)).catch(() => undefined);
addEventListener('offline', syncLater);
addEventListener('pagehide', syncLater);
