/**
 * Everything the dashboard's endpoints read, in one place: each page's data over the analytics database (queued,
 * one at a time, opened per use), the alerts, the recommendations, the saved views, the ingest figures. The routes, the CSV
 * export and the static HTML export all read through here, so a page and its export always agree.
 */
import { resolveStorePath } from '../../store/index.js';
import { defaultAlertRulesFile, loadAlertRules } from '../../monitor/alerts/index.js';
import { collectMetricsSnapshot, createPrometheusRegistry, type MetricsSnapshot, type OtlpExport, startOtlpMetricsExport } from '../../monitor/metrics/index.js';
import { recommend } from '../../monitor/advice/index.js';
import { AlertMonitor } from '../jobs/alert-monitor.js';
import type {
  AlertsData,
  ErrorDetailData,
  ErrorsData,
  FilterOptionsData,
  OverviewData,
  PerformanceData,
  RecommendationsData,
  SystemData,
  UsageData,
} from '../http/api-types.js';
import { benchData } from './bench-data.js';
import type { DashboardDatabase, RunOptions } from '../sources/dashboard-database.js';
import { errorDetailData, errorsData, resolveErrorData } from './errors-data.js';
import { filterOptionsData } from './filters-data.js';
import type { IngestStats } from '../jobs/ingest-ticker.js';
import type { LiveUpdates } from '../http/live-updates.js';
import { overviewData } from './overview-data.js';
import type { ResolvedQuery } from '../http/page-query.js';
import { performanceData } from './performance-data.js';
import { RunStoreReader } from '../sources/run-store-reader.js';
import { systemData } from './system-data.js';
import { usageData } from './usage-data.js';

export interface PageSourcesOptions {
  database: DashboardDatabase;
  live: LiveUpdates;
  storePath?: string;
  rulesFile: string | null;
  ingestStats: () => IngestStats;
  otlpUrl?: string;
}

export class PageSources {
  readonly database: DashboardDatabase;
  readonly storePath: string;
  readonly rulesFile: string | null;
  /** Every read of the run store, one at a time and cached (run-store-reader.ts). */
  readonly runs: RunStoreReader;
  readonly #live: LiveUpdates;
  readonly #ingestStats: () => IngestStats;
  readonly #startedAt = Date.now();
  #alerts: AlertMonitor | null = null;
  readonly #registry = createPrometheusRegistry(() => this.metricsSnapshot());
  #otlp: OtlpExport | null = null;

  private constructor(options: PageSourcesOptions) {
    this.database = options.database;
    this.#live = options.live;
    this.storePath = options.storePath ?? resolveStorePath();
    this.runs = new RunStoreReader(this.storePath);
    this.rulesFile = options.rulesFile;
    this.#ingestStats = options.ingestStats;
  }

  /** Loads the alert rules (a bad file fails here, at start, with KS_ALERT_RULES_INVALID) and evaluates once. */
  static async create(options: Omit<PageSourcesOptions, 'rulesFile'> & { rulesFile?: string | null }): Promise<PageSources> {
    const rulesFile = options.rulesFile === undefined ? defaultAlertRulesFile(options.database.paths.home) : options.rulesFile;
    const config = await loadAlertRules(rulesFile);
    const sources = new PageSources({ ...options, rulesFile });
    sources.#alerts = new AlertMonitor({
      config,
      run: (work) => options.database.run(work),
      onChange: () => options.live.send({ ingested: 0, newestEvent: null, kinds: ['alerts'] }),
    });
    // Started here, before the server listens, so that a bad URL fails the start (KS_INVALID_OPTION).
    if (options.otlpUrl !== undefined) sources.#otlp = await startOtlpMetricsExport({ url: options.otlpUrl, read: () => sources.metricsSnapshot() });
    await sources.#alerts.evaluate();
    return sources;
  }

  get #monitor(): AlertMonitor {
    return this.#alerts!;
  }

  start(): void {
    this.#monitor.start();
  }

  /** After an ingest tick moved events in: the alerts may have changed (evaluated soon, not awaited, coalesced). */
  afterIngest(): void {
    this.#monitor.evaluateSoon();
  }

  async close(): Promise<void> {
    await this.#monitor.close();
    // The last push carries the final totals; a collector that is gone must not hold the shutdown up.
    await this.#otlp?.shutdown().catch((error: unknown) => {
      process.stderr.write(`keyscope dashboard: OTLP export failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
    });
  }

  /** What /metrics and the OTLP export publish, with the alerts firing now. */
  metricsSnapshot(): Promise<MetricsSnapshot> {
    return this.database.run((connection) => collectMetricsSnapshot(connection, { paths: this.database.paths, alerts: this.#monitor.alerts }));
  }

  /** The Prometheus exposition: body and content type. */
  async metrics(): Promise<{ body: string; contentType: string }> {
    return { body: await this.#registry.metrics(), contentType: this.#registry.contentType };
  }

  get currentAlerts() {
    return this.#monitor.alerts;
  }

  overview(query: ResolvedQuery, options: RunOptions = {}): Promise<OverviewData> {
    return this.database.run((connection) => overviewData(connection, query, { activeAlerts: this.#monitor.alerts.length }), options);
  }

  async performance(query: ResolvedQuery, options: RunOptions = {}): Promise<PerformanceData> {
    const bench = await benchData(this.runs, query);
    return this.database.run((connection) => performanceData(connection, query, bench), options);
  }

  errors(query: ResolvedQuery, options: RunOptions = {}): Promise<ErrorsData> {
    return this.database.run((connection) => errorsData(connection, query), options);
  }

  errorDetail(fingerprint: string): Promise<ErrorDetailData> {
    return this.database.run((connection) => errorDetailData(connection, fingerprint));
  }

  async resolveError(fingerprint: string): Promise<ErrorDetailData> {
    const detail = await this.database.run((connection) => resolveErrorData(connection, fingerprint));
    this.#live.send({ ingested: 0, newestEvent: null, kinds: ['errors'] });
    return detail;
  }

  usage(query: ResolvedQuery, options: RunOptions = {}): Promise<UsageData> {
    return this.database.run((connection) => usageData(connection, query), options);
  }

  system(options: RunOptions = {}): Promise<SystemData> {
    return this.database.run(
      (connection) => systemData(connection, { paths: this.database.paths, ingest: this.#ingestStats(), startedAt: this.#startedAt }),
      options,
    );
  }

  filters(query: ResolvedQuery, options: RunOptions = {}): Promise<FilterOptionsData> {
    return this.database.run((connection) => filterOptionsData(connection, query), options);
  }

  alerts(): AlertsData {
    const evaluatedAt = this.#monitor.evaluatedAt;
    return {
      evaluatedAt: evaluatedAt === null ? null : evaluatedAt.toISOString(),
      error: this.#monitor.error,
      alerts: [...this.#monitor.alerts],
      rulesFile: this.rulesFile,
    };
  }

  async recommendations(now = new Date()): Promise<RecommendationsData> {
    // The store's reads go through the reader (its mutex and cache), never a second open of the file.
    const store = await this.runs.view();
    const recommendations = await this.database.run((connection) => recommend({ analytics: connection, store }, { now }));
    return { evaluatedAt: now.toISOString(), recommendations };
  }
}
