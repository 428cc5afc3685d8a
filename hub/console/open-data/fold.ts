/**
 * Empty months folded for reading: a table of 24 months that are mostly zeros hides the months that matter. Leading
 * and trailing empty months are left out, and each run of empty months between others becomes one line ("No reports
 * from March 2026 to June 2026"). Only what is shown is folded; the CSV and JSON keep every month.
 */
export type Folded<T> = { kind: 'row'; row: T; index: number } | { kind: 'gap'; from: T; to: T };

/** `rows` in order, with `empty` ones folded as above; nothing at all when every row is empty. */
export function foldEmpty<T>(rows: readonly T[], empty: (row: T, index: number) => boolean): Folded<T>[] {
  const filled = rows.map((row, index) => !empty(row, index));
  const first = filled.indexOf(true);
  if (first < 0) return [];
  const last = filled.lastIndexOf(true);
  const folded: Folded<T>[] = [];
  for (let index = first; index <= last; index++) {
    if (filled[index]) {
      folded.push({ kind: 'row', row: rows[index]!, index });
      continue;
    }
    let end = index;
    while (!filled[end + 1]) end++;
    folded.push({ kind: 'gap', from: rows[index]!, to: rows[end]! });
    index = end;
  }
  return folded;
}
