/**
 * Errors: resolution summary, errors over time, the groups table; a click opens a group's detail (stack,
 * context, occurrences) where it can be resolved. Messages and stacks come from the data and are rendered as
 * text only.
 */
import { useEffect, useState } from 'preact/hooks';

import type { ErrorDetailData, ErrorsData } from '../../http/api-types.js';
import { alignSeries } from '../chart-data.js';
import { Chart } from '../components/chart.js';
import { Kpi } from '../components/kpi.js';
import { unappliedFilters } from '../components/filter-note.js';
import { Empty, Failure, Loading, Panel } from '../components/panel.js';
import { ApiFailure, type DataSource } from '../data-source.js';
import { formatCount, formatRate, formatTime } from '../format.js';
import { html } from '../html.js';
import { useData } from '../use-data.js';
import { viewQuery, visiblePanels } from '../view-state.js';
import type { PageProps } from './page-props.js';

function StatusBadge(props: { status: string }) {
  return html`<span class=${`badge status-${props.status}`} data-testid="error-status">${props.status}</span>`;
}

function ErrorDetail(props: { source: DataSource; fingerprint: string; revision: number; onClose: () => void; onResolved: () => void }) {
  const { source, fingerprint } = props;
  const loaded = useData<ErrorDetailData>(source, `/api/errors/${encodeURIComponent(fingerprint)}`, undefined, props.revision);
  const [detail, setDetail] = useState<ErrorDetailData | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDetail(loaded.data), [loaded.data]);

  const resolve = () => {
    setBusy(true);
    setFailure(null);
    source.send<ErrorDetailData>('POST', `/api/errors/${encodeURIComponent(fingerprint)}/resolve`).then(
      (updated) => {
        setDetail(updated);
        setBusy(false);
        props.onResolved();
      },
      (error: unknown) => {
        setFailure(error instanceof ApiFailure ? error : new ApiFailure(0, 'KS_NETWORK', String(error)));
        setBusy(false);
      },
    );
  };

  const shown = detail ?? loaded.data;
  return html`<section class="panel wide detail" data-testid="error-detail">
    <div class="detail-head">
      <h2>Error group <code>${fingerprint}</code></h2>
      <button type="button" data-testid="error-detail-close" onClick=${props.onClose}>Close</button>
    </div>
    ${loaded.error && !shown ? html`<${Failure} error=${loaded.error} />` : null}
    ${failure ? html`<${Failure} error=${failure} />` : null}
    ${!shown && !loaded.error ? html`<${Loading} />` : null}
    ${shown
      ? html`<p class="message" data-testid="error-detail-message">${shown.message}</p>
          <dl class="evidence">
            <dt>Status</dt><dd><${StatusBadge} status=${shown.status} />${shown.resolvedAt ? ` resolved ${formatTime(shown.resolvedAt)}` : ''}</dd>
            <dt>Type</dt><dd>${shown.errorType}</dd>
            <dt>Code</dt><dd><code>${shown.code ?? '—'}</code></dd>
            ${shown.opensslReason ? html`<dt>OpenSSL</dt><dd>${shown.opensslReason}</dd>` : null}
            <dt>Count</dt><dd>${formatCount(shown.count)}</dd>
            <dt>First seen</dt><dd>${formatTime(shown.firstSeen)}</dd>
            <dt>Last seen</dt><dd>${formatTime(shown.lastSeen)}</dd>
            <dt>Versions</dt><dd>${shown.versions.join(', ') || '—'}</dd>
          </dl>
          ${source.snapshot || shown.status === 'resolved'
            ? null
            : html`<button type="button" class="primary" data-testid="error-resolve" disabled=${busy} onClick=${resolve}>Resolve</button>`}
          <h3>Latest stack</h3>
          ${shown.latestStack.length > 0 ? html`<pre class="stack" data-testid="error-stack">${shown.latestStack.join('\n')}</pre>` : html`<${Empty} text="No stack recorded." />`}
          <h3>Occurrences</h3>
          <table data-testid="error-occurrences">
            <thead><tr><th>Time</th><th>Operation</th><th>Algorithm</th><th>keyscope</th><th>Node</th><th>OpenSSL</th></tr></thead>
            <tbody>
              ${shown.occurrences.map(
                (o, i) => html`<tr key=${i}><td>${formatTime(o.time)}</td><td>${o.operation}</td><td>${o.algorithm ?? '—'}</td><td>${o.keyscopeVersion}</td><td>${o.nodeVersion}</td><td>${o.opensslVersion}</td></tr>`,
              )}
            </tbody>
          </table>`
      : null}
  </section>`;
}

