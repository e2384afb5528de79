/**
 * GET /api/export.csv?page=…: a page's main tables as CSV (RFC 4180: CRLF, fields quoted when they hold a
 * comma, quote or line break, a header row per table). Several tables follow each other, each after a
 * `# <table>` comment line, separated by a blank line. Text cells that a spreadsheet would run as a formula
 * (=, +, -, @ first) get a leading apostrophe: error messages come from outside and may be hostile.
 */
import type { DashboardPage, ErrorsData, OverviewData, PerformanceData, SystemData, UsageData } from '../http/api-types.js';

type Cell = string | number | boolean | null;

export interface CsvTable {
  name: string;
  header: string[];
  rows: Cell[][];
}

function field(value: Cell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function renderCsv(tables: readonly CsvTable[]): string {
  return tables
    .map((table) => [`# ${table.name}`, table.header.map(field).join(','), ...table.rows.map((row) => row.map(field).join(','))].join('\r\n') + '\r\n')
    .join('\r\n');
}

function overviewTables(data: OverviewData): CsvTable[] {
  const totals = data.totals;
  return [
    {
      name: 'totals',
      header: ['metric', 'value', 'previous'],
      rows: [
        ['keys', totals.keys, data.previous.keys],
        ['errors', totals.errors, data.previous.errors],
        ['success rate', totals.successRate, data.previous.successRate],
        ['p50 ns', totals.p50Ns, data.previous.p50Ns],
        ['p99 ns', totals.p99Ns, null],
        ['sessions', totals.sessions, null],
        ['open error groups', totals.openErrorGroups, null],
        ['active alerts', totals.activeAlerts, null],
      ],
    },
    { name: 'top algorithms', header: ['algorithm', 'keys', 'share'], rows: data.topAlgorithms.map((row) => [row.algorithm, row.keys, row.share]) },
    { name: 'keys over time', header: ['time', 'keys'], rows: data.keysOverTime.map((point) => [point.t, point.value]) },
    { name: 'errors over time', header: ['time', 'errors'], rows: data.errorsOverTime.map((point) => [point.t, point.value]) },
  ];
}

function performanceTables(data: PerformanceData): CsvTable[] {
  return [
    {
      name: 'latency',
      header: ['algorithm', 'implementation', 'time', 'count', 'p50_ns', 'p90_ns', 'p99_ns', 'max_ns'],
      rows: data.latency.flatMap((series) =>
        series.points.map((point) => [series.algorithm, series.implementation, point.t, point.count, point.p50, point.p90, point.p99, point.max]),
      ),
    },
    {
      name: 'success rate',
      header: ['algorithm', 'ok', 'error', 'rate'],
      rows: data.successRate.byAlgorithm.map((row) => [row.algorithm, row.ok, row.error, row.rate]),
    },
    {
      name: 'bench runs',
      header: ['id', 'started_at', 'suite', 'cases', 'git_commit'],
      rows: data.benchRuns.map((run) => [run.id, run.startedAt, run.suite, run.cases, run.gitCommit]),
    },
    {
      name: 'comparison',
      header: ['case', 'verdict', 'measure', 'ratio', 'low', 'high', 'more_samples_needed', 'confidence'],
      rows: (data.comparison?.cases ?? []).map((row) => [
        row.case,
        row.verdict,
        row.measure,
        row.ratio,
        row.interval.low,
        row.interval.high,
        row.interval.low === null ? row.interval.moreSamplesNeeded : null,
        row.confidence,
      ]),
    },
  ];
}

function errorsTables(data: ErrorsData): CsvTable[] {
  return [
    {
      name: 'error groups',
      header: ['fingerprint', 'status', 'error_type', 'code', 'message', 'count', 'count_in_range', 'first_seen', 'last_seen', 'versions'],
      rows: data.groups.map((group) => [
        group.fingerprint,
        group.status,
        group.errorType,
        group.code,
        group.message,
        group.count,
        group.countInRange,
        group.firstSeen,
        group.lastSeen,
        group.versions.join(' '),
      ]),
    },
  ];
}

function usageTables(data: UsageData): CsvTable[] {
  return [
    { name: 'algorithm share', header: ['algorithm', 'keys', 'share'], rows: data.algorithmShare.algorithms.map((row) => [row.algorithm, row.keys, row.share]) },
    {
      name: 'feature adoption',
      header: ['kind', 'feature', 'sessions', 'share'],
      rows: data.featureAdoption.features.map((row) => [row.kind, row.feature, row.sessions, row.share]),
    },
    { name: 'flows', header: ['from', 'to', 'count'], rows: data.flows.map((row) => [row.from, row.to, row.count]) },
  ];
}

function systemTables(data: SystemData): CsvTable[] {
  return [
    {
      name: 'system',
      header: ['name', 'value'],
      rows: [
        ['database path', data.database.path],
        ['database bytes', data.database.bytes],
        ['events', data.database.events],
        ['oldest event', data.database.oldestEvent],
        ['newest event', data.database.newestEvent],
        ['spool files', data.spool.files],
        ['spool bytes', data.spool.bytes],
        ['events last minute', data.ingest.eventsLastMinute],
        ['keyscope', data.versions.keyscope],
        ['node', data.versions.node],
        ['openssl', data.versions.openssl],
        ['duckdb', data.versions.duckdb],
      ],
    },
    { name: 'counters', header: ['counter', 'available', 'reason'], rows: data.counters.map((row) => [row.name, row.available, row.reason]) },
  ];
}

/** The tables of `page`'s data (as its endpoint answers it). */
export function pageTables(page: DashboardPage, data: unknown): CsvTable[] {
  switch (page) {
    case 'overview':
      return overviewTables(data as OverviewData);
    case 'performance':
      return performanceTables(data as PerformanceData);
    case 'errors':
      return errorsTables(data as ErrorsData);
    case 'usage':
      return usageTables(data as UsageData);
    case 'system':
      return systemTables(data as SystemData);
  }
}
