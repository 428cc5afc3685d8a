/**
 * The open data as CSV (RFC 4180: CRLF line ends, a field quoted when it holds a comma, quote, CR or LF, quotes
 * doubled). A cell a spreadsheet would read as a formula (starting with = + - @, tab or CR) gets a leading apostrophe,
 * the OWASP advice for CSV injection; today's cells are closed-list values, words and counts, but the guard belongs
 * to the format, not to what happens to be in it.
 */
import { ct } from '../../../lib/i18n/console';
import { figure, type AxisValue, type OpenData } from './publish';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const CSV_HEADER = ['table', 'row_dimension', 'row_value', 'row_label', 'column_dimension', 'column_value', 'column_label', 'value', 'category_specification'] as const;

/**
 * Everything published, one figure per line (docs/triage-console.md "Open data: CSV and JSON"): which table, the row's
 * and the column's dimension, value and label (`total` for a margin), the figure (a count, `<5` or `x` when
 * suppressed, hours for time to first action) and the DSA keyword of the row's or column's value where one matches.
 */
export function openDataCsv(data: OpenData): string {
  const rows: string[][] = [[...CSV_HEADER]];
  const total = { value: 'total', label: ct('openData.total') } as AxisValue;
  const line = (table: string, rowAxis: string, row: AxisValue, columnAxis: string, column: AxisValue | undefined, value: string) =>
    rows.push([table, rowAxis, row.value, row.label, columnAxis, column?.value ?? '', column?.label ?? '', value, row.categorySpecification ?? column?.categorySpecification ?? '']);
  for (const table of data.oneWay) {
    table.rows.values.forEach((row, index) => line(table.id, table.rows.axis, row, '', undefined, String(figure(table.cells[index]![0]!))));
    if (table.columnTotals.length > 0) line(table.id, table.rows.axis, total, '', undefined, String(figure(table.total)));
  }
  for (const table of data.crossTabs) {
    const columns = table.columns!;
    const columnValues = [...columns.values, total];
    [...table.rows.values, total].forEach((row, r) => {
      const shown = r < table.rows.values.length ? [...table.cells[r]!, table.rowTotals[r]!] : [...table.columnTotals, table.total];
      columnValues.forEach((column, c) => line(table.id, table.rows.axis, row, columns.axis, column, String(figure(shown[c]!))));
    });
  }
  for (const row of data.firstAction) {
    const measure = (value: string, figureText: string) => line('time_to_first_action', 'month', row.month, 'measure', { value, label: value }, figureText);
    measure('acted', String(figure(row.acted)));
    measure('waiting', String(figure(row.waiting)));
    measure('p25_hours', row.quartiles ? String(row.quartiles.p25) : '');
    measure('median_hours', row.quartiles ? String(row.quartiles.median) : '');
    measure('p75_hours', row.quartiles ? String(row.quartiles.p75) : '');
  }
  return toCsv(rows);
}
