/**
 * The widget's outbox (docs/design.md "Outbox rules"): a report is written to IndexedDB, with strict durability,
 * before the person is told it is saved, and stays there until the hub acknowledges it. Sending claims a record under a
 * lease in one short transaction, talks to the hub outside any transaction, and records the outcome in a second.
 * Retries back off exponentially with full jitter and honour Retry-After, by the rules the extension's outbox follows
 * too (`lib/protocol/retry`); a refusal stops and waits for the person.
 * The report id is the idempotency key, so a resend after a lost answer is never filed twice.
 */
import { backoffMs } from '@/lib/protocol/retry';
import type { Receipt, Report } from '@/lib/schema';
import type { Answers } from './answers';
import { deliver, type Problem, type Routes } from './hub';
import { uploadsOf, type WidgetItem } from './report';

export interface Entry {
  id: string;
  routes: Routes;
  report: Report;
  /** The form's answers and items (with the screenshots' bytes), so a refused report can be corrected after a reload. */
  answers: Answers;
  items: WidgetItem[];
  attempt: number;
  notBefore: number;
  leaseUntil: number;
  receipt?: Receipt;
  problem?: Problem;
}

const STRICT = { durability: 'strict' } as const;
/** Longer than any one delivery takes, so two tabs of the same site do not send one report at once. */
const LEASE_MS = 120_000;

const NAME = 'ohr-widget';

/**
 * Raw IndexedDB in a few lines instead of the `idb` package the extension uses: the widget counts every byte, and it
 * needs only get, getAll, put and delete on one store. Requests are awaited inside their transaction, which native
 * promises allow (their callbacks run before the transaction can commit).
 */
const done = <T>(request: IDBRequest<T> | IDBTransaction) =>
  new Promise<T>((resolve, reject) => {
    const settle = () => resolve((request as IDBRequest<T>).result);
    const fail = () => reject(request.error);
    // A request succeeds, a transaction completes (its `result` is undefined); handlers of the other kind never fire.
    Object.assign(request, { onsuccess: settle, oncomplete: settle, onerror: fail, onabort: fail });
  });

/** The outbox store for one transaction: IndexedDB's, or `memory`'s where the page may not store anything. */
interface Store {
  get(id: string): Promise<Entry | undefined>;
  getAll(): Promise<Entry[]>;
  put(entry: Entry): unknown;
  delete(id: string): unknown;
  /** Resolves when the changes are on disk. */
  committed(): Promise<unknown>;
}

/**
 * Where the page may not store anything (site data blocked, an opaque origin), entries are kept here instead: the form
 * still works and sends, but a report not yet sent is lost with the page, and the person is told so (`inMemory`).
 */
const memory = new Map<string, Entry>();
const memoryStore: Store = {
  get: async (id) => memory.get(id),
  getAll: async () => [...memory.values()],
  put: (entry) => memory.set(entry.id, entry),
  delete: (id) => memory.delete(id),
  committed: async () => undefined,
};

let opened: Promise<IDBDatabase | undefined> | undefined;
function database(): Promise<IDBDatabase | undefined> {
  // `open` itself throws on an opaque origin, which the executor turns into a rejection.
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('outbox', { keyPath: 'id' });
    done(request).then(resolve, reject);
  }).catch(() => undefined);
  return opened;
}

/** True when this page's reports can only be kept in memory. */
export const inMemory = async () => !(await database());

async function outbox(mode: IDBTransactionMode): Promise<Store> {
  const store = (await database())?.transaction('outbox', mode, STRICT).objectStore('outbox');
  if (!store) return memoryStore;
  return {
    get: (id) => done<Entry | undefined>(store.get(id)),
    getAll: () => done<Entry[]>(store.getAll()),
    put: (entry) => store.put(entry),
    delete: (id) => store.delete(id),
    committed: () => done(store.transaction),
  };
}

const all = async () => (await outbox('readonly')).getAll();

const listeners = new Set<() => void>();
export const onOutboxChange = (listener: () => void) => (listeners.add(listener), () => void listeners.delete(listener));
const changed = () => listeners.forEach((listener) => listener());

export async function entries(submitUrl: string): Promise<Entry[]> {
  return (await all()).filter((entry) => entry.routes.submitUrl === submitUrl);
}

/** One change in a readwrite transaction with strict durability, awaited until it is on disk. */
async function change(edit: (store: Store) => unknown): Promise<void> {
  const store = await outbox('readwrite');
  edit(store);
  await store.committed();
  changed();
}

export const save = (entry: Entry) => change((store) => store.put(entry));
export const remove = (id: string) => change((store) => store.delete(id));

/** Takes the entry if it is due and nobody else holds it; one short transaction. */
async function claim(id: string, now: number): Promise<Entry | undefined> {
  const store = await outbox('readwrite');
  const entry = await store.get(id);
  const due = entry && !entry.receipt && !entry.problem && entry.notBefore <= now && entry.leaseUntil <= now;
  if (due) store.put({ ...entry, leaseUntil: now + LEASE_MS });
  await store.committed();
  return due ? entry : undefined;
}

/** One wake-up per hub: the next time an entry waiting out its backoff is due. */
const timers = new Map<string, ReturnType<typeof setTimeout>>();

/** Sends every due entry for this hub, then sets a timer for the next one that is waiting out a backoff. */
export async function drain(submitUrl: string): Promise<void> {
  for (const waiting of await entries(submitUrl)) {
    const entry = await claim(waiting.id, Date.now());
    if (!entry) continue;
    const outcome = await deliver(entry.routes, entry.report, uploadsOf(entry.items));
    const settled = { ...entry, leaseUntil: 0 };
    // Sent: the screenshots' bytes are no longer needed. Refused: kept with the problem for the form. Otherwise: later.
    if ('receipt' in outcome) await save({ ...settled, ...outcome, items: [] });
    else if ('problem' in outcome) await save({ ...settled, ...outcome });
    else await save({ ...settled, attempt: entry.attempt + 1, notBefore: Date.now() + backoffMs(entry.attempt, outcome.retryAfterMs) });
  }
  const next = (await entries(submitUrl)).filter((entry) => !entry.receipt && !entry.problem).map((entry) => Math.max(entry.notBefore, entry.leaseUntil));
  clearTimeout(timers.get(submitUrl));
  if (next.length) timers.set(submitUrl, setTimeout(() => void drain(submitUrl), Math.max(0, Math.min(...next) - Date.now())));
}

/** Sends on whatever is waiting, for every hub; touches no storage on a site where the widget never saved a report. */
export async function resendWaiting(): Promise<void> {
  if (!(await indexedDB.databases?.())?.some((info) => info.name === NAME)) return;
  const waiting = (await all()).filter((entry) => !entry.receipt && !entry.problem);
  for (const submitUrl of new Set(waiting.map((entry) => entry.routes.submitUrl))) await drain(submitUrl);
}
