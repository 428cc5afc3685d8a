/**
 * Reports being written, and their evidence bytes: the one module that reads and writes the `drafts` and `artefacts`
 * stores. The background, the pages and the outbox all go through it (the outbox with its own transaction, so a
 * draft's change of state commits together with the outbox's records). A draft is editable until it is sent; then the
 * outbox owns it.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import type { Artefact } from '@/lib/report/artefact';
import { mergeDetails, type ReportDetails } from '@/lib/report/details';
import { evidenceHashes, LIMITS, type HiddenArea, type Item } from '@/lib/schema';
import { planFor, type HidingPlan } from './capture/hiding';
import { openOhrDatabase, STRICT, type Draft, type OhrDatabase, type OhrDB } from './db';

export type { Draft } from './db';

/** A captured item as the pages show it: the item, and the one picture to preview it by when one was captured. */
export interface ItemPreview {
  item: Item;
  picture?: { image: Blob; kind: 'element' | 'screenshot' };
  /** Where the person's own account shows in the item's screenshot (hidden if the report is anonymous), and that screenshot. */
  hiding?: { plan: HidingPlan; screenshot: Blob; size: { width: number; height: number } };
}

export class DraftStore {
  constructor(readonly db: OhrDatabase) {}

  static async open(name?: string): Promise<DraftStore> {
    return new DraftStore(await openOhrDatabase(name));
  }

  /** Saves a new draft and its evidence bytes together, so a draft never points at bytes that are not there. */
  async create(draft: Draft, artefacts: Artefact[]): Promise<void> {
    const tx = this.db.transaction(['drafts', 'artefacts'], 'readwrite', STRICT);
    await Promise.all([
      tx.objectStore('drafts').add(draft),
      ...artefacts.map((artefact) => tx.objectStore('artefacts').put(artefact)),
      tx.done,
    ]);
  }

  get(id: string): Promise<Draft | undefined> {
    return this.db.get('drafts', id);
  }

  /** Newest first. */
  async list(): Promise<Draft[]> {
    return (await this.db.getAllFromIndex('drafts', 'byCreatedAt')).reverse();
  }

  /** Read-modify-write in one transaction, so two pages editing the same draft cannot lose each other's change. */
  async update(id: string, change: (draft: Draft) => Draft): Promise<Draft> {
    const tx = this.db.transaction('drafts', 'readwrite', STRICT);
    const current = await tx.store.get(id);
    if (!current) throw new DraftMissingError(id);
    const next = { ...change(current), id, updatedAt: new Date().toISOString() };
    await Promise.all([tx.store.put(next), tx.done]);
    return next;
  }

  /**
   * Saves the form's answers (and the summary, when given) into a draft still being written. A draft already sent is
   * frozen: the change is ignored and the sent draft returned, so a late debounced save can never alter it.
   */
  async saveAnswers(id: string, change: ReportDetails, summary?: string): Promise<Draft> {
    return this.update(id, (draft) =>
      draft.status !== 'draft'
        ? draft
        : { ...draft, details: mergeDetails(draft.details, change), ...(summary === undefined ? {} : { summary }) },
    );
  }

  /** Takes one captured item out of a draft still being written; its bytes stay until the draft is deleted. */
  async removeItem(id: string, index: number): Promise<Draft> {
    return this.update(id, (draft) =>
      draft.status !== 'draft' ? draft : { ...draft, items: draft.items.filter((_item, at) => at !== index) },
    );
  }

  /**
   * Stores the pictures an anonymous report was sent with (its own account hidden) and notes them in the draft, in one
   * transaction, so deleting the draft deletes them too.
   */
  async keepHidden(id: string, artefacts: Artefact[]): Promise<void> {
    const tx = this.db.transaction(['drafts', 'artefacts'], 'readwrite', STRICT);
    const draft = await tx.objectStore('drafts').get(id);
    if (!draft) throw new DraftMissingError(id);
    const kept = [...new Set([...(draft.hiddenPictures ?? []), ...artefacts.map((artefact) => artefact.sha256)])];
    await Promise.all([
      ...artefacts.map((artefact) => tx.objectStore('artefacts').put(artefact)),
      tx.objectStore('drafts').put({ ...draft, hiddenPictures: kept }),
      tx.done,
    ]);
  }

