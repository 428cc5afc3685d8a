/**
 * The widget's outbox (docs/design.md "Outbox rules"), keeping as little as it can for as short a time as it can,
 * because whatever the widget stores on the host site can be read by every script that site runs and by anyone who
 * uses the same browser later (widget/README.md "What the widget keeps"):
 * - A report is sent straight from this page's memory; nothing is written to the site's storage, and its IndexedDB
 *   database is not even created.
 * - Only if it cannot be sent yet, and only if the person chooses to (`keep`), it is written to IndexedDB with strict
 *   durability, so that it is sent on when the page is opened again; where the browser lets the site keep nothing the
 *   person is told to keep the page open.
 * - Once the hub has it, the answers, contact details and screenshots are dropped at once: what is left is the receipt,
 *   shown once and then deleted (`Widget`).
 * Sending claims an entry under a lease in one short transaction, talks to the hub outside any transaction, and
 * records the outcome in a second. Retries back off exponentially with full jitter and honour Retry-After, by the rules
 * the extension's outbox follows too (`lib/protocol/retry`); a refusal stops and waits for the person.
 * The report id is the idempotency key, so a resend after a lost answer is never filed twice.
 */
import { backoffMs } from '@/lib/protocol/retry';
import type { Receipt, Report } from '@/lib/schema';
import type { Answers } from './answers';
import { deliver, type Problem, type Routes } from './hub';
import { buildReport, uploadsOf, type WidgetItem } from './report';

export interface Entry {
  id: string;
  routes: Routes;
  /** The report's time; the report itself is built from the answers and items for each attempt, always the same. */
  createdAt: string;
  /** The form's answers and items (with the screenshots' bytes), so a refused report can be corrected. Emptied once sent. */
  answers: Answers;
  items: WidgetItem[];
  attempt: number;
  notBefore: number;
  leaseUntil: number;
  receipt?: Receipt;
  problem?: Problem;
  /** The person chose to keep it in this browser (IndexedDB) until it is sent; otherwise it lives in this page only. */
  keep?: boolean;
  /** The report itself, as versions before issue 16 kept it (with every report in IndexedDB): sent as it was built. */
  report?: Report;
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

/** The store of one entry for one transaction: IndexedDB's, or this page's memory. */
interface Store {
  get(id: string): Promise<Entry | undefined>;
  getAll(): Promise<Entry[]>;
  put(entry: Entry): unknown;
  delete(id: string): unknown;
  /** Resolves when the changes are on disk. */
  committed(): Promise<unknown>;
}

/** The entries the person did not choose to keep: lost with the page, which the waiting note says. */
const memory = new Map<string, Entry>();
const memoryStore: Store = {
  get: async (id) => memory.get(id),
  getAll: async () => [...memory.values()],
  put: (entry) => memory.set(entry.id, entry),
  delete: (id) => memory.delete(id),
  committed: async () => undefined,
};

/** The entries moved to IndexedDB in this page: an attempt under way when the person chose to keep it lands there too. */
const kept = new Set<string>();

let opened: Promise<IDBDatabase | undefined> | undefined;
/**
 * The widget's database, opened only when it exists already or `create` asks for it (a person keeping a report):
 * a site where nobody kept a report has none. Undefined where the browser lets the page keep nothing (site data
 * blocked, an opaque origin, where `open` itself throws, which the executor turns into a rejection).
 */
async function database(create?: boolean): Promise<IDBDatabase | undefined> {
  if (!opened && !create && !(await indexedDB.databases?.().catch(() => undefined))?.some((info) => info.name === NAME)) return undefined;
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('outbox', { keyPath: 'id' });
    done(request).then(resolve, reject);
  }).catch(() => undefined);
  return opened;
}

/** Where an entry lives: IndexedDB if the person chose to keep it, this page's memory otherwise. */
async function storeFor(keep: boolean | undefined, mode: IDBTransactionMode): Promise<Store> {
  const store = keep && (await database(true))?.transaction('outbox', mode, STRICT).objectStore('outbox');
  if (!store) return memoryStore;
  return {
    get: (id) => done<Entry | undefined>(store.get(id)),
    getAll: () => done<Entry[]>(store.getAll()),
    put: (entry) => store.put(entry),
    delete: (id) => store.delete(id),
    committed: () => done(store.transaction),
  };
}

