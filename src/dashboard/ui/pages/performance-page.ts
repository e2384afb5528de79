/** Performance: latency percentiles over time per algorithm and implementation, success rate, benchmark history. */
import type { PerformanceData } from '../../http/api-types.js';
import { alignSeries } from '../chart-data.js';
import { Chart } from '../components/chart.js';
import { unappliedFilters } from '../components/filter-note.js';
import { Empty, Failure, Loading, Panel } from '../components/panel.js';
import { formatCount, formatLevel, formatNs, formatRate, formatRatio, formatRatioInterval, formatTime } from '../format.js';
import { html } from '../html.js';
import { useData } from '../use-data.js';
import { viewQuery, visiblePanels } from '../view-state.js';
import type { PageProps } from './page-props.js';

/** More charts than this would bury the page; the rest are named, not drawn. */
const maxLatencyCharts = 12;
const maxBenchCases = 8;

function LatencyPanel({ data }: { data: PerformanceData }) {
  if (data.latency.length === 0) return html`<${Empty} />`;
  const shown = data.latency.slice(0, maxLatencyCharts);
  return html`<div class="chart-grid">
      ${shown.map((series) => {
        const name = series.implementation ? `${series.algorithm} · ${series.implementation}` : series.algorithm;
        const aligned = alignSeries(
          (['p50', 'p90', 'p99'] as const).map((quantile) => ({ label: quantile, points: series.points.map((p) => ({ t: p.t, value: p[quantile] })) })),
          data.range,
        );
        const keys = series.points.reduce((sum, p) => sum + p.count, 0);
        return html`<figure key=${name} class="latency" data-testid="latency-chart">
          <figcaption><strong>${name}</strong> <span class="muted">${formatCount(keys)} keys</span></figcaption>
          <${Chart} testid="chart-latency" ...${aligned} format=${formatNs} height=${180} />
        </figure>`;
      })}
    </div>
    ${data.latency.length > shown.length
      ? html`<p class="muted">${data.latency.length - shown.length} more series not drawn; filter by algorithm to see them.</p>`
      : null}`;
}

function SuccessPanel({ data }: { data: PerformanceData }) {
  const { overall, byAlgorithm, overTime } = data.successRate;
  if (overall.ok + overall.error === 0) return html`<${Empty} />`;
  const algorithms = [...new Set(overTime.map((row) => row.algorithm))];
  const aligned = alignSeries(algorithms.map((algorithm) => ({ label: algorithm, points: overTime.filter((row) => row.algorithm === algorithm).map((row) => ({ t: row.t, value: row.rate })) })), data.range);
  return html`<p>Overall <strong data-testid="success-overall">${formatRate(overall.rate)}</strong> (${formatCount(overall.ok)} ok, ${formatCount(overall.error)} failed)</p>
    <${Chart} testid="chart-success" ...${aligned} format=${formatRate} yRange=${[0, 1]} height=${180} />
    <table data-testid="success-table">
      <thead><tr><th>Algorithm</th><th class="num">OK</th><th class="num">Failed</th><th class="num">Success rate</th></tr></thead>
      <tbody>
        ${byAlgorithm.map(
          (row) => html`<tr key=${row.algorithm}><td>${row.algorithm}</td><td class="num">${formatCount(row.ok)}</td><td class="num">${formatCount(row.error)}</td><td class="num">${formatRate(row.rate)}</td></tr>`,
        )}
      </tbody>
    </table>`;
}