export function ErrorsPage({ view, source, revision }: PageProps) {
  const [localRevision, setLocalRevision] = useState(0);
  const loaded = useData<ErrorsData>(source, '/api/errors', viewQuery(view, { withPanels: false }), revision + localRevision);
  const [selected, setSelected] = useState<string | null>(null);
  const data = loaded.data;
  const unfiltered = (id: string) => unappliedFilters(view, data?.appliedFilters?.[id]);
  // A snapshot carries the groups, not each group's detail.
  const canOpen = !source.snapshot;

  const render: Record<string, () => unknown> = {
    resolution: () => html`<${Panel} key="resolution" id="resolution" unfiltered=${unfiltered('resolution')} title="Resolution">
      ${data
        ? html`<div class="kpis">
            <${Kpi} id="groups" label="Groups" value=${formatCount(data.resolution.groups)} />
            <${Kpi} id="open" label="Open" value=${formatCount(data.resolution.open)} />
            <${Kpi} id="regressed" label="Regressed" value=${formatCount(data.resolution.regressed)} />
            <${Kpi} id="resolved" label="Resolved" value=${formatCount(data.resolution.resolved)} />
            <${Kpi} id="resolution-rate" label="Resolution rate" value=${formatRate(data.resolution.rate)} />
          </div>`
        : null}
    <//>`,
    'over-time': () =>
      html`<${Panel} key="over-time" id="over-time" unfiltered=${unfiltered('over-time')} title="Errors over time">
        ${data
          ? html`<${Chart} testid="chart-errors-over-time" ...${alignSeries([{ label: 'errors', points: data.overTime }], data.range)} format=${formatCount} integer emptyText="No errors in this range." />`
          : null}
      <//>`,
    groups: () => html`<${Panel} key="groups" id="groups" unfiltered=${unfiltered('groups')} title="Error groups" wide>
      ${data && data.groups.length === 0 ? html`<${Empty} />` : null}
      ${data && data.groups.length > 0
        ? html`<table class=${canOpen ? 'clickable' : ''} data-testid="error-groups">
            <thead><tr><th>Status</th><th>Code</th><th>Message</th><th class="num">In range</th><th class="num">Total</th><th>First seen</th><th>Last seen</th><th>Versions</th></tr></thead>
            <tbody>
              ${data.groups.map(
                (group) => html`<tr key=${group.fingerprint} data-testid="error-group" data-fingerprint=${group.fingerprint}
                    class=${selected === group.fingerprint ? 'selected' : ''} tabIndex=${canOpen ? 0 : undefined}
                    onClick=${canOpen ? () => setSelected(group.fingerprint) : undefined}
                    onKeyDown=${canOpen ? (event: KeyboardEvent) => event.key === 'Enter' && setSelected(group.fingerprint) : undefined}>
                  <td><${StatusBadge} status=${group.status} /></td>
                  <td><code>${group.code ?? group.errorType}</code></td>
                  <td class="message" data-testid="error-group-message">${group.message}</td>
                  <td class="num">${formatCount(group.countInRange)}</td>
                  <td class="num">${formatCount(group.count)}</td>
                  <td>${formatTime(group.firstSeen)}</td>
                  <td>${formatTime(group.lastSeen)}</td>
                  <td>${group.versions.join(', ')}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : null}
    <//>`,
  };

  return html`<div class="page" data-testid="page-errors">
    ${loaded.error ? html`<${Failure} error=${loaded.error} />` : null}
    ${!data && loaded.loading ? html`<${Loading} />` : null}
    ${selected
      ? html`<${ErrorDetail} key=${selected} source=${source} fingerprint=${selected} revision=${revision + localRevision}
          onClose=${() => setSelected(null)} onResolved=${() => setLocalRevision((n) => n + 1)} />`
      : null}
    <div class="panels">${visiblePanels(view).map((id) => render[id]?.())}</div>
  </div>`;
}
