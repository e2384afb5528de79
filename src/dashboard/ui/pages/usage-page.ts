/** Usage: algorithm share, feature adoption, sessions, and flows between commands. */
import type { UsageData } from '../../http/api-types.js';
import { alignSeries } from '../chart-data.js';
import { Chart } from '../components/chart.js';
import { Kpi } from '../components/kpi.js';
import { unappliedFilters } from '../components/filter-note.js';
import { Empty, Failure, Loading, Panel } from '../components/panel.js';
import { ShareBar } from '../components/share-bar.js';
import { formatCount, formatMs } from '../format.js';
import { html } from '../html.js';
import { useData } from '../use-data.js';
import { viewQuery, visiblePanels } from '../view-state.js';
import type { PageProps } from './page-props.js';

export function UsagePage({ view, source, revision }: PageProps) {
  const loaded = useData<UsageData>(source, '/api/usage', viewQuery(view, { withPanels: false }), revision);
  const data = loaded.data;
  const unfiltered = (id: string) => unappliedFilters(view, data?.appliedFilters?.[id]);

  const render: Record<string, () => unknown> = {
    algorithms: () => html`<${Panel} key="algorithms" id="algorithms" unfiltered=${unfiltered('algorithms')} title="Algorithm share">
      ${data && data.algorithmShare.algorithms.length === 0 ? html`<${Empty} />` : null}
      ${data && data.algorithmShare.algorithms.length > 0
        ? html`<p class="muted">${formatCount(data.algorithmShare.total)} keys</p>
            <table data-testid="algorithm-share">
              <thead><tr><th>Algorithm</th><th class="num">Keys</th><th>Share</th></tr></thead>
              <tbody>
                ${data.algorithmShare.algorithms.map(
                  (row) => html`<tr key=${row.algorithm}><td>${row.algorithm}</td><td class="num">${formatCount(row.keys)}</td><td><${ShareBar} share=${row.share} /></td></tr>`,
                )}
              </tbody>
            </table>`
        : null}
    <//>`,
    features: () => html`<${Panel} key="features" id="features" unfiltered=${unfiltered('features')} title="Feature adoption">
      ${data && data.featureAdoption.features.length === 0 ? html`<${Empty} />` : null}
      ${data && data.featureAdoption.features.length > 0
        ? html`<p class="muted">Share of ${formatCount(data.featureAdoption.sessions)} sessions that used each feature</p>
            <table data-testid="feature-adoption">
              <thead><tr><th>Kind</th><th>Feature</th><th class="num">Sessions</th><th>Share</th></tr></thead>
              <tbody>
                ${data.featureAdoption.features.map(
                  (row) => html`<tr key=${`${row.kind}:${row.feature}`}><td>${row.kind}</td><td><code>${row.feature}</code></td><td class="num">${formatCount(row.sessions)}</td><td><${ShareBar} share=${row.share} /></td></tr>`,
                )}
              </tbody>
            </table>`
        : null}
    <//>`,
    sessions: () => {
      const aligned = data ? alignSeries([{ label: 'sessions', points: data.sessions.overTime }], data.range) : null;
      return html`<${Panel} key="sessions" id="sessions" unfiltered=${unfiltered('sessions')} title="Sessions">
        ${data
          ? html`<div class="kpis">
                <${Kpi} id="session-count" label="Sessions" value=${formatCount(data.sessions.count)} />
                <${Kpi} id="session-p50" label="Duration p50" value=${formatMs(data.sessions.p50Ms)} />
                <${Kpi} id="session-p90" label="Duration p90" value=${formatMs(data.sessions.p90Ms)} />
                <${Kpi} id="session-max" label="Longest" value=${formatMs(data.sessions.maxMs)} />
              </div>
              <${Chart} testid="chart-sessions" ...${aligned} format=${formatCount} integer height=${180} />`
          : null}
      <//>`;
    },
    flows: () => html`<${Panel} key="flows" id="flows" unfiltered=${unfiltered('flows')} title="Flows between commands">
      ${data && data.flows.length === 0 ? html`<${Empty} />` : null}
      ${data && data.flows.length > 0
        ? html`<table data-testid="flows">
            <thead><tr><th>From</th><th></th><th>To</th><th class="num">Times</th></tr></thead>
            <tbody>
              ${data.flows.map(
                (flow) => html`<tr key=${`${flow.from}>${flow.to}`}><td><code>${flow.from}</code></td><td>→</td><td><code>${flow.to}</code></td><td class="num">${formatCount(flow.count)}</td></tr>`,
              )}
            </tbody>
          </table>`
        : null}
    <//>`,
  };

  return html`<div class="page" data-testid="page-usage">
    ${loaded.error ? html`<${Failure} error=${loaded.error} />` : null}
    ${!data && loaded.loading ? html`<${Loading} />` : null}
    <div class="panels">${visiblePanels(view).map((id) => render[id]?.())}</div>
  </div>`;
}
