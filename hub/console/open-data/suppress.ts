/**
 * Small-number suppression for published tables (docs/triage-console.md "Open data: suppression").
 *
 * Primary: a count of 1 to 4 is shown as "fewer than 5" (zero is shown: nobody is singled out by nobody).
 * Secondary: a table is published with its row totals, column totals and grand total, so every row and every column is
 * an equation (its cells add up to its total). In any such line where exactly one entry is hidden, that entry would be
 * the total minus the rest; so another entry of the line is withheld as well: the smallest count above zero, a cell
 * before a total (a withheld zero would not help, since the hidden cell would then equal what is missing from the
 * total). Withholding can leave another line with one hidden entry, so this repeats until no line has exactly one; and
 * since lines taken together can still pin a figure down (two rows minus a column), a hidden entry whose value follows
 * from all the published equations gets another entry of its row or column withheld, until none does. This
 * is the usual cell-suppression practice of statistics offices (primary threshold, then complementary suppression
 * along every published margin); totals are suppressed by the same rule as cells, never rounded, so every published
 * figure is exact and a reader can check a row against its total wherever nothing is hidden.
 * Small groups: a table of groups of people (satisfaction by community) withholds the whole row of a group with fewer
 * than 5 answers, so not even the zeros of a small community are shown.
 */
import { SMALL_COUNT, type Shown } from './counts';

export interface SuppressedTable {
  cells: Shown[][];
  rowTotals: Shown[];
  columnTotals: Shown[];
  total: Shown;
}

type Mark = 'few' | 'withheld' | undefined;

const isSmall = (count: number) => count > 0 && count < SMALL_COUNT;

/** The row and column lines of the grid with its margins: each a list of [row, column] positions that add up. */
function linesOf(rows: number, columns: number): [number, number][][] {
  const lines: [number, number][][] = [];
  for (let row = 0; row <= rows; row++) lines.push(Array.from({ length: columns + 1 }, (_, column) => [row, column] as [number, number]));
  for (let column = 0; column <= columns; column++) lines.push(Array.from({ length: rows + 1 }, (_, row) => [row, column] as [number, number]));
  return lines;
}

/**
 * The first hidden entry whose value follows from the published lines taken together (each line: its cells minus its
 * total is zero, written over the hidden entries, the published ones moved to the right-hand side). An entry is
 * determined exactly when its unit vector lies in the span of the lines' coefficient vectors: adding it as another
 * equation leaves the rank unchanged.
 */
function firstDetermined(lines: [number, number][][], marks: Mark[][]): [number, number] | undefined {
  const hidden: [number, number][] = [];
  marks.forEach((row, r) => row.forEach((mark, c) => mark && hidden.push([r, c])));
  const last = { row: marks.length - 1, column: (marks[0]?.length ?? 1) - 1 };
  const equations = lines.map((line) => {
    const isRow = line[0]![0] === line[1]?.[0];
    return hidden.map(([r, c]) => {
      if (!line.some(([lr, lc]) => lr === r && lc === c)) return 0;
      return (isRow ? c === last.column : r === last.row) ? -1 : 1;
    });
  });
  const base = rankOf(equations);
  const found = hidden.findIndex((_, k) => rankOf([...equations, hidden.map((__, j) => (j === k ? 1 : 0))]) === base);
  return found < 0 ? undefined : hidden[found];
}

/** The rank of a small matrix of small integers, by Gaussian elimination (exact enough in doubles at these sizes). */
function rankOf(input: number[][]): number {
  const m = input.map((row) => [...row]);
  const columns = m[0]?.length ?? 0;
  let rank = 0;
  for (let c = 0; c < columns && rank < m.length; c++) {
    const pivot = m.findIndex((row, i) => i >= rank && Math.abs(row[c]!) > 1e-9);
    if (pivot < 0) continue;
    [m[rank], m[pivot]] = [m[pivot]!, m[rank]!];
    for (let i = 0; i < m.length; i++) {
      const factor = i === rank ? 0 : m[i]![c]! / m[rank]![c]!;
      if (factor !== 0) m[i] = m[i]!.map((value, j) => value - factor * m[rank]![j]!);
    }
    rank++;
  }
  return rank;
}

export interface SuppressOptions {
  /** Withhold the whole row of a group with 1 to 4 in it. */
  smallRows?: boolean;
  /**
   * Column totals and grand total already published by another table (the same numbers): shown or hidden as there,
   * and never changed here, so the two tables cannot be played against each other.
   */
  shared?: { columnTotals: Shown[]; total: Shown };
}

/**
 * Suppresses a table of counts (rows × columns, each cell a count); the totals are the sums of the cells. With
 * `smallRows`, a row whose total is 1 to 4 is withheld entirely.
 */
