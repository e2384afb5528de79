/**
 * A uPlot time-series chart. uPlot draws on a canvas it owns, so the component only hands it a container and
 * rebuilds the plot when the data changes (chart-data.ts lays it out); a chart without a value renders the "no
 * data" state instead of an empty grid.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

import { type ChartColumns, hasNoValues, isolatedPoints } from '../chart-data.js';
import { html } from '../html.js';
import { Empty } from './panel.js';

export interface ChartProps extends ChartColumns {
  testid: string;
  format: (value: number) => string;
  height?: number;
  /** Draw points only (sparse series such as benchmark runs). */
  points?: boolean;
  /** Counts: ticks at whole numbers only (no "0.5 keys"). */
  integer?: boolean;
  /** A log y axis, for series that differ by orders of magnitude (benchmark cases from µs to s). */
  log?: boolean;
  /** What the empty state says (default: no data in this range). */
  emptyText?: string;
  /** A fixed y range, e.g. [0, 1] for rates (uPlot's auto range would pad a constant 100 % up to 200 %). */
  yRange?: [number, number];
}

function isDecade(value: number): boolean {
  const exponent = Math.log10(value);
  return Math.abs(exponent - Math.round(exponent)) < 1e-9;
}

const decades = (_u: uPlot, splits: number[]) => splits.map((value) => (isDecade(value) ? value : null));

/** Whole-number tick steps for count axes. */
const integerSteps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 1e8, 1e9];

export const palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

export function Chart(props: ChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const empty = props.x.length === 0 || hasNoValues(props.series);
  // Callers build their arrays in render; the plot is rebuilt only when the numbers really changed.
  const dataKey = JSON.stringify([props.x, props.series, props.xRange]);

  useEffect(() => {
    const element = container.current;
    if (!element || empty) return;
    const { format } = props;
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 240),
      height: props.height ?? 220,
      // The x axis is the selected range: a single point must not stretch it over years.
      scales: { x: { time: true, range: props.xRange }, y: props.log ? { distr: 3 } : props.yRange ? { range: props.yRange } : props.integer ? { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } : {} },
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      axes: [
        {},
        {
          values: (_u, splits) => splits.map((value) => (value == null ? '' : format(value))),
          size: 70,
          ...(props.integer ? { incrs: integerSteps } : {}),
          // A log axis splits every decade into nine; only the decades get a label, tick and grid line.
          ...(props.log ? { filter: decades, grid: { filter: decades }, ticks: { filter: decades } } : {}),
        },
      ],
      series: [
        {},
        ...props.series.map((series, i) => ({
          label: series.label,
          stroke: palette[i % palette.length]!,
          width: 1.5,
          // An empty bucket is a gap: no line is drawn across it.
          spanGaps: false,
          // Where uPlot would not draw points (too dense), a value with empty buckets on both sides still
          // shows, as a point: with no neighbour there is no line to show it.
          points: props.points ? { show: true, size: 6 } : { size: 6, filter: (_u: uPlot, _i: number, shown: boolean) => (shown ? null : isolatedPoints(series.values)) },
          ...(props.points ? { paths: () => null } : {}),
          value: (_u: uPlot, value: number | null) => (value == null ? '—' : format(value)),
        })),
      ],
    };
    const data = [props.x, ...props.series.map((series) => series.values)] as uPlot.AlignedData;
    const plot = new uPlot(options, data, element);
    // The plot on its element, for the browser tests (and devtools) to read its scales and data.
    (element as HTMLDivElement & { uplot?: uPlot }).uplot = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 240), height: props.height ?? 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [dataKey]);

  if (empty) return html`<${Empty} text=${props.emptyText} />`;
  return html`<div class="chart" data-testid=${props.testid} ref=${container}></div>`;
}
