/**
 * The report app's service worker, scope `/report`:
 * - **Offline shell.** On install it keeps the page, its script and stylesheet, the manifest, the icons and the hub's
 *   discovery document (without which the form cannot be drawn). The page and the discovery are asked of the network
 *   first (so a change of the hub's name, limits or categories is seen at once) and taken from the cache when it
 *   cannot answer; the files of this build are taken from the cache, which is this build's own (`SHELL_VERSION`, a
 *   hash of them, is in this script, so a new build is a new worker and a new cache, and the old cache is deleted).
 *   What the widget's code fetches from `/widget/` (its language pack, the fingerprint module) is kept as fetched.
 * - **Share target.** Android POSTs what another app shared to `/report/share` (manifest `share_target`). The worker
 *   answers with a redirect to the app at once and keeps the material in memory only, never in a cache or database,
 *   until the page asks for it (`SHARE_READY`); the page then strips the pictures' metadata and shows them before
 *   anything is kept or sent. Nothing shared reaches the hub until the person sends the report.
 * - **Background Sync.** A report the person chose to keep on the phone (the widget's outbox, IndexedDB `ohr-widget`)
 *   is sent on when the phone is back online even if the app is closed; while the app is open and in view, the page
 *   sends it itself and shows the receipt. Still waiting after a try, the sync fails so that the browser tries again
 *   later; without Background Sync (Safari, Firefox) it is sent the next time the app is opened.
 */
import type { Discovery } from '@/lib/schema';
import { entries, resendWaiting } from '../outbox';
import type { Handover } from './App';
import { SHARE_READY, SYNC_TAG } from './protocol';

/** Set by the build: a hash of the files the cache holds. */
declare const SHELL_VERSION: string;

// The DOM's types are this project's; a worker's are declared here, as far as this worker uses them.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface MessageFromPage extends ExtendableEvent {
  data: unknown;
  source: { postMessage(message: unknown): void } | null;
}
interface WorkerScope {
  location: Location;
  clients: { claim(): Promise<void>; matchAll(options: { type: 'window' }): Promise<Array<{ visibilityState: DocumentVisibilityState }>> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: MessageFromPage) => void): void;
  addEventListener(type: 'sync', listener: (event: ExtendableEvent & { tag: string }) => void): void;
}
const scope = self as unknown as WorkerScope;

const at = (path: string) => new URL(path, scope.location.href).href;
const PAGE = at('../report');
const SHARE = at('share');
// Written out as `hub.ts` asks for it: `PATHS` would bring its module's zod schemas into the worker.
const DISCOVERY = at('/.well-known/ohr');
/** This build's files, served from the cache. */
const FILES = ['app.js', 'app.css', 'icon-192.png', 'icon-512.png', 'apple-touch-icon.png'].map(at);
/** Asked of the network first: the hub may change them at any time. */
const FRESH = [PAGE, at('manifest.webmanifest'), DISCOVERY];
/**
 * What the widget's code fetches from the hub's `/widget/` as it needs it: its language packs (`language.ts`) and
 * modules loaded on demand (`pdq.js`, the picture fingerprint). Kept as they are fetched, network first: the form in
 * Welsh offline too. The fingerprint module is asked for at install as well, as the form may first need it offline.
 */
const WIDGET_FILES = at('../widget/');
// seal.js too (sealing personal data, issue 23): without it a report with contact details cannot be kept offline;
// strip.js (a chosen picture's metadata removed): without it no picture can be added offline.
const ON_DEMAND = [at('../widget/pdq.js'), at('../widget/seal.js'), at('../widget/strip.js')];
const CACHE = `ohr-report-${SHELL_VERSION}`;

scope.addEventListener('install', (event) => {
  const keep = async (cache: Cache) => {
    await cache.addAll([...FILES, ...FRESH]);
    // A hub without them (an older build) still gets a working app.
    await Promise.all(ON_DEMAND.map((url) => cache.add(url).catch(() => undefined)));
  };
  event.waitUntil(caches.open(CACHE).then(keep).then(() => scope.skipWaiting()));
});

scope.addEventListener('activate', (event) => {
  const old = caches.keys().then((names) => Promise.all(names.filter((name) => name.startsWith('ohr-report-') && name !== CACHE).map((name) => caches.delete(name))));
  event.waitUntil(old.then(() => scope.clients.claim()));
});

scope.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  // The app's page under any query (`?shared`) is the one page.
  const key = url.origin + url.pathname === PAGE ? PAGE : url.href;
  if (request.method === 'POST' && key === SHARE) return receive(event);
  if (request.method !== 'GET') return;
  if (FILES.includes(key)) event.respondWith(caches.match(key).then((cached) => cached ?? fetch(request)));
  else if (FRESH.includes(key) || key.startsWith(WIDGET_FILES)) event.respondWith(networkFirst(request, key));
});

async function networkFirst(request: Request, key: string): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok) await (await caches.open(CACHE)).put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await caches.match(key);
    if (cached) return cached;
    throw error;
  }
}

/** A share received and not yet taken by a page: its material, read from the POST, and the end of its keeping. */
interface Share {
  material: Promise<Handover | null>;
  taken(): void;
}
const shares: Share[] = [];

function handover(form: FormData): Handover {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  return { title: field('title'), text: field('text'), url: field('url'), files: form.getAll('images').filter((file) => file instanceof File) };
}

/** A share: the app opens at once; the material waits here, in memory, for the page to ask. */
function receive(event: FetchEvent): void {
  event.respondWith(Response.redirect(`${PAGE}?shared`, 303));
  let taken = () => {};
  // The worker is kept alive until the page has it; the browser ends that after a few minutes, and then it is gone.
  event.waitUntil(new Promise<void>((resolve) => (taken = resolve)));
  shares.push({ material: event.request.formData().then(handover, () => null), taken });
}

scope.addEventListener('message', (event) => {
  if (event.data !== SHARE_READY || !event.source) return;
  const { source } = event;
  const share = shares.shift();
  // A worker started afresh (after the browser ended the one that received it) has nothing to give.
  if (!share) return source.postMessage({ shared: null });
  event.waitUntil(share.material.then((shared) => (source.postMessage({ shared }), share.taken())));
});

scope.addEventListener('sync', (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(sendWaiting());
});

/** How long a sync waits for a report's next try (its backoff) rather than fail and be tried again minutes later. */
const SYNC_PATIENCE_MS = 60_000;

/** Sends on the reports kept on the phone, unless the app is open in view (it sends them and shows the receipt). */
async function sendWaiting(): Promise<void> {
  const started = Date.now();
  for (;;) {
    if ((await scope.clients.matchAll({ type: 'window' })).some((client) => client.visibilityState === 'visible')) return;
    await resendWaiting();
    const discovery = (await (await caches.match(DISCOVERY))?.json()) as Discovery | undefined;
    const left = discovery ? (await entries(discovery.submitUrl)).filter((entry) => !entry.receipt && !entry.problem) : [];
    if (!left.length) return;
    // The next try is its backoff's (a report taken by another try in flight is looked at again a second later).
    const next = Math.max(Date.now() + 1_000, Math.min(...left.map((entry) => entry.notBefore)));
    // Failing the sync is how a worker asks the browser to try again later.
    if (next - started > SYNC_PATIENCE_MS) throw new Error(`${left.length} report(s) still waiting`);
    await new Promise((resolve) => setTimeout(resolve, next - Date.now()));
  }
}
