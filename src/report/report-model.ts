/**
 * Builds the report's view model (report-types.ts) from runs, their comparison and their history: the one
 * place that reads RunRecords, so the page and its tests see only the model.
 */
import type { CaseResult, CompletedCase, EnvironmentFingerprint, RunRecord, SampleSummary } from '../model/index.js';
import { caseLabels, caseLocation, referenceOf, type RunComparison, type RunReference, seriesChanges } from '../compare/index.js';
import type { CounterName, Counters } from '../core/index.js';
import { caseGroups, comparisonGroupOrder } from './case-groups.js';
import { type DecodedCase, histogramEdges, histogramFractions, percentileCurve, percentileGrid, readHistogram } from './case-distribution.js';
import { type CaseEntry, caseComparison, caseIdentity, finite, linkComparison, runtimesOf } from './report-comparison.js';
import {
  REPORT_MODEL_VERSION,
  type ReportCase,
  type ReportCaseResult,
  type ReportChange,
  type ReportCompletedResult,
  type ReportCounter,
  type ReportEnvironmentRow,
  type ReportInput,
  type ReportMedianSeries,
  type ReportModel,
  type ReportRun,
  type ReportSummary,
} from './report-types.js';

// Where callers of buildReportModel look for its input and output types.
export type { ReportInput, ReportModel } from './report-types.js';

function reportSummary(s: SampleSummary): ReportSummary {
  return {
    count: s.count,
    min: finite(s.min),
    max: finite(s.max),
    mean: finite(s.mean),
    stddev: finite(s.stddev),
    median: finite(s.median),
    p90: finite(s.p90),
    p99: finite(s.p99),
    p999: finite(s.p999),
    mad: finite(s.mad),
    low: finite(s.medianInterval.low),
    high: finite(s.medianInterval.high),
    confidence: s.medianInterval.confidence,
  };
}

/** Counters in a fixed order (hardware, software, rusage, memory as counters.ts lists them). */
const COUNTER_ORDER: readonly CounterName[] = [
  'cycles',
  'instructions',
  'branch-misses',
  'cache-misses',
  'task-clock',
  'page-faults',
  'context-switches',
  'cpu-migrations',
  'user-time',
  'system-time',
  'minor-faults',
  'major-faults',
  'voluntary-switches',
  'involuntary-switches',
  'rss-before',
  'rss-after',
  'peak-rss',
  'heap-before',
  'heap-after',
];

function reportCounters(counters: Counters): ReportCounter[] {
  const names = Object.keys(counters) as CounterName[];
  const rank = (name: CounterName) => {
    const index = COUNTER_ORDER.indexOf(name);
    return index < 0 ? COUNTER_ORDER.length : index;
  };
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const out: ReportCounter[] = [];
  for (const name of names) {
    const c = counters[name];
    if (!c) continue;
    const common = { name, group: c.group, unit: c.unit };
    if (c.available && Number.isFinite(c.value)) out.push({ ...common, available: true, value: c.value, scaled: c.scaled });
    else out.push({ ...common, available: false, reason: c.available ? 'not a finite number' : c.reason });
  }
  return out;
}

function completedResult(c: CompletedCase): ReportCompletedResult {
  return {
    state: 'completed',
    ns: reportSummary(c.summary.ns),
    cycles: c.summary.cycles ? reportSummary(c.summary.cycles) : null,
    perCandidate: c.summary.nsPerCandidate ? reportSummary(c.summary.nsPerCandidate) : null,
    precision: { target: c.precision.target, reached: finite(c.precision.reached), stoppedBy: c.precision.stoppedBy },
    throughput: finite(c.throughput),
    timer: { ns: finite(c.timer.ns), cycles: finite(c.timer.cycles), samples: c.timer.samples },
    counters: reportCounters(c.counters),
    percentiles: null,
    histogram: null,
    histogramAbove: null,
    distributionProblem: null,
  };
}

function caseResult(c: CaseResult | undefined): ReportCaseResult {
  if (!c) return { state: 'absent' };
  if (c.state === 'errored') return { state: 'errored', code: c.error.code, message: c.error.message };
  if (c.state === 'skipped') return { state: 'skipped', reason: c.reason };
  return completedResult(c);
}

/**
 * Each run's series name: its label where labels tell the runs apart, else the label with a short id, or
 * with its position when even short ids repeat.
 */
