/**
 * Several captures, one report: a new capture joins the newest report that has not been sent yet (the one the
 * person is building), unless they asked for a new one or it is full; otherwise it starts a new draft. Appending
 * reads and writes in one transaction, with the evidence bytes, so two quick captures cannot lose each other.
 */
import type { Artefact } from '../report/artefact';
import { LIMITS, type Item } from '../schema';
import { STRICT, type Draft, type OhrDatabase } from '../store/db';

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

export async function collectCapture(
  db: OhrDatabase,
  captured: { item: Item; artefacts: Artefact[] },
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
  const draft: Draft = joined
    ? { ...joined, items: [...joined.items, captured.item], updatedAt: options.now }
    : { id: options.newId(), createdAt: options.now, updatedAt: options.now, items: [captured.item], summary: '', status: 'draft' };
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
