/**
 * Reports being written, and their evidence bytes. A draft is editable until it is sent; then the outbox owns it.
 */
import type { Artefact } from './report/artefact';
import { evidenceHashes } from './schema';
import { mergeDetails, type ReportDetails } from './report/details';
import { openOhrDatabase, STRICT, type Draft, type OhrDatabase } from './store/db';

export type { Draft } from './store/db';

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

  async artefactsFor(draft: Pick<Draft, 'items'>): Promise<Artefact[]> {
    return artefactsFor(this.db, draft.items);
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
