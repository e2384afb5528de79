/**
 * The view in the URL: `#/<page>?range=…&algorithm=…&panels=a,b`. Parsing is forgiving (an unknown page or a
 * malformed value falls back to the default) because people edit URLs by hand; serialising is canonical (fixed
 * key order, defaults left out) so that equal views have equal URLs.
 */
import { type DashboardPage, dashboardPages, type PageQuery, type ViewState } from '../http/api-types.js';

export const relativeRanges = ['15m', '1h', '24h', '7d', '30d', '180d'] as const;
export const defaultRange = '24h';

/** Each page's panels, in default order, with the label the Panels menu shows. */
export const pagePanels: Record<DashboardPage, readonly { id: string; label: string }[]> = {
  overview: [
    { id: 'kpis', label: 'Key numbers' },
    { id: 'keys', label: 'Keys over time' },
    { id: 'errors', label: 'Errors over time' },
    { id: 'algorithms', label: 'Top algorithms' },
    { id: 'alerts', label: 'Alerts' },
    { id: 'recommendations', label: 'Recommendations' },
  ],
  performance: [
    { id: 'latency', label: 'Latency percentiles' },
    { id: 'success', label: 'Success rate' },
    { id: 'bench-history', label: 'Benchmark history' },
    { id: 'comparison', label: 'Latest comparison' },
  ],
  errors: [
    { id: 'resolution', label: 'Resolution' },
    { id: 'over-time', label: 'Errors over time' },
    { id: 'groups', label: 'Error groups' },
  ],
  usage: [
    { id: 'algorithms', label: 'Algorithm share' },
    { id: 'features', label: 'Feature adoption' },
    { id: 'sessions', label: 'Sessions' },
    { id: 'flows', label: 'Flows between commands' },
  ],
  system: [
    { id: 'database', label: 'Database' },
    { id: 'spool', label: 'Spool' },
    { id: 'ingest', label: 'Ingest' },
    { id: 'counters', label: 'Counters' },
    { id: 'host', label: 'Host' },
    { id: 'server', label: 'Server' },
    { id: 'versions', label: 'Versions' },
  ],
};

export const pageTitles: Record<DashboardPage, string> = {
  overview: 'Overview',
  performance: 'Performance',
  errors: 'Errors',
  usage: 'Usage',
  system: 'System',
};

export function defaultView(page: DashboardPage = 'overview'): ViewState {
  return { page, range: defaultRange };
}

function isPage(value: string): value is DashboardPage {
  return (dashboardPages as readonly string[]).includes(value);
}

/** A relative range we offer, or "ISO..ISO" with two valid dates in order. */
export function isValidRange(range: string): boolean {
  if ((relativeRanges as readonly string[]).includes(range)) return true;
  const parts = range.split('..');
  if (parts.length !== 2) return false;
  const [from, to] = parts.map((part) => Date.parse(part));
  return Number.isFinite(from) && Number.isFinite(to) && from! < to!;
}

/** The ids of the panels the view shows, in order: the view's own list (unknown ids dropped) or the defaults. */
export function visiblePanels(view: ViewState): string[] {
  const known = pagePanels[view.page].map((panel) => panel.id);
  if (!view.panels) return known;
  return view.panels.filter((id, index) => known.includes(id) && view.panels!.indexOf(id) === index);
}

/** Parses `#/page?query` (the leading `#` optional). */
export function parseHash(hash: string): ViewState {
  const text = hash.replace(/^#/, '').replace(/^\//, '');
  const [pagePart = '', queryPart = ''] = text.split('?', 2);
  const view = defaultView(isPage(pagePart) ? pagePart : 'overview');
  const query = new URLSearchParams(queryPart);
  const range = query.get('range');
  if (range && isValidRange(range)) view.range = range;
  for (const key of ['algorithm', 'implementation', 'operation'] as const) {
    const value = query.get(key);
    if (value) view[key] = value;
  }
  const outcome = query.get('outcome');
  if (outcome === 'ok' || outcome === 'error') view.outcome = outcome;
  const panels = query.get('panels');
  // `panels=` (empty) is a real choice: every panel hidden.
  if (panels !== null) view.panels = panels === '' ? [] : panels.split(',');
  return view;
}

/** The query string of a view: range, filters, and panels (page included when `withPage`). */
export function viewQuery(view: ViewState, options: { withPage?: boolean; withPanels?: boolean } = {}): URLSearchParams {
  const query = new URLSearchParams();
  if (options.withPage) query.set('page', view.page);
  query.set('range', view.range);
  for (const key of ['algorithm', 'implementation', 'operation', 'outcome'] as const) {
    const value = view[key];
    if (value) query.set(key, value);
  }
  if (options.withPanels !== false && view.panels) query.set('panels', view.panels.join(','));
  return query;
}

export function toHash(view: ViewState): string {
  return `#/${view.page}?${viewQuery(view).toString()}`;
}

/** What the page-data endpoints take: range and filters. */
export function pageQuery(view: ViewState): PageQuery {
  const query: PageQuery = { range: view.range };
  if (view.algorithm) query.algorithm = view.algorithm;
  if (view.implementation) query.implementation = view.implementation;
  if (view.operation) query.operation = view.operation;
  if (view.outcome) query.outcome = view.outcome;
  return query;
}

/** Moves panel `id` one place up (-1) or down (+1) among the visible panels. */
export function movePanel(view: ViewState, id: string, by: -1 | 1): ViewState {
  const panels = visiblePanels(view);
  const from = panels.indexOf(id);
  const to = from + by;
  if (from < 0 || to < 0 || to >= panels.length) return view;
  [panels[from], panels[to]] = [panels[to]!, panels[from]!];
  return { ...view, panels };
}

/** Shows (appended last) or hides panel `id`. */
export function togglePanel(view: ViewState, id: string, show: boolean): ViewState {
  const panels = visiblePanels(view).filter((panel) => panel !== id);
  if (show) panels.push(id);
  return { ...view, panels };
}
