/** System: database, spool, ingest, counters, host, server process and versions. */
import type { SystemData } from '../../http/api-types.js';
import { Failure, Loading, Panel } from '../components/panel.js';
import { formatBytes, formatCount, formatSeconds, formatTime } from '../format.js';
import { html } from '../html.js';
import { useData } from '../use-data.js';
import { viewQuery, visiblePanels } from '../view-state.js';
import type { PageProps } from './page-props.js';

function Facts(props: { testid: string; rows: [string, unknown][] }) {
  return html`<dl class="facts" data-testid=${props.testid}>
    ${props.rows.map(([name, value]) => html`<dt key=${`${name}-t`}>${name}</dt><dd key=${`${name}-d`}>${value}</dd>`)}
  </dl>`;
}

export function SystemPage({ view, source, revision }: PageProps) {
  const loaded = useData<SystemData>(source, '/api/system', viewQuery(view, { withPanels: false }), revision);
  const data = loaded.data;
  const panel = (id: string, title: string, body: (data: SystemData) => unknown) => html`<${Panel} key=${id} id=${id} title=${title}>${data ? body(data) : null}<//>`;

  const render: Record<string, () => unknown> = {
    database: () =>
      panel('database', 'Database', (d) => html`<${Facts} testid="facts-database" rows=${[
        ['Path', html`<code>${d.database.path}</code>`],
        ['Size', formatBytes(d.database.bytes)],
        ['Events', formatCount(d.database.events)],
        ['Oldest event', formatTime(d.database.oldestEvent)],
        ['Newest event', formatTime(d.database.newestEvent)],
      ]} />`),
    spool: () =>
      panel('spool', 'Spool', (d) => html`<${Facts} testid="facts-spool" rows=${[
        ['Files', formatCount(d.spool.files)],
        ['Size', formatBytes(d.spool.bytes)],
        ['Waiting for the writer', formatCount(d.spool.waitingForWriter)],
      ]} />`),
    ingest: () =>
      panel('ingest', 'Ingest', (d) => html`<${Facts} testid="facts-ingest" rows=${[
        ['Last tick', formatTime(d.ingest.lastTickAt)],
        ['Events in the last minute', formatCount(d.ingest.eventsLastMinute)],
        ['Events per second', d.ingest.eventsPerSecond.toFixed(2)],
      ]} />`),
    counters: () =>
      panel('counters', 'Counters', (d) => html`<table data-testid="counters">
        <thead><tr><th>Counter</th><th>Available</th><th>Why not</th></tr></thead>
        <tbody>
          ${d.counters.map(
            (c) => html`<tr key=${c.name}><td><code>${c.name}</code></td><td><span class=${`badge ${c.available ? 'status-resolved' : 'status-open'}`}>${c.available ? 'yes' : 'no'}</span></td><td>${c.reason ?? ''}</td></tr>`,
          )}
        </tbody>
      </table>`),
    host: () =>
      panel('host', 'Host', (d) => html`<${Facts} testid="facts-host" rows=${[
        ['Platform', `${d.host.platform} ${d.host.arch}`],
        ['CPUs', `${d.host.cpus} × ${d.host.cpuModel}`],
        ['Load average', d.host.loadAverage.map((n) => n.toFixed(2)).join(' · ')],
        ['Memory', `${formatBytes(d.host.totalMemoryBytes - d.host.freeMemoryBytes)} used of ${formatBytes(d.host.totalMemoryBytes)}`],
      ]} />`),
    server: () =>
      panel('server', 'Server', (d) => html`<${Facts} testid="facts-server" rows=${[
        ['Resident memory', formatBytes(d.server.rssBytes)],
        ['Heap used', formatBytes(d.server.heapUsedBytes)],
        ['Up for', formatSeconds(d.server.uptimeSeconds)],
      ]} />`),
    versions: () =>
      panel('versions', 'Versions', (d) => html`<${Facts} testid="facts-versions" rows=${[
        ['keyscope', d.versions.keyscope],
        ['Node.js', d.versions.node],
        ['OpenSSL', d.versions.openssl],
        ['DuckDB', d.versions.duckdb],
      ]} />`),
  };

  return html`<div class="page" data-testid="page-system">
    ${loaded.error ? html`<${Failure} error=${loaded.error} />` : null}
    ${!data && loaded.loading ? html`<${Loading} />` : null}
    <div class="panels">${visiblePanels(view).map((id) => render[id]?.())}</div>
  </div>`;
}
