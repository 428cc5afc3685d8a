/**
 * A bar chart that is a table: each row's label as text (it wraps, so no label is ever cut short), its count, and a
 * bar drawn beside the count. No chart library and no script; the bars are SVG rectangles sized by attributes, since
 * the console's CSP allows no inline style, and hidden from assistive technology, which reads the same numbers in the
 * table. Months with nothing in them are folded (fold.ts).
 */
import type { VNode } from 'preact';
import { ct } from '../../../lib/i18n/console';
import { SMALL_COUNT, type Shown } from './counts';
import { foldEmpty } from './fold';

export interface Bar {
  label: string;
  shown: Shown;
}

export const countText = (shown: Shown): string =>
  shown.kind === 'few' ? ct('openData.few', { threshold: SMALL_COUNT }) : shown.kind === 'withheld' ? ct('openData.withheld') : shown.count.toLocaleString('en-GB');

export const isZero = (shown: Shown): boolean => shown.kind === 'exact' && shown.count === 0;

/** The line that stands for a run of empty months, in reports or in satisfaction answers. */
export function gapText(from: string, to: string, of: 'reports' | 'answers'): string {
  if (from === to) return ct(of === 'reports' ? 'openData.noReportsIn' : 'openData.noAnswersIn', { month: from });
  return ct(of === 'reports' ? 'openData.noReportsBetween' : 'openData.noAnswersBetween', { from, to });
}

/** The bar beside a count: its length the count's share of the largest, drawn to the width of its column. */
function BarMark({ shown, max }: { shown: Shown; max: number }): VNode {
  const share = shown.kind === 'exact' ? (shown.count / max) * 100 : 0;
  return (
    <svg class="bar-mark" aria-hidden="true" focusable="false" viewBox="0 0 100 1" preserveAspectRatio="none">
      {share > 0 ? <rect width={share.toFixed(2)} height="1" /> : null}
    </svg>
  );
}

/** `heading`: what the rows are ("Kind of harm"); `months`: the rows are months, so empty ones are folded. */
export function BarTable({ title, heading, bars, months = false }: { title: string; heading: string; bars: Bar[]; months?: boolean }): VNode {
  const max = Math.max(1, ...bars.map((bar) => (bar.shown.kind === 'exact' ? bar.shown.count : 0)));
  const rows = months ? foldEmpty(bars, (bar) => isZero(bar.shown)) : bars.map((row, index) => ({ kind: 'row' as const, row, index }));
  if (rows.length === 0) return <p>{ct('openData.noData')}</p>;
  return (
    <table class="bars">
      <caption class="visually-hidden">{title}</caption>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col">{ct('openData.reports')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((entry) =>
          entry.kind === 'gap' ? (
            <tr class="gap">
              <td colSpan={2}>{gapText(entry.from.label, entry.to.label, 'reports')}</td>
            </tr>
          ) : (
            <tr>
              <th scope="row" class="label">
                {entry.row.label}
              </th>
              <td>
                <div class="bar-cell">
                  <span class="count">{countText(entry.row.shown)}</span>
                  <BarMark shown={entry.row.shown} max={max} />
                </div>
              </td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}
