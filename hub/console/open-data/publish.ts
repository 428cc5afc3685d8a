/**
 * What is published, built once from the counts and tables and then written out as the page, the CSV and the JSON,
 * so the three always agree. Suppression (suppress.ts) is applied here for the public; moderators get exact numbers.
 *
 * Tables that share numbers share their suppression: the one-way counts by characteristic, month and outcome are the
 * margins of the cross-tabs that hold them (not a second count that could be subtracted from them); the five
 * satisfaction-by-community tables take their per-score totals and grand total as published by satisfaction by month;
 * and the time-to-first-action counts (acted on, still waiting) add up to the month's total as published.
 */
import { DSA_CATEGORY, CHARACTERISTIC_KEYWORD, HARM_KEYWORDS, type DsaKeyword } from '../shared/dsa';
import type { HarmType } from '../../../lib/schema';
import { NOT_COUNTED_OUTCOMES } from '../../domain/counted';
import { SMALL_COUNT, type Counts, type Shown } from './counts';
import { exactTable, suppressTable, type SuppressedTable } from './suppress';
import type { Axis, CrossTab, TableId, Tables } from './tables';
import { valueLabel } from './words';

export const SCHEMA = 'ohr-open-data/1';

export interface AxisValue {
  value: string;
  label: string;
  /** The DSA transparency database keyword this value matches, where one does. */
  categorySpecification?: DsaKeyword;
}

export interface PublishedTable extends SuppressedTable {
  id: TableId | OneWayId;
  rows: { axis: Axis; values: AxisValue[] };
  columns: { axis: Axis; values: AxisValue[] } | undefined;
}

export type OneWayId = 'reports_by_characteristic' | 'reports_by_harm' | 'reports_by_platform' | 'reports_by_month' | 'reports_by_outcome';

export interface PublishedFirstAction {
  month: AxisValue;
  acted: Shown;
  waiting: Shown;
  /** Hours; absent where fewer than SMALL_COUNT reports were acted on. */
  quartiles?: { p25: number; median: number; p75: number };
}

export interface OpenData {
  generatedAt: string;
  suppressed: boolean;
  oneWay: PublishedTable[];
  crossTabs: PublishedTable[];
  firstAction: PublishedFirstAction[];
}

const keywordOf = (axis: Axis, value: string): DsaKeyword | undefined =>
  axis === 'characteristic' ? CHARACTERISTIC_KEYWORD : axis === 'harm' ? HARM_KEYWORDS[value as HarmType] : undefined;

const axisValues = (axis: Axis, values: readonly string[]): AxisValue[] =>
  values.map((value) => {
    const keyword = keywordOf(axis, value);
    return { value, label: valueLabel(axis, value), ...(keyword ? { categorySpecification: keyword } : {}) };
  });

function published(tab: CrossTab, table: SuppressedTable): PublishedTable {
  return { id: tab.id, rows: { axis: tab.rows.axis, values: axisValues(tab.rows.axis, tab.rows.values) }, columns: { axis: tab.columns.axis, values: axisValues(tab.columns.axis, tab.columns.values) }, ...table };
}

/** A one-way table from a cross-tab's margin (its row totals, or its column totals). */
function margin(id: OneWayId, table: PublishedTable, side: 'rows' | 'columns'): PublishedTable {
  const axis = side === 'rows' ? table.rows : table.columns!;
  const cells = (side === 'rows' ? table.rowTotals : table.columnTotals).map((shown) => [shown]);
  return { id, rows: axis, columns: undefined, cells, rowTotals: cells.map(([shown]) => shown!), columnTotals: [table.total], total: table.total };
}

/** A one-way count of its own (a report under each value it names): counts of 1 to 4 hidden; no total is published. */
function oneWay(id: OneWayId, axis: Axis, counts: Counts['harm'], suppress: boolean): PublishedTable {
  const cells = counts.map(({ count }) => [suppress && count > 0 && count < SMALL_COUNT ? ({ kind: 'few' } as Shown) : ({ kind: 'exact', count } as Shown)]);
  return { id, rows: { axis, values: axisValues(axis, counts.map(({ value }) => value)) }, columns: undefined, cells, rowTotals: cells.map(([shown]) => shown!), columnTotals: [], total: { kind: 'withheld' } };
}