function runNames(runs: readonly RunRecord[]): string[] {
  const labels = runs.map((r) => r.label ?? '');
  const shorts = runs.map((r) => r.id.slice(0, 8));
  const count = (values: string[], value: string) => values.filter((v) => v === value).length;
  return runs.map((_, i) => {
    const label = labels[i]!;
    if (label !== '' && count(labels, label) === 1) return label;
    const short = count(shorts, shorts[i]!) === 1 ? shorts[i]! : `#${i + 1}`;
    return label === '' ? (short.startsWith('#') ? `run ${short}` : short) : `${label} (${short})`;
  });
}

function fingerprintValue(value: EnvironmentFingerprint[keyof EnvironmentFingerprint]): string {
  if (value === null) return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.join(' ');
  return String(value);
}

const FINGERPRINT_FIELDS: readonly (keyof EnvironmentFingerprint)[] = [
  'cpuModel',
  'cores',
  'governor',
  'boost',
  'pinnedCpu',
  'handicap',
  'kernel',
  'platform',
  'arch',
  'node',
  'openssl',
  'keyscope',
  'addonBuild',
  'cycleCounter',
  'countersAvailable',
  'cpuFlags',
];

function environmentRows(runs: readonly RunRecord[]): ReportEnvironmentRow[] {
  return FINGERPRINT_FIELDS.map((field) => {
    const values = runs.map((r) => fingerprintValue(r.environment[field]));
    return { field, values, differs: values.some((v) => v !== values[0]) };
  });
}

function medianSeries(length: number): ReportMedianSeries {
  return { median: new Array<null>(length).fill(null), low: new Array<null>(length).fill(null), high: new Array<null>(length).fill(null) };
}

function setMedian(series: ReportMedianSeries, index: number, s: SampleSummary): void {
  series.median[index] = finite(s.median);
  series.low[index] = finite(s.medianInterval.low);
  series.high[index] = finite(s.medianInterval.high);
}

/** One entry per history run: `value` of its location, null where the case has none. */
function locationSeries(length: number, located: readonly { h: number; time: number; perCandidate: number | null }[], value: (l: (typeof located)[number]) => number | null): (number | null)[] {
  const out: (number | null)[] = Array.from({ length }, () => null);
  for (const l of located) out[l.h] = value(l);
  return out;
}

/**
 * The change points of a case's history (as keyscope changes finds them), as indices into the history: read on
 * time per prime candidate where every run has one (RSA), else on time per key.
 */
function historyChanges(located: readonly { h: number; time: number; perCandidate: number | null }[]): ReportChange[] {
  const perCandidate = located.length > 0 && located.every((l) => l.perCandidate !== null && l.perCandidate > 0);
  const values = located.map((l) => (perCandidate ? l.perCandidate! : l.time));
  return seriesChanges(values).map((c) => ({ index: located[c.index]!.h, step: c.step, pValue: c.pValue, measure: perCandidate ? 'per-candidate' : 'time' }));
}

/** History runs in time order, each once (a reported run may be passed in both lists). */
function orderedHistory(history: readonly RunRecord[]): RunRecord[] {
  const seen = new Set<string>();
  const unique = history.filter((r) => !seen.has(r.id) && seen.add(r.id));
  // Stable sort: runs that started at the same moment keep the order they were given in.
  return unique.map((run, i) => ({ run, i, t: Date.parse(run.startedAt) })).sort((a, b) => (a.t - b.t) || (a.i - b.i)).map((e) => e.run);
}

function defaultTitle(runs: readonly RunRecord[], names: readonly string[], comparison: RunComparison | null): string {
  if (comparison) {
    const side = (ref: RunReference) => ref.label ?? ref.id.slice(0, 8);
    return `keyscope: ${side(comparison.candidate)} vs ${side(comparison.baseline)}`;
  }
  if (runs.length === 1) return `keyscope: ${names[0]}`;
  return `keyscope: ${runs.length} runs`;
}

function describeRun(run: RunRecord, name: string): ReportRun {
  const counts = { completed: 0, errored: 0, skipped: 0 };
  for (const c of run.cases) counts[c.state]++;
  return {
    id: run.id,
    name,
    label: run.label,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    status: run.status,
    git: run.git,
    environment: run.environment,
    counts,
  };
}