export function suppressTable(counts: readonly (readonly number[])[], options: SuppressOptions = {}): SuppressedTable {
  const rows = counts.length;
  const columns = counts[0]?.length ?? 0;
  // The grid with its margins: grid[r][columns] is row r's total, grid[rows][c] column c's, grid[rows][columns] all.
  const grid: number[][] = counts.map((row) => [...row, row.reduce((sum, count) => sum + count, 0)]);
  grid.push(Array.from({ length: columns + 1 }, (_, column) => grid.reduce((sum, row) => sum + row[column]!, 0)));
  const marks: Mark[][] = grid.map((row) => row.map((count) => (isSmall(count) ? 'few' : undefined)));
  // The shared totals row is the other table's to keep safe: its line is skipped here and its entries never chosen.
  const locked = (row: number) => Boolean(options.shared) && row === rows;
  if (options.shared) {
    const markOf = (shown: Shown | undefined): Mark => (shown && shown.kind !== 'exact' ? shown.kind : undefined);
    for (let column = 0; column < columns; column++) marks[rows]![column] = markOf(options.shared.columnTotals[column]);
    marks[rows]![columns] = markOf(options.shared.total);
  }
  if (options.smallRows) {
    for (let row = 0; row < rows; row++) {
      if (!isSmall(grid[row]![columns]!)) continue;
      // A zero where the whole column is zero stays shown: that nobody gave the answer says nothing about this group.
      for (let column = 0; column < columns; column++) if (grid[rows]![column]! > 0) marks[row]![column] ??= 'withheld';
    }
  }
  const lines = linesOf(rows, columns);
  // Margins are withheld only when no cell of the line will do; the grand total last of all.
  const rank = ([row, column]: [number, number]) => (row === rows ? 1 : 0) + (column === columns ? 1 : 0);
  const hiddenIn = (line: [number, number][]) => line.filter(([row, column]) => marks[row]![column]);
  // A zero only when nothing else is left: beside a withheld zero, a hidden count equals what the total is missing.
  const withholdOneOf = (positions: [number, number][]): boolean => {
    const chosen = positions
      .filter(([row, column]) => !marks[row]![column] && !locked(row))
      .sort((a, b) => Number(grid[a[0]]![a[1]] === 0) - Number(grid[b[0]]![b[1]] === 0) || rank(a) - rank(b) || grid[a[0]]![a[1]]! - grid[b[0]]![b[1]]!)[0];
    if (chosen) marks[chosen[0]]![chosen[1]] = 'withheld';
    return Boolean(chosen);
  };
  for (;;) {
    // Lines with one hidden entry first (cheap), then what several lines together would give away.
    for (let changed = true; changed; ) {
      changed = false;
      for (const line of lines) {
        if (hiddenIn(line).length !== 1 || line.every(([row]) => locked(row))) continue;
        // There is always one: a line whose other entries are all zero has its hidden entry equal to its total, hidden too.
        if (!withholdOneOf(line)) throw new Error('secondary suppression found no entry to withhold');
        changed = true;
      }
    }
    const determined = firstDetermined(lines, marks);
    if (!determined) break;
    const [row, column] = determined;
    const own = lines.filter((line) => line.some(([r, c]) => r === row && c === column)).flat();
    if (!withholdOneOf(own) && !withholdOneOf(grid.flatMap((counts, r) => counts.map((_, c) => [r, c] as [number, number])))) {
      throw new Error('secondary suppression found no entry to withhold');
    }
  }
  const show = (row: number, column: number): Shown => {
    const mark = marks[row]![column];
    return mark ? { kind: mark } : { kind: 'exact', count: grid[row]![column]! };
  };
  return {
    cells: counts.map((row, r) => row.map((_, c) => show(r, c))),
    rowTotals: counts.map((_, r) => show(r, columns)),
    columnTotals: Array.from({ length: columns }, (_, c) => show(rows, c)),
    total: show(rows, columns),
  };
}

/** Every count as it is (the moderators' dashboard). */
export function exactTable(counts: readonly (readonly number[])[]): SuppressedTable {
  const exact = (count: number): Shown => ({ kind: 'exact', count });
  const columns = counts[0]?.length ?? 0;
  const columnSums = Array.from({ length: columns }, (_, c) => counts.reduce((sum, row) => sum + row[c]!, 0));
  return {
    cells: counts.map((row) => row.map(exact)),
    rowTotals: counts.map((row) => exact(row.reduce((sum, count) => sum + count, 0))),
    columnTotals: columnSums.map(exact),
    total: exact(columnSums.reduce((sum, count) => sum + count, 0)),
  };
}