  async artefactsFor(draft: Pick<Draft, 'items'>): Promise<Artefact[]> {
    return artefactsFor(this.db, draft.items);
  }

  /** The report being built: the newest draft not yet sent, if any. */
  current(): Promise<Draft | undefined> {
    return currentDraft(this.db);
  }

  /** The draft's items, each with its picture: the post cut out of the screenshot when there is one, else the screenshot. */
  async previews(draft: Pick<Draft, 'items' | 'hiding'>): Promise<ItemPreview[]> {
    return Promise.all(
      draft.items.map(async (item) => {
        const chosen = item.evidence.find((evidence) => evidence.kind === 'element') ?? item.evidence.find((evidence) => evidence.kind === 'screenshot');
        const artefact = chosen && (await this.db.get('artefacts', chosen.sha256));
        if (!chosen || !artefact) return { item };
        const kind = chosen.kind === 'element' ? 'element' : 'screenshot';
        const hiding = await this.hidingPreview(item, draft.hiding);
        return { item, picture: { image: new Blob([artefact.bytes], { type: artefact.mediaType }), kind }, ...(hiding ? { hiding } : {}) };
      }),
    );
  }

  private async hidingPreview(item: Item, plans: HidingPlan[] | undefined): Promise<ItemPreview['hiding']> {
    const plan = planFor(item, plans);
    const screenshot = plan && item.evidence.find((evidence) => evidence.sha256 === plan.screenshot);
    const artefact = screenshot && (await this.db.get('artefacts', screenshot.sha256));
    if (!plan || !screenshot?.width || !screenshot.height || !artefact) return undefined;
    return { plan, screenshot: new Blob([artefact.bytes], { type: artefact.mediaType }), size: { width: screenshot.width, height: screenshot.height } };
  }

  /** The areas to hide in one capture's pictures, as the person left them (theirs marked, found ones undone). */
  async setHiddenAreas(id: string, screenshot: string, areas: HiddenArea[]): Promise<Draft> {
    return this.update(id, (draft) =>
      draft.status !== 'draft'
        ? draft
        : { ...draft, hiding: (draft.hiding ?? []).map((plan) => (plan.screenshot === screenshot ? { ...plan, areas: areas.slice(0, LIMITS.hiddenAreas) } : plan)) },
    );
  }

  close(): void {
    this.db.close();
  }
}

export async function artefactsFor(db: OhrDatabase, items: Draft['items']): Promise<Artefact[]> {
  const found = await Promise.all(evidenceHashes({ items }).map((sha256) => db.get('artefacts', sha256)));
  return found.filter((artefact): artefact is Artefact => artefact !== undefined);
}

export class DraftMissingError extends Error {
  constructor(id: string) {
    super(`draft ${id} is not in the local store`);
  }
}

/** Where a capture went: the draft it joined or started, and how many items that draft now holds. */
export interface Collected {
  draftId: string;
  itemCount: number;
}

/** The newest draft not yet sent, if any. */
export async function currentDraft(db: OhrDatabase): Promise<Draft | undefined> {
  let cursor = await db.transaction('drafts').store.index('byCreatedAt').openCursor(null, 'prev');
  while (cursor) {
    if (cursor.value.status === 'draft') return cursor.value;
    cursor = await cursor.continue();
  }
  return undefined;
}

/**
 * Several captures, one report: a new capture joins the newest report that has not been sent yet (the one the
 * person is building), unless they asked for a new one or it is full; otherwise it starts a new draft. Appending
 * reads and writes in one transaction, with the evidence bytes, so two quick captures cannot lose each other.
 */
