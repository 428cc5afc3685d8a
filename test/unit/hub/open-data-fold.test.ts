/** Empty months folded on the open data page (hub/console/open-data/fold.ts): pure, no database. */
import { describe, expect, it } from 'vitest';
import { foldEmpty } from '../../../hub/console/open-data/fold';

const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08'];
/** Reports per month in MONTHS' order. */
const fold = (counts: number[]) => foldEmpty(MONTHS.slice(0, counts.length), (_, index) => counts[index] === 0);

describe('foldEmpty', () => {
  it('leaves out empty months before the first and after the last month with reports', () => {
    expect(fold([0, 0, 3, 1, 0, 0])).toEqual([
      { kind: 'row', row: '2026-03', index: 2 },
      { kind: 'row', row: '2026-04', index: 3 },
    ]);
  });

  it('folds each run of empty months between others into one gap, from its first month to its last', () => {
    expect(fold([2, 0, 0, 0, 5, 0, 1])).toEqual([
      { kind: 'row', row: '2026-01', index: 0 },
      { kind: 'gap', from: '2026-02', to: '2026-04' },
      { kind: 'row', row: '2026-05', index: 4 },
      { kind: 'gap', from: '2026-06', to: '2026-06' },
      { kind: 'row', row: '2026-07', index: 6 },
    ]);
  });

  it('keeps every month when none is empty, and shows nothing when all are', () => {
    expect(fold([1, 2, 3]).map((entry) => entry.kind)).toEqual(['row', 'row', 'row']);
    expect(fold([0, 0, 0])).toEqual([]);
    expect(fold([])).toEqual([]);
  });

  it('keeps a single month with reports', () => {
    expect(fold([0, 0, 4, 0])).toEqual([{ kind: 'row', row: '2026-03', index: 2 }]);
  });

  it('passes each row and its index to the test, so rows of any shape fold', () => {
    const rows = [{ n: 1 }, { n: 0 }, { n: 2 }];
    expect(foldEmpty(rows, (row) => row.n === 0)).toEqual([
      { kind: 'row', row: rows[0], index: 0 },
      { kind: 'gap', from: rows[1], to: rows[1] },
      { kind: 'row', row: rows[2], index: 2 },
    ]);
  });
});
