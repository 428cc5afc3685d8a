/**
 * The open data as CSV (RFC 4180: CRLF line ends, a field quoted when it holds a comma, quote, CR or LF, quotes
 * doubled). A cell a spreadsheet would read as a formula (starting with = + - @, tab or CR) gets a leading apostrophe,
 * the OWASP advice for CSV injection; today's cells are closed-list values, words and counts, but the guard belongs
 * to the format, not to what happens to be in it.
 */
import { DIMENSIONS, shown, SMALL_COUNT, type Counts } from './counts';
import { valueLabel } from './words';
import { ct } from '../../../lib/i18n/console';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** One row per dimension and value: `dimension,value,label,count`; small counts as `<5` when suppressed. */
export function openDataCsv(counts: Counts, suppress: boolean): string {
  const rows: string[][] = [['dimension', 'value', 'label', 'count']];
  for (const dimension of DIMENSIONS) {
    for (const { value, count } of counts[dimension]) {
      const display = shown(count, suppress);
      rows.push([dimension, value, valueLabel(dimension, value), display.kind === 'few' ? ct('openData.fewCsv', { threshold: SMALL_COUNT }) : String(display.count)]);
    }
  }
  return toCsv(rows);
}
