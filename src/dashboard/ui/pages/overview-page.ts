/** Overview: the key numbers with their trend, keys and errors over time, top algorithms, alerts, recommendations. */
import type { AlertsData, OverviewData, RecommendationsData } from '../../http/api-types.js';
import { AlertsList } from '../components/alerts-panel.js';
import { alignSeries } from '../chart-data.js';
import { Chart } from '../components/chart.js';
import { Kpi } from '../components/kpi.js';
import { honoursNoFilter, unappliedFilters } from '../components/filter-note.js';
import { Empty, Failure, Loading, Panel } from '../components/panel.js';
import { RecommendationsList } from '../components/recommendations-panel.js';
import { ShareBar } from '../components/share-bar.js';
import { formatCount, formatNs, formatRate } from '../format.js';
import { html } from '../html.js';
import { useData } from '../use-data.js';
import { viewQuery, visiblePanels } from '../view-state.js';
import type { PageProps } from './page-props.js';

export function OverviewPage({ view, source, revision }: PageProps) {
  const panels = visiblePanels(view);
  const query = viewQuery(view, { withPanels: false });
  const overview = useData<OverviewData>(source, '/api/overview', query, revision);
  const alerts = useData<AlertsData>(source, panels.includes('alerts') ? '/api/alerts' : null, undefined, revision);
  const recommendations = useData<RecommendationsData>(source, panels.includes('recommendations') ? '/api/recommendations' : null, undefined, revision);
  const data = overview.data;
  const unfiltered = (id: string) => unappliedFilters(view, data?.appliedFilters?.[id]);

  const render: Record<string, () => unknown> = {
    kpis: () => html`<${Panel} key="kpis" id="kpis" unfiltered=${unfiltered('kpis')} title="Key numbers" wide>
      ${data
        ? html`<div class="kpis">
            <${Kpi} id="keys" label="Keys generated" value=${formatCount(data.totals.keys)} current=${data.totals.keys} previous=${data.previous.keys} />
            <${Kpi} id="errors" label="Errors" value=${formatCount(data.totals.errors)} current=${data.totals.errors} previous=${data.previous.errors} higherIsBetter=${false} />
            <${Kpi} id="success" label="Success rate" value=${formatRate(data.totals.successRate)} current=${data.totals.successRate} previous=${data.previous.successRate} />
            <${Kpi} id="p50" label="Latency p50" value=${formatNs(data.totals.p50Ns)} current=${data.totals.p50Ns} previous=${data.previous.p50Ns} higherIsBetter=${false} />
            <${Kpi} id="p99" label="Latency p99" value=${formatNs(data.totals.p99Ns)} />
            <${Kpi} id="sessions" label="Sessions" value=${formatCount(data.totals.sessions)} />
            <${Kpi} id="open-errors" label="Open error groups" value=${formatCount(data.totals.openErrorGroups)} />
            <${Kpi} id="alerts" label="Active alerts" value=${formatCount(data.totals.activeAlerts)} />
          </div>`
        : null}
    <//>`,
    keys: () =>
      html`<${Panel} key="keys" id="keys" unfiltered=${unfiltered('keys')} title="Keys over time">
        ${data ? html`<${Chart} testid="chart-keys" ...${alignSeries([{ label: 'keys', points: data.keysOverTime }], data.range)} format=${formatCount} integer />` : null}
      <//>`,
    errors: () =>
      html`<${Panel} key="errors" id="errors" unfiltered=${unfiltered('errors')} title="Errors over time">
        ${data
          ? html`<${Chart} testid="chart-errors" ...${alignSeries([{ label: 'errors', points: data.errorsOverTime }], data.range)} format=${formatCount} integer emptyText="No errors in this range." />`
          : null}
      <//>`,
    algorithms: () => html`<${Panel} key="algorithms" id="algorithms" unfiltered=${unfiltered('algorithms')} title="Top algorithms">
      ${data && data.topAlgorithms.length === 0 ? html`<${Empty} />` : null}
      ${data && data.topAlgorithms.length > 0
        ? html`<table data-testid="top-algorithms">
            <thead><tr><th>Algorithm</th><th class="num">Keys</th><th>Share</th></tr></thead>
            <tbody>
              ${data.topAlgorithms.map(
                (row) => html`<tr key=${row.algorithm}><td>${row.algorithm}</td><td class="num">${formatCount(row.keys)}</td><td><${ShareBar} share=${row.share} /></td></tr>`,
              )}
            </tbody>
          </table>`
        : null}
    <//>`,
    alerts: () => html`<${Panel} key="alerts" id="alerts" unfiltered=${unappliedFilters(view, honoursNoFilter)} title="Alerts"><${AlertsList} loaded=${alerts} /><//>`,
    recommendations: () => html`<${Panel} key="recommendations" id="recommendations" unfiltered=${unappliedFilters(view, honoursNoFilter)} title="Recommendations"><${RecommendationsList} loaded=${recommendations} /><//>`,
  };

  return html`<div class="page" data-testid="page-overview">
    ${overview.error ? html`<${Failure} error=${overview.error} />` : null}
    ${!data && overview.loading ? html`<${Loading} />` : null}
    <div class="panels">${panels.map((id) => render[id]?.())}</div>
  </div>`;
}
