/**
 * The dashboard app: header with the pages and the live indicator, the toolbar (range, filters, panels, saved
 * views, export), and the current page. The whole view lives in the URL hash, so every view has a URL and the
 * browser's back and forward buttons move between views. In a snapshot (an exported file) the view and data
 * are fixed: no fetch, no live stream, no saving or exporting.
 */
import { useEffect, useState } from 'preact/hooks';

import { dashboardPages, type FilterOptionsData, type ViewState } from '../http/api-types.js';
import { PanelsMenu } from './components/panels-menu.js';
import { SavedViews } from './components/saved-views.js';
import { Toolbar } from './components/toolbar.js';
import type { DataSource } from './data-source.js';
import { formatTime } from './format.js';
import { html } from './html.js';
import { ErrorsPage } from './pages/errors-page.js';
import { OverviewPage } from './pages/overview-page.js';
import type { PageProps } from './pages/page-props.js';
import { PerformancePage } from './pages/performance-page.js';
import { SystemPage } from './pages/system-page.js';
import { UsagePage } from './pages/usage-page.js';
import { useData } from './use-data.js';
import { useLive } from './use-live.js';
import { pageTitles, parseHash, toHash, viewQuery } from './view-state.js';

const pageComponents = {
  overview: OverviewPage,
  performance: PerformancePage,
  errors: ErrorsPage,
  usage: UsagePage,
  system: SystemPage,
} satisfies Record<ViewState['page'], (props: PageProps) => unknown>;

/** The view from the URL, kept in step with it: navigation writes the hash, the hash drives the view. */
function useHashView(): [ViewState, (view: ViewState) => void] {
  const [view, setView] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onHash = () => setView(parseHash(location.hash));
    window.addEventListener('hashchange', onHash);
    // The hash can change between the first render and this effect (a link followed while the app starts): its
    // hashchange came before the listener. Read it again, rather than writing the first render's view back over it.
    const current = parseHash(location.hash);
    if (toHash(current) !== toHash(view)) setView(current);
    // A bare or hand-edited URL is rewritten to its canonical form without adding a history entry.
    if (location.hash !== toHash(current)) history.replaceState(null, '', toHash(current));
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const navigate = (next: ViewState) => {
    const hash = toHash(next);
    if (hash !== location.hash) location.hash = hash; // a history entry; hashchange then updates the state
  };
  return [view, navigate];
}

function LiveIndicator(props: { status: string; lastUpdate: Date | null }) {
  return html`<span class="live-indicator">
    <span class=${`live-dot ${props.status}`} data-testid="live-status" data-status=${props.status}>${props.status === 'live' ? 'live' : props.status}</span>
    <span class="muted" data-testid="last-update">${props.lastUpdate ? `updated ${formatTime(props.lastUpdate.toISOString()).slice(11)}` : ''}</span>
  </span>`;
}

function Header(props: { view: ViewState; snapshot: boolean; right: unknown }) {
  const { view } = props;
  return html`<header class="header">
    <span class="brand">keyscope</span>
    <nav>
      ${dashboardPages.map((page) => {
        const current = page === view.page;
        // Range and filters carry over; panels belong to a page.
        const target = toHash({ ...view, page, panels: undefined });
        if (props.snapshot && !current) return html`<span key=${page} class="nav-link disabled">${pageTitles[page]}</span>`;
        return html`<a key=${page} href=${target} class=${current ? 'nav-link current' : 'nav-link'} data-testid=${`nav-${page}`} aria-current=${current ? 'page' : undefined}>${pageTitles[page]}</a>`;
      })}
    </nav>
    <span class="header-right">${props.right}</span>
  </header>`;
}

export function LiveApp(props: { source: DataSource }) {
  const { source } = props;
  const [view, navigate] = useHashView();
  const live = useLive(true);
  const filters = useData<FilterOptionsData>(source, '/api/filters', new URLSearchParams({ range: view.range }), live.revision);
  const Page = pageComponents[view.page];
  const exportQuery = viewQuery(view, { withPage: true }).toString();
  useEffect(() => {
    document.title = `${pageTitles[view.page]} · keyscope dashboard`;
  }, [view.page]);

  return html`<div class="app" data-testid="app" data-mode="live">
    <${Header} view=${view} snapshot=${false} right=${html`<${LiveIndicator} status=${live.status} lastUpdate=${live.lastUpdate} />`} />
    <div class="bar">
      <${Toolbar} view=${view} filters=${filters} onChange=${navigate} />
      <div class="actions">
        <${PanelsMenu} view=${view} onChange=${navigate} />
        <${SavedViews} source=${source} view=${view} revision=${live.viewsRevision} onOpen=${navigate} />
        <a class="button" data-testid="export-html" href=${`/export.html?${exportQuery}`} download>Export HTML</a>
        <a class="button" data-testid="export-csv" href=${`/api/export.csv?${exportQuery}`} download>Export CSV</a>
      </div>
    </div>
    <main>
      <h1>${pageTitles[view.page]}</h1>
      <${Page} view=${view} source=${source} revision=${live.revision} />
    </main>
  </div>`;
}

export function SnapshotApp(props: { source: DataSource }) {
  const snapshot = props.source.snapshot!;
  const view = snapshot.view;
  const Page = pageComponents[view.page] ?? OverviewPage;
  const filters = [view.algorithm, view.implementation, view.operation, view.outcome].filter(Boolean).join(' · ');
  useEffect(() => {
    document.title = `${pageTitles[view.page]} · keyscope snapshot ${formatTime(snapshot.generatedAt)}`;
  }, []);
  return html`<div class="app" data-testid="app" data-mode="snapshot">
    <${Header} view=${view} snapshot=${true} right=${html`<span class="badge muted" data-testid="snapshot-badge">snapshot</span>`} />
    <div class="bar snapshot-bar" data-testid="snapshot-info">
      Exported ${formatTime(snapshot.generatedAt)} · range ${view.range}${filters ? ` · ${filters}` : ''} · a static copy: no live updates.
    </div>
    <main>
      <h1>${pageTitles[view.page]}</h1>
      <${Page} view=${view} source=${props.source} revision=${0} />
    </main>
  </div>`;
}