export function buildReportModel(input: ReportInput): ReportModel {
  const { runs, comparison } = input;
  if (runs.length === 0) throw new RangeError('buildReportModel: at least one run must be reported');
  const names = runNames(runs);
  const grid = percentileGrid();

  // Cases in the order they first appear in the reported runs; then cases only the comparison knows.
  const byIdentity = new Map<string, CaseEntry>();
  runs.forEach((run, r) => {
    for (const c of run.cases) {
      const identity = caseIdentity(c);
      let entry = byIdentity.get(identity);
      if (!entry) {
        entry = { key: c.key, parameters: c.parameters, perRun: new Array<undefined>(runs.length).fill(undefined) };
        byIdentity.set(identity, entry);
      }
      entry.perRun[r] ??= c; // a run holds each identity once; were it not, the first would be shown
    }
  });
  const runIndex = new Map(runs.map((r, i) => [r.id, i] as const));
  const baselineRun = comparison ? (runIndex.get(comparison.baseline.id) ?? null) : null;
  const candidateRun = comparison ? (runIndex.get(comparison.candidate.id) ?? null) : null;
  const linked = linkComparison(byIdentity, comparison, runs.length);

  const history = orderedHistory(input.history);
  const historyCases = history.map((run) => new Map(run.cases.map((c) => [caseIdentity(c), c] as const)));

  const cases: ReportCase[] = [];
  const caseIdOf = new Map<CaseEntry, string>();
  for (const [identity, entry] of byIdentity) {
    const id = `case-${cases.length}`;
    caseIdOf.set(entry, id);
    const results = entry.perRun.map(caseResult);

    // Distributions: every run's histogram decoded once, bins shared so the runs overlay.
    const decoded: (DecodedCase | null)[] = entry.perRun.map((c, r) => {
      if (c?.state !== 'completed') return null;
      const { decoded: d, problem } = readHistogram(c.histograms.ns);
      (results[r] as ReportCompletedResult).distributionProblem = problem;
      return d;
    });
    const present = decoded.filter((d): d is DecodedCase => d !== null);
    const edges = histogramEdges(present);
    decoded.forEach((d, r) => {
      if (!d) return;
      const result = results[r] as ReportCompletedResult;
      result.percentiles = percentileCurve(d, grid);
      const bins = edges ? histogramFractions(d, edges) : null;
      result.histogram = bins?.fractions ?? null;
      result.histogramAbove = bins?.above ?? null;
      d.histogram.destroy();
    });

    const ns = medianSeries(history.length);
    const perCandidate = medianSeries(history.length);
    let anyPerCandidate = false;
    const located: { h: number; time: number; perCandidate: number | null }[] = [];
    const states = historyCases.map((casesOfRun, h) => {
      const c = casesOfRun.get(identity);
      if (!c) return 'absent' as const;
      if (c.state === 'completed') {
        const location = caseLocation(c);
        if (location) located.push({ h, ...location });
        setMedian(ns, h, c.summary.ns);
        if (c.summary.nsPerCandidate) {
          anyPerCandidate = true;
          setMedian(perCandidate, h, c.summary.nsPerCandidate);
        }
      }
      return c.state;
    });

    cases.push({
      id,
      key: entry.key,
      parameters: entry.parameters,
      results,
      histogramEdges: present.length > 0 ? edges : null,
      history: {
        ns,
        perCandidate: anyPerCandidate ? perCandidate : null,
        states,
        location: locationSeries(history.length, located, (l) => l.time),
        locationPerCandidate: anyPerCandidate ? locationSeries(history.length, located, (l) => l.perCandidate) : null,
        changes: historyChanges(located),
      },
      comparison: entry.comparison ?? null,
    });
  }

  const comparisonLabels = comparison ? caseLabels(comparison.cases) : [];
  const rows = comparison ? comparison.cases.map((c, i) => caseComparison(c, caseIdOf.get(linked[i]!) ?? null, comparisonLabels[i]!)) : [];
  const groups = caseGroups(cases, comparison, rows);
  return {
    version: REPORT_MODEL_VERSION,
    title: input.title ?? defaultTitle(runs, names, comparison),
    generatedAt: input.generatedAt,
    percentiles: grid,
    runs: runs.map((run, i) => describeRun(run, names[i]!)),
    environment: environmentRows(runs),
    comparison: comparison
      ? {
          baseline: comparison.baseline,
          candidate: comparison.candidate,
          baselineRun,
          candidateRun,
          settings: comparison.settings,
          caseConfidence: comparison.caseConfidence,
          cases: rows,
          environment: comparison.environment,
          runtimes: runtimesOf(comparison),
          counts: comparison.counts,
          groupOrder: comparisonGroupOrder(groups),
        }
      : null,
    history: history.map((run) => ({ ...referenceOf({ run, source: 'store' }), reported: runIndex.get(run.id) ?? null })),
    cases,
    groups,
  };
}
