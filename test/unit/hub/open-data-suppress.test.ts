/**
 * Small-number suppression: primary ("fewer than 5") and secondary (withheld), checked the way someone trying to undo it
 * would: every published row and column is an equation (cells add up to the total), and no hidden figure may follow
 * from those equations, alone or combined (a rank test over all of them), in hand-made tables and in 1,000 random ones.
 */
import { describe, expect, it } from 'vitest';
import { suppressTable, type SuppressedTable } from '../../../hub/console/open-data/suppress';
import type { Shown } from '../../../hub/console/open-data/counts';

/** The grid with margins, as published: a number or null when hidden. */
function published(table: SuppressedTable): (number | null)[][] {
  const value = (shown: Shown) => (shown.kind === 'exact' ? shown.count : null);
  return [
    ...table.cells.map((row, r) => [...row.map(value), value(table.rowTotals[r]!)]),
    [...table.columnTotals.map(value), value(table.total)],
  ];
}

/** The row-echelon rank of a matrix of small integers (exact in doubles at these sizes). */
function rank(matrix: number[][]): number {
  const m = matrix.map((row) => [...row]);
  let r = 0;
  const columns = m[0]?.length ?? 0;
  for (let c = 0; c < columns && r < m.length; c++) {
    const pivot = m.findIndex((row, i) => i >= r && Math.abs(row[c]!) > 1e-9);
    if (pivot < 0) continue;
    [m[r], m[pivot]] = [m[pivot]!, m[r]!];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i]![c]! / m[r]![c]!;
      if (f !== 0) m[i] = m[i]!.map((v, j) => v - f * m[r]![j]!);
    }
    r++;
  }
  return r;
}

/**
 * The hidden positions whose value follows from the published equations: each row (cells − total = 0) and each column,
 * the margins' own row and column included, written over the hidden entries only; a hidden entry is determined exactly
 * when its unit vector lies in the span of those equations.
 */
function derivable(grid: (number | null)[][]): [number, number][] {
  const hidden: [number, number][] = [];
  grid.forEach((row, r) => row.forEach((value, c) => value === null && hidden.push([r, c])));
  const rows = grid.length - 1;
  const columns = grid[0]!.length - 1;
  const equations: number[][] = [];
  const coefficient = (inLine: (r: number, c: number) => boolean, isTotal: (r: number, c: number) => boolean) =>
    hidden.map(([r, c]) => (inLine(r, c) ? (isTotal(r, c) ? -1 : 1) : 0));
  for (let line = 0; line <= rows; line++) equations.push(coefficient((r) => r === line, (_, c) => c === columns));
  for (let line = 0; line <= columns; line++) equations.push(coefficient((_, c) => c === line, (r) => r === rows));
  const base = rank(equations);
  return hidden.filter((_, k) => rank([...equations, hidden.map((__, j) => (j === k ? 1 : 0))]) === base);
}

/** Every line of the published grid holds none or at least two hidden entries. */
function linesWithOneHidden(grid: (number | null)[][]): number {
  const rows = grid.map((row) => row.filter((value) => value === null).length);
  const columns = grid[0]!.map((_, c) => grid.filter((row) => row[c] === null).length);
  return [...rows, ...columns].filter((n) => n === 1).length;
}

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('suppression', () => {
  it('withholds counts of 1 to 4 and shows zeros and counts of 5 or more', () => {
    const table = suppressTable([
      [10, 20],
      [30, 0],
    ]);
    expect(published(table)).toEqual([
      [10, 20, 30],
      [30, 0, 30],
      [40, 20, 60],
    ]);
  });

  it('withholds a second cell in a row and a column that would give the small one away', () => {
    const table = suppressTable([
      [3, 12, 20],
      [9, 15, 40],
      [7, 30, 11],
    ]);
    const grid = published(table);
    expect(table.cells[0]![0]).toEqual({ kind: 'few' });
    // The next smallest in its row (12) and in its column (7), then whatever those lines need in turn.
    expect(table.cells[0]![1]).toEqual({ kind: 'withheld' });
    expect(table.cells[2]![0]).toEqual({ kind: 'withheld' });
    expect(linesWithOneHidden(grid)).toBe(0);
    expect(derivable(grid)).toEqual([]);
  });

  it('withholds the whole row of a community with fewer than 5 answers, and it cannot be worked out from the totals', () => {
    // Satisfaction by community: rows are groups, columns the five scores.
    const counts = [
      [0, 1, 0, 2, 0],
      [4, 6, 9, 20, 31],
      [2, 5, 7, 12, 15],
    ];
    const table = suppressTable(counts, { smallRows: true });
    expect(table.rowTotals[0]).toEqual({ kind: 'few' });
    expect(table.cells[0]!.every((cell) => cell.kind !== 'exact')).toBe(true);
    const grid = published(table);
    expect(linesWithOneHidden(grid)).toBe(0);
    expect(derivable(grid)).toEqual([]);
    // The published totals stay exact where shown, and the grand total is shown.
    expect(table.total).toEqual({ kind: 'exact', count: 114 });
  });

  it('leaves no hidden figure derivable from the published totals in 1,000 random tables', () => {
    const next = random(20);
    for (let run = 0; run < 1_000; run++) {
      const rows = 1 + Math.floor(next() * 6);
      const columns = 1 + Math.floor(next() * 6);
      // Mostly small counts and zeros, as in a small organisation's month.
      const counts = Array.from({ length: rows }, () => Array.from({ length: columns }, () => (next() < 0.3 ? 0 : Math.floor(next() ** 2 * 40))));
      const table = suppressTable(counts, { smallRows: next() < 0.5 });
      const grid = published(table);
      expect(linesWithOneHidden(grid), JSON.stringify(counts)).toBe(0);
      expect(derivable(grid), JSON.stringify(counts)).toEqual([]);
      // Nothing small is ever shown, and what is shown is the true count.
      const truth = [...counts.map((row) => [...row, row.reduce((a, b) => a + b, 0)])];
      truth.push(truth[0]!.map((_, c) => truth.reduce((sum, row) => sum + row[c]!, 0)));
      grid.forEach((row, r) =>
        row.forEach((value, c) => {
          if (value !== null) expect(value).toBe(truth[r]![c]);
          if (truth[r]![c]! > 0 && truth[r]![c]! < 5) expect(value).toBeNull();
        }),
      );
    }
  });
});