/** Every entry: this page's, and those kept in IndexedDB (all of them, with their time, if an older version wrote them). */
const all = async () => [
  ...memory.values(),
  ...((await database()) ? await (await storeFor(true, 'readonly')).getAll() : []).map((entry) => ({ ...entry, createdAt: entry.createdAt ?? entry.report!.createdAt, keep: true })),
];

const listeners = new Set<() => void>();
export const onOutboxChange = (listener: () => void) => (listeners.add(listener), () => void listeners.delete(listener));
const changed = () => listeners.forEach((listener) => listener());

export async function entries(submitUrl: string): Promise<Entry[]> {
  return (await all()).filter((entry) => entry.routes.submitUrl === submitUrl);
}

/** One change where the entry lives, in a readwrite transaction with strict durability, awaited until it is on disk. */
async function change(entry: Entry, edit: (store: Store) => unknown): Promise<void> {
  const store = await storeFor((entry.keep ||= kept.has(entry.id)), 'readwrite');
  edit(store);
  await store.committed();
  changed();
}

export const save = (entry: Entry) => change(entry, (store) => store.put(entry));
export const remove = (entry: Entry) => change(entry, (store) => store.delete(entry.id));

/** Moves a waiting entry from memory to IndexedDB, as the person chose; false where the browser lets the site keep nothing. */
export async function keep(entry: Entry): Promise<boolean> {
  if (!(await database(true))) return false;
  kept.add(entry.id);
  memory.delete(entry.id);
  await save(entry);
  return true;
}

/** Takes the entry if it is due and nobody else holds it; one short transaction. */
async function claim(waiting: Entry, now: number): Promise<Entry | undefined> {
  const store = await storeFor(waiting.keep, 'readwrite');
  const entry = await store.get(waiting.id);
  const due = entry && !entry.receipt && !entry.problem && entry.notBefore <= now && entry.leaseUntil <= now;
  if (due) store.put({ ...entry, leaseUntil: now + LEASE_MS });
  await store.committed();
  // With what `all` adds to an entry an older version kept (its time, where it lives).
  return due ? { ...waiting, ...entry } : undefined;
}

/** One wake-up per hub: the next time an entry waiting out its backoff is due. */
const timers = new Map<string, ReturnType<typeof setTimeout>>();

/** Sends every due entry for this hub, then sets a timer for the next one that is waiting out a backoff. */
export async function drain(submitUrl: string): Promise<void> {
  for (const waiting of await entries(submitUrl)) {
    const entry = await claim(waiting, Date.now());
    if (!entry) continue;
    const outcome = await deliver(entry.routes, entry.report ?? buildReport(entry.id, entry.answers, entry.items, entry.createdAt), uploadsOf(entry.items));
    const settled = { ...entry, leaseUntil: 0 };
    // Sent: only the receipt is kept, until it is shown. Refused: kept with the problem for the form. Otherwise: later.
    if ('receipt' in outcome) await save({ ...settled, ...outcome, answers: {}, items: [], report: undefined });
    else if ('problem' in outcome) await save({ ...settled, ...outcome });
    else await save({ ...settled, attempt: entry.attempt + 1, notBefore: Date.now() + backoffMs(entry.attempt, outcome.retryAfterMs) });
  }
  const next = (await entries(submitUrl)).filter((entry) => !entry.receipt && !entry.problem).map((entry) => Math.max(entry.notBefore, entry.leaseUntil));
  clearTimeout(timers.get(submitUrl));
  if (next.length) timers.set(submitUrl, setTimeout(() => void drain(submitUrl), Math.max(0, Math.min(...next) - Date.now())));
}

/** Sends on whatever was kept waiting, for every hub; touches no storage on a site where nobody kept a report. */
export async function resendWaiting(): Promise<void> {
  const waiting = (await all()).filter((entry) => !entry.receipt && !entry.problem);
  for (const submitUrl of new Set(waiting.map((entry) => entry.routes.submitUrl))) await drain(submitUrl);
}
