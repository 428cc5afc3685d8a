/**
 * A horizontal bar chart drawn as SVG on the server: no chart library and no script. The SVG is one image to assistive
 * technology (`role="img"`, named by its `<title>` and described by its `<desc>`, which lists every value), and the
 * same numbers follow in a table, so nothing is only in the picture. Colours are presentation attributes because the
 * console's CSP allows no inline style.
 */
import type { VNode } from 'preact';
import { ct } from '../../../lib/i18n/console';
import { SMALL_COUNT, type Shown } from './counts';

export interface Bar {
  label: string;
  shown: Shown;
}

const WIDTH = 640;
const LABEL_WIDTH = 230;
const BAR_SPACE = 330;
const ROW = 24;
/** Ink on paper and the console's accent: 4.5:1 and more against white, as text and as a graphic. */
const INK = '#1b1b1f';
const BAR = '#1d4ed8';

export const countText = (shown: Shown): string =>
  shown.kind === 'few' ? ct('openData.few', { threshold: SMALL_COUNT }) : shown.kind === 'withheld' ? ct('openData.withheld') : shown.count.toLocaleString('en-GB');

export function BarChart({ id, title, bars }: { id: string; title: string; bars: Bar[] }): VNode {
  const max = Math.max(1, ...bars.map((bar) => (bar.shown.kind === 'exact' ? bar.shown.count : 0)));
  const height = bars.length * ROW + 8;
  const description = bars.map((bar) => `${bar.label}: ${countText(bar.shown)}`).join('; ');
  return (
    <svg
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width={WIDTH}
      height={height}
      class="chart"
      font-family="system-ui, sans-serif"
      font-size="13"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {bars.map((bar, index) => {
        const y = 4 + index * ROW;
        const length = bar.shown.kind === 'exact' ? Math.round((bar.shown.count / max) * BAR_SPACE) : 0;
        return (
          <g>
            <text x={LABEL_WIDTH - 8} y={y + 16} text-anchor="end" fill={INK}>
              {bar.label}
            </text>
            <rect x={LABEL_WIDTH} y={y + 3} width={length} height={ROW - 6} fill={BAR} />
            <text x={LABEL_WIDTH + length + 6} y={y + 16} fill={INK}>
              {countText(bar.shown)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** The chart's numbers as a table, for reading, copying and assistive technology. */
export function CountTable({ title, bars }: { title: string; bars: Bar[] }): VNode {
  return (
    <table>
      <caption>{ct('openData.tableCaption', { title })}</caption>
      <thead>
        <tr>
          <th scope="col">{title}</th>
          <th scope="col">{ct('openData.reports')}</th>
        </tr>
      </thead>
      <tbody>
        {bars.map((bar) => (
          <tr>
            <th scope="row">{bar.label}</th>
            <td>{countText(bar.shown)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
