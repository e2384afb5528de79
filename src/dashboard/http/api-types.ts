/**
 * The JSON the dashboard server sends and the browser app reads: one interface per endpoint. Times are ISO
 * strings, durations nanoseconds unless a name says otherwise. The browser bundle imports these as types only.
 *
 * Every request needs the access token: `?token=` on the first page load (the server answers with an HttpOnly,
 * SameSite=Strict cookie and redirects to the same URL without the token), the cookie afterwards, or an
 * `Authorization: Bearer <token>` header (scripts, Prometheus). Anything else is 401.
 */
import type { Alert } from '../../monitor/alerts/types.js';
import type { Recommendation } from '../../monitor/advice/types.js';

/** The dashboard's pages, in menu order; each is a route `/#/<page>` of the app. */
export const dashboardPages = ['overview', 'performance', 'errors', 'usage', 'system'] as const;
export type DashboardPage = (typeof dashboardPages)[number];

/**
 * What a view is: the page, its time range, filters and panels. Serialised into the URL's query string
 * (`/#/performance?range=7d&algorithm=rsa-2048&panels=latency,success`) so every view has a URL, and stored
 * under a name by /api/views.
 */
export interface ViewState {
  page: DashboardPage;
  /** A relative range ("15m", "1h", "24h", "7d", "30d", "180d") or an absolute "ISO..ISO". Default "24h". */
  range: string;
  algorithm?: string;
  implementation?: string;
  operation?: string;
  outcome?: 'ok' | 'error';
  /** Panel ids of the page, in display order; absent means the page's default panels. */
  panels?: string[];
}

/** Query parameters of every page-data endpoint: ViewState minus page and panels (range, filters). */
export type PageQuery = Omit<ViewState, 'page' | 'panels'>;

/** The resolved time range and the bucket the server chose for it (minute up to 6 h, hour up to 14 d, day beyond). */
export interface ResolvedRange {
  since: string;
  until: string;
  bucket: 'minute' | 'hour' | 'day';
}

/** A filter of the toolbar. */
export type FilterName = 'algorithm' | 'implementation' | 'operation' | 'outcome';

/**
 * Per panel id of a page, the filters that panel's numbers honour; a filter that is set but not listed does not
 * narrow that panel (a session has no algorithm, an error no implementation), and the app says so on the panel.
 */
export type AppliedFilters = Record<string, FilterName[]>;

export interface Point {
  /** Bucket start. */
  t: string;
  value: number;
}

export interface LatencySeries {
  algorithm: string;
  implementation: string | null;
  /** Oldest first; buckets without events are absent. */
  points: { t: string; count: number; p50: number; p90: number; p99: number; max: number }[];
}

/** GET /api/overview */
export interface OverviewData {
  range: ResolvedRange;
  appliedFilters: AppliedFilters;
  totals: {
    keys: number;
    errors: number;
    /** 0..1 over keygen.timing events; null when there were none. */
    successRate: number | null;
    /** Over every algorithm in the range; null without timings. */
    p50Ns: number | null;
    p99Ns: number | null;
    sessions: number;
    openErrorGroups: number;
    activeAlerts: number;
  };
  /** The same totals over the previous range of equal length, for the trend arrows. */
  previous: { keys: number; errors: number; successRate: number | null; p50Ns: number | null };
  keysOverTime: Point[];
  errorsOverTime: Point[];
  topAlgorithms: { algorithm: string; keys: number; share: number }[];
}

/** GET /api/performance */
export interface PerformanceData {
  range: ResolvedRange;
  appliedFilters: AppliedFilters;
  latency: LatencySeries[];
  successRate: {
    overall: { ok: number; error: number; rate: number };
    byAlgorithm: { algorithm: string; ok: number; error: number; rate: number }[];
    overTime: { algorithm: string; t: string; ok: number; error: number; rate: number }[];
  };
  /** Stored benchmark runs in the range, newest first (at most 50); empty when there is no run store. */
  benchRuns: {
    id: string;
    startedAt: string;
    suite: string;
    cases: number;
    gitCommit: string | null;
    /** Per case median ns, for the history chart. */
    medians: { case: string; medianNs: number }[];
  }[];
  /** The newest run compared with the one before it (keyscope compare's verdicts); null with fewer than two runs. */
  comparison: {
    baseline: string;
    candidate: string;
    cases: ComparedCase[];
  } | null;
}