function BenchHistoryPanel({ data }: { data: PerformanceData }) {
  if (data.benchRuns.length === 0) return html`<${Empty} text="No benchmark runs stored in this range (keyscope bench stores one)." />`;
  const runs = [...data.benchRuns].reverse();
  const cases = [...new Set(runs.flatMap((run) => run.medians.map((m) => m.case)))].slice(0, maxBenchCases);
  const aligned = alignSeries(
    cases.map((name) => ({
      label: name,
      points: runs.flatMap((run) => run.medians.filter((m) => m.case === name).map((m) => ({ t: run.startedAt, value: m.medianNs }))),
    })),
    data.range,
    'points',
  );
  return html`<${Chart} testid="chart-bench" ...${aligned} format=${formatNs} points=${runs.length < 2} log />
    <table data-testid="bench-runs">
      <thead><tr><th>Run</th><th>Started</th><th>Suite</th><th class="num">Cases</th><th>Commit</th></tr></thead>
      <tbody>
        ${data.benchRuns.map(
          (run) => html`<tr key=${run.id}><td><code>${run.id.slice(0, 8)}</code></td><td>${formatTime(run.startedAt)}</td><td>${run.suite}</td><td class="num">${run.cases}</td><td><code>${run.gitCommit?.slice(0, 10) ?? '—'}</code></td></tr>`,
        )}
      </tbody>
    </table>`;
}

function ComparisonPanel({ data }: { data: PerformanceData }) {
  const comparison = data.comparison;
  if (!comparison) return html`<${Empty} text="Fewer than two benchmark runs: nothing to compare." />`;
  if (comparison.cases.length === 0) return html`<${Empty} text="The two newest runs have no case in common: nothing to compare." />`;
  // Each interval's own level: the header says it when all share one, else each row does.
  const levels = [...new Set(comparison.cases.map((row) => row.confidence))];
  const shared = levels.length === 1 ? formatLevel(levels[0]!) : null;
  return html`<p class="muted">Run <code>${comparison.candidate.slice(0, 8)}</code> against <code>${comparison.baseline.slice(0, 8)}</code>; ratio = candidate / baseline time, above 1 is slower</p>
    <table data-testid="comparison-table">
      <thead><tr><th>Case</th><th>Verdict</th><th>Measure</th><th class="num">Ratio</th><th class="num">${shared ? `${shared} interval` : 'Interval'}</th></tr></thead>
      <tbody>
        ${comparison.cases.map(
          (row) => html`<tr key=${row.case}>
            <td>${row.case}</td>
            <td><span class=${`badge verdict-${row.verdict}`}>${row.verdict}</span></td>
            <td>${row.measure}</td>
            <td class="num">${formatRatio(row.ratio)}</td>
            <td class="num" data-testid="comparison-interval">${formatRatioInterval(row.interval)}${shared ? '' : html` <span class="muted" data-testid="comparison-level">(${formatLevel(row.confidence)})</span>`}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
}

export function PerformancePage({ view, source, revision }: PageProps) {
  const loaded = useData<PerformanceData>(source, '/api/performance', viewQuery(view, { withPanels: false }), revision);
  const data = loaded.data;
  const panel = (id: string, title: string, body: (data: PerformanceData) => unknown, wide = false) =>
    html`<${Panel} key=${id} id=${id} title=${title} wide=${wide} unfiltered=${unappliedFilters(view, data?.appliedFilters?.[id])}>${data ? body(data) : null}<//>`;
  const render: Record<string, () => unknown> = {
    latency: () => panel('latency', 'Latency percentiles (p50, p90, p99)', (d) => html`<${LatencyPanel} data=${d} />`, true),
    success: () => panel('success', 'Success rate', (d) => html`<${SuccessPanel} data=${d} />`),
    'bench-history': () => panel('bench-history', 'Benchmark history (median per case)', (d) => html`<${BenchHistoryPanel} data=${d} />`),
    comparison: () => panel('comparison', 'Latest comparison', (d) => html`<${ComparisonPanel} data=${d} />`),
  };
  return html`<div class="page" data-testid="page-performance">
    ${loaded.error ? html`<${Failure} error=${loaded.error} />` : null}
    ${!data && loaded.loading ? html`<${Loading} />` : null}
    <div class="panels">${visiblePanels(view).map((id) => render[id]?.())}</div>
  </div>`;
}