export function publish(counts: Counts, tables: Tables, suppress: boolean, now: Date): OpenData {
  const byId = new Map(tables.crossTabs.map((tab) => [tab.id, tab]));
  const tab = (id: TableId) => byId.get(id)!;
  const run = (crossTab: CrossTab, shared?: { columnTotals: Shown[]; total: Shown }) =>
    published(crossTab, suppress ? suppressTable(crossTab.counts, { smallRows: crossTab.smallRows, ...(shared ? { shared } : {}) }) : exactTable(crossTab.counts));
  const strand = run(tab('characteristic_by_month'));
  const outcomes = run(tab('outcome_by_month'));
  const satisfaction = run(tab('satisfaction_by_month'));
  const crossTabs = tables.crossTabs.map((crossTab) => {
    if (crossTab.id === 'characteristic_by_month') return strand;
    if (crossTab.id === 'outcome_by_month') return outcomes;
    if (crossTab.id === 'satisfaction_by_month') return satisfaction;
    if (crossTab.id.startsWith('satisfaction_by_')) return run(crossTab, { columnTotals: satisfaction.columnTotals, total: satisfaction.total });
    return run(crossTab);
  });
  return {
    generatedAt: now.toISOString(),
    suppressed: suppress,
    oneWay: [
      margin('reports_by_characteristic', strand, 'rows'),
      oneWay('reports_by_harm', 'harm', counts.harm, suppress),
      oneWay('reports_by_platform', 'platform', counts.platform, suppress),
      margin('reports_by_month', outcomes, 'columns'),
      margin('reports_by_outcome', outcomes, 'rows'),
    ],
    crossTabs,
    firstAction: firstAction(tables, outcomes, suppress),
  };
}

/** Acted on and still waiting add up to the month's reports, published in outcome_by_month: suppressed against those totals. */
function firstAction(tables: Tables, outcomes: PublishedTable, suppress: boolean): PublishedFirstAction[] {
  const months = tables.months;
  const found = new Map(tables.firstAction.map((row) => [row.month, row]));
  const counts = [months.map((month) => found.get(month)?.acted ?? 0), months.map((month) => found.get(month)?.waiting ?? 0)];
  const table = suppress ? suppressTable(counts, { shared: { columnTotals: outcomes.columnTotals, total: outcomes.total } }) : exactTable(counts);
  return months.map((month, index) => {
    const row = found.get(month);
    return {
      month: axisValues('month', [month])[0]!,
      acted: table.cells[0]![index]!,
      waiting: table.cells[1]![index]!,
      ...(row && row.acted >= SMALL_COUNT ? { quartiles: { p25: row.p25, median: row.median, p75: row.p75 } } : {}),
    };
  });
}

/** A published figure as it is written in the CSV and JSON: the count, "<5" or "x". */
export const FEW = `<${SMALL_COUNT}`;
export const WITHHELD = 'x';
export const figure = (shown: Shown): number | string => (shown.kind === 'exact' ? shown.count : shown.kind === 'few' ? FEW : WITHHELD);

/** The JSON document (docs/triage-console.md "Open data: CSV and JSON" describes it). */
export function openDataJson(data: OpenData, publisher: string): unknown {
  const values = (axis: { axis: Axis; values: AxisValue[] }) => ({
    dimension: axis.axis,
    values: axis.values.map(({ value, label, categorySpecification }) => ({ value, label, ...(categorySpecification ? { category_specification: categorySpecification } : {}) })),
  });
  const table = (t: PublishedTable) => ({
    id: t.id,
    rows: values(t.rows),
    ...(t.columns
      ? { columns: values(t.columns), cells: t.cells.map((row) => row.map(figure)), row_totals: t.rowTotals.map(figure), column_totals: t.columnTotals.map(figure), total: figure(t.total) }
      : { counts: t.cells.map(([shown]) => figure(shown!)), ...(t.columnTotals.length > 0 ? { total: figure(t.total) } : {}) }),
  });
  return {
    schema: SCHEMA,
    publisher,
    generated_at: data.generatedAt,
    category: DSA_CATEGORY,
    not_counted: { outcomes: [...NOT_COUNTED_OUTCOMES] },
    suppression: data.suppressed ? { threshold: SMALL_COUNT, fewer_than_threshold: FEW, withheld: WITHHELD } : null,
    one_way: data.oneWay.map(table),
    cross_tabs: data.crossTabs.map(table),
    time_to_first_action: data.firstAction.map((row) => ({
      month: row.month.value,
      acted: figure(row.acted),
      waiting: figure(row.waiting),
      p25_hours: row.quartiles?.p25 ?? null,
      median_hours: row.quartiles?.median ?? null,
      p75_hours: row.quartiles?.p75 ?? null,
    })),
  };
}