export async function collectCapture(
  db: OhrDatabase,
  captured: { item: Item; artefacts: Artefact[]; hiding?: HidingPlan },
  options: { newReport: boolean; now: string; newId(): string },
): Promise<Collected> {
  const tx = db.transaction(['drafts', 'artefacts'], 'readwrite', STRICT);
  const drafts = tx.objectStore('drafts');
  let joined: Draft | undefined;
  if (!options.newReport) {
    let cursor = await drafts.index('byCreatedAt').openCursor(null, 'prev');
    while (cursor && !joined) {
      if (cursor.value.status === 'draft') joined = cursor.value;
      else cursor = await cursor.continue();
    }
    if (joined && joined.items.length >= LIMITS.items) joined = undefined;
  }
  const fresh: Draft = joined
    ? { ...joined, items: [...joined.items, captured.item], updatedAt: options.now }
    : { id: options.newId(), createdAt: options.now, updatedAt: options.now, items: [captured.item], summary: '', status: 'draft' };
  const draft: Draft = captured.hiding ? { ...fresh, hiding: [...(fresh.hiding ?? []), captured.hiding] } : fresh;
  await Promise.all([
    drafts.put(draft),
    ...captured.artefacts.map((artefact) => tx.objectStore('artefacts').put(artefact)),
    tx.done,
  ]);
  return { draftId: draft.id, itemCount: draft.items.length };
}

/** Evidence bytes written ahead of the draft that will point at them (content-addressed: writing twice is harmless). */
export async function keepArtefacts(db: OhrDatabase, artefacts: Artefact[]): Promise<void> {
  const tx = db.transaction('artefacts', 'readwrite', STRICT);
  await Promise.all([...artefacts.map((artefact) => tx.store.put(artefact)), tx.done]);
}

/** A transaction the outbox opened over the drafts' stores (`DRAFT_STORES`) and its own. */
type Tx<Mode extends IDBTransactionMode> = IDBPTransaction<OhrDB, ArrayLike<StoreNames<OhrDB>>, Mode>;

/** The stores a draft lives in, for a transaction that changes a draft together with other records. */
export const DRAFT_STORES = ['drafts', 'artefacts'] as const;

/** Every draft, newest first, read within the caller's transaction. */
export async function draftsNewestFirst(tx: Tx<IDBTransactionMode>): Promise<Draft[]> {
  return (await tx.objectStore('drafts').index('byCreatedAt').getAll()).reverse();
}

/** Marks a draft sent (`queued`): from then on it is frozen, within the caller's transaction. */
export async function markQueued(tx: Tx<'readwrite'>, id: string, at: string): Promise<void> {
  const drafts = tx.objectStore('drafts');
  const draft = await drafts.get(id);
  if (draft) await drafts.put({ ...draft, status: 'queued', updatedAt: at });
}

/** Every hash a draft keeps bytes for: its items' evidence, and the pictures and snapshots made to hide its account. */
export function ownedHashes(draft: Draft): string[] {
  const hidden = (draft.hiding ?? []).flatMap((plan) => (plan.snapshot ? [plan.snapshot.hidden.sha256] : []));
  return [...evidenceHashes(draft), ...hidden, ...(draft.hiddenPictures ?? [])];
}

/** Deletes a draft and the evidence bytes no other draft uses, within the caller's transaction. */
export async function deleteDraft(tx: Tx<'readwrite'>, id: string): Promise<void> {
  const drafts = tx.objectStore('drafts');
  const draft = await drafts.get(id);
  const others = (await drafts.getAll()).filter((other) => other.id !== id);
  const stillUsed = new Set(others.flatMap(ownedHashes));
  for (const sha256 of draft ? ownedHashes(draft) : []) {
    if (!stillUsed.has(sha256)) await tx.objectStore('artefacts').delete(sha256);
  }
  await drafts.delete(id);
}