/** One case of the Performance page's comparison: its verdict and the ratio that verdict rests on. */
export interface ComparedCase {
  case: string;
  verdict: 'regressed' | 'improved' | 'unchanged' | 'inconclusive';
  /** What the ratio is of: time per key, or (RSA, when it decided the verdict) time per prime candidate. */
  measure: 'per key' | 'per candidate';
  /** candidate / baseline: above 1 is slower. */
  ratio: number;
  /**
   * The interval's confidence, as the comparison computed it (0.99 by default; 0.995 for an RSA case judged per
   * key and per candidate, each look at half the error rate).
   */
  confidence: number;
  /**
   * The ratio's interval at `confidence`. low and high are null when the samples are too few to bound it; then
   * moreSamplesNeeded says how many more a side would (null when that cannot be told).
   */
  interval: { low: number; high: number } | { low: null; high: null; moreSamplesNeeded: number | null };
}

/** GET /api/errors */
export interface ErrorsData {
  range: ResolvedRange;
  appliedFilters: AppliedFilters;
  groups: {
    fingerprint: string;
    errorType: string;
    code: string | null;
    message: string;
    count: number;
    /** Occurrences inside the range. */
    countInRange: number;
    firstSeen: string;
    lastSeen: string;
    status: 'open' | 'resolved' | 'regressed';
    versions: string[];
  }[];
  overTime: Point[];
  resolution: { groups: number; open: number; resolved: number; regressed: number; rate: number };
}

/** GET /api/errors/:fingerprint */
export interface ErrorDetailData {
  fingerprint: string;
  errorType: string;
  code: string | null;
  message: string;
  opensslReason: string | null;
  status: 'open' | 'resolved' | 'regressed';
  count: number;
  firstSeen: string;
  lastSeen: string;
  versions: string[];
  resolvedAt: string | null;
  latestStack: string[];
  occurrences: { time: string; operation: string; algorithm: string | null; keyscopeVersion: string; nodeVersion: string; opensslVersion: string }[];
}
/** POST /api/errors/:fingerprint/resolve answers with the updated ErrorDetailData. */

/** GET /api/usage */
export interface UsageData {
  range: ResolvedRange;
  appliedFilters: AppliedFilters;
  algorithmShare: { total: number; algorithms: { algorithm: string; keys: number; share: number }[] };
  featureAdoption: { sessions: number; features: { kind: 'command' | 'option' | 'api'; feature: string; sessions: number; share: number }[] };
  sessions: { count: number; p50Ms: number; p90Ms: number; maxMs: number; overTime: Point[] };
  flows: { from: string; to: string; count: number }[];
}

/** GET /api/system */
export interface SystemData {
  database: { path: string; bytes: number; events: number; oldestEvent: string | null; newestEvent: string | null };
  spool: { files: number; bytes: number; waitingForWriter: number };
  ingest: { lastTickAt: string | null; eventsLastMinute: number; eventsPerSecond: number };
  counters: { name: string; available: boolean; reason: string | null }[];
  host: { platform: string; arch: string; cpus: number; cpuModel: string; loadAverage: [number, number, number]; totalMemoryBytes: number; freeMemoryBytes: number };
  server: { rssBytes: number; heapUsedBytes: number; uptimeSeconds: number };
  versions: { keyscope: string; node: string; openssl: string; duckdb: string };
}

/** GET /api/alerts */
export interface AlertsData {
  /** Null until an evaluation has succeeded. */
  evaluatedAt: string | null;
  /** Why the latest evaluation failed (alerts are then those of the last success); null when it succeeded. */
  error: { code: string; message: string } | null;
  alerts: Alert[];
  /** Where the rules came from: the built-in set, plus the file when one is configured. */
  rulesFile: string | null;
}

/** GET /api/recommendations */
export interface RecommendationsData {
  evaluatedAt: string;
  recommendations: Recommendation[];
}

/** GET /api/views; PUT /api/views/:name with a ViewState body; DELETE /api/views/:name. */
export interface SavedViewsData {
  views: { name: string; state: ViewState; savedAt: string }[];
}

/** GET /api/filters: values for the filter menus, from the data in the range. */
export interface FilterOptionsData {
  algorithms: string[];
  implementations: string[];
  /** One entry per operation: an API (generateKeyPair, ...) or a CLI command (keygen, runs list, ...). */
  operations: { name: string; kind: 'api' | 'command' }[];
}

/**
 * GET /api/live (text/event-stream). One `change` event whenever an ingest tick (every second) moved new events
 * in, or an error status or saved view changed; the app refetches the current page's data on it.
 */
export interface LiveChange {
  /** Events ingested by this tick. */
  ingested: number;
  /** Newest event time in the database. */
  newestEvent: string | null;
  /** What changed: the app refetches only the pages that show it. */
  kinds: ('events' | 'errors' | 'views' | 'alerts')[];
}

/** A one-line error body for every 4xx/5xx answer. */
export interface ApiError {
  error: { code: string; message: string };
}
