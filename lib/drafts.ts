/**
 * Local store of reports being written and their evidence bytes, in IndexedDB through idb.
 * Writes use strict durability: the UI says "saved" only after the data is on disk, because a person who
 * captured abuse must not lose it to a crash or a closed laptop.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Artefact } from './capture/page';
import type { Item, Receipt } from './schema';

export interface Draft {
  /** The report's id: also the idempotency key, so a resend can never create a second report. */
  id: string;
  createdAt: string;
  updatedAt: string;
  items: Item[];
  summary: string;
  status: 'draft' | 'sent';
  receipt?: Receipt & { endpoint: string };
}

interface OhrDB extends DBSchema {
  drafts: { key: string; value: Draft; indexes: { byCreatedAt: string } };
  artefacts: { key: string; value: Artefact };
}

export const DB_NAME = 'ohr';
const STRICT = { durability: 'strict' } as const;

export class DraftStore {
  private constructor(private readonly db: IDBPDatabase<OhrDB>) {}

  static async open(name = DB_NAME): Promise<DraftStore> {
    const db = await openDB<OhrDB>(name, 1, {
      upgrade(database) {
        database.createObjectStore('drafts', { keyPath: 'id' }).createIndex('byCreatedAt', 'createdAt');
        database.createObjectStore('artefacts', { keyPath: 'sha256' });
      },
    });
    return new DraftStore(db);
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

  async artefactsFor(draft: Draft): Promise<Artefact[]> {
    const hashes = new Set(draft.items.flatMap((item) => item.evidence.map((evidence) => evidence.sha256)));
    const found = await Promise.all([...hashes].map((sha256) => this.db.get('artefacts', sha256)));
    return found.filter((artefact): artefact is Artefact => artefact !== undefined);
  }

  close(): void {
    this.db.close();
  }
}

export class DraftMissingError extends Error {
  constructor(id: string) {
    super(`draft ${id} is not in the local store`);
  }
}
