import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { DraftMissingError, DraftStore, type Draft } from '../../../extension/drafts';
import { sampleReport } from '../../fixtures/report';

const stores: DraftStore[] = [];
async function freshStore(): Promise<DraftStore> {
  const store = await DraftStore.open(`ohr-test-${crypto.randomUUID()}`);
  stores.push(store);
  return store;
}
afterEach(() => stores.splice(0).forEach((store) => store.close()));

function draft(id: string, createdAt: string, sha256: string): Draft {
  return { id, createdAt, updatedAt: createdAt, items: sampleReport({}, sha256).items, summary: '', status: 'draft' };
}

describe('DraftStore', () => {
  it('keeps a draft with its evidence bytes, newest first', async () => {
    const store = await freshStore();
    const bytes = new Uint8Array([1, 2, 3]);
    await store.create(draft('b', '2026-11-25T10:00:00.000Z', 'b'.repeat(64)), [{ sha256: 'b'.repeat(64), mediaType: 'image/png', bytes }]);
    await store.create(draft('c', '2026-11-25T11:00:00.000Z', 'c'.repeat(64)), []);
    expect((await store.list()).map((saved) => saved.id)).toEqual(['c', 'b']);
    const saved = await store.get('b');
    expect(await store.artefactsFor(saved!)).toEqual([{ sha256: 'b'.repeat(64), mediaType: 'image/png', bytes }]);
  });

  it('refuses a second draft with the same id and keeps the first', async () => {
    const store = await freshStore();
    await store.create({ ...draft('a', '2026-11-25T10:00:00.000Z', 'a'.repeat(64)), summary: 'first' }, []);
    await expect(store.create(draft('a', '2026-11-25T10:00:00.000Z', 'a'.repeat(64)), [])).rejects.toThrow();
    expect((await store.get('a'))?.summary).toBe('first');
  });

  it('updates in place and says when the draft is gone', async () => {
    const store = await freshStore();
    await store.create(draft('a', '2026-11-25T10:00:00.000Z', 'a'.repeat(64)), []);
    const updated = await store.update('a', (current) => ({ ...current, summary: 'changed', id: 'ignored' }));
    expect(updated.id).toBe('a');
    expect((await store.get('a'))?.summary).toBe('changed');
    await expect(store.update('missing', (current) => current)).rejects.toBeInstanceOf(DraftMissingError);
  });
});
