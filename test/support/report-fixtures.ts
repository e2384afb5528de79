/**
 * Synthetic runs and hand-built comparisons for the HTML report tests and benchmark. Cases are completed the
 * way the engine completes them (src/stats summaries, src/stats/histogram HDR encoding), from seeded samples;
 * comparisons are RunComparison values written by hand from the runs' medians, so the report does not depend
 * on the comparison statistics.
 */
import { referenceOf } from '../../src/compare/resolve-runs.js';
import type { CaseBlock, CaseKey, CaseParameters, CaseResult, CompletedCase, RunRecord } from '../../src/model/types.js';
import type { CaseComparison, RunComparison, RunReference, SampleComparison, Verdict } from '../../src/compare/types.js';
import type { Counters } from '../../src/core/counters.js';
import { encodeHistogram } from '../../src/stats/histogram.js';
import { seededRandom } from '../../src/stats/seeded-random.js';
import { summarize } from '../../src/model/summarize.js';
import { derivedTestbed } from '../../src/model/testbed.js';
import { environment, oneBlock } from './store-fixtures.js';

export const HOSTILE_CASE = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE_SUITE = '</script><script>alert(1)</script>';

/** Right-skewed timings around `typical`: whole nanoseconds, with a thin far tail as real runs have. */
export function skewedTimings(random: () => number, count: number, typical: number, spread = 0.05): Float64Array {
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const tail = random() < 0.002 ? 3 + 10 * random() : 0;
    values[i] = Math.round(typical * (1 + spread * -Math.log(1 - random()) + tail));
  }
  return values;
}

export const countersWithGaps: Counters = {
  cycles: { group: 'hardware', unit: 'count', available: false, reason: 'perf_event_open: permission denied (perf_event_paranoid is 3)' },
  instructions: { group: 'hardware', unit: 'count', available: false, reason: 'perf_event_open: permission denied (perf_event_paranoid is 3)' },
  'task-clock': { group: 'software', unit: 'ns', available: true, value: 84_213_977, scaled: false },
  'page-faults': { group: 'software', unit: 'count', available: true, value: 12, scaled: true },
  'user-time': { group: 'rusage', unit: 'ns', available: true, value: 81_000_000, scaled: false },
  'peak-rss': { group: 'memory', unit: 'bytes', available: true, value: 71_303_168, scaled: false },
  'heap-after': { group: 'memory', unit: 'bytes', available: false, reason: 'mallinfo2 is not available on this libc' },
};

/** A completed case as the engine builds it from `ns` (and, for RSA, prime candidates per key). */
export function completedCase(
  key: CaseKey,
  ns: Float64Array,
  options: {
    parameters?: CaseParameters;
    candidates?: Float64Array | null;
    cycles?: boolean;
    counters?: Counters;
    /** Default: one block of every sample on the fixture environment's pinned CPU. */
    blocks?: CaseBlock[];
  } = {},
): CompletedCase {
  const candidates = options.candidates ?? null;
  const cycles = options.cycles ? Float64Array.from(ns, (v) => Math.round(v * 2.45)) : null;
  const nsSummary = summarize(ns);
  const reached = nsSummary.count > 1 ? (nsSummary.medianInterval.high - nsSummary.medianInterval.low) / 2 / nsSummary.median : Infinity;
  return {
    state: 'completed',
    key,
    parameters: options.parameters ?? {},
    samples: { ns, cycles, candidates },
    blocks: options.blocks ?? oneBlock(ns.length),
    summary: {
      ns: nsSummary,
      cycles: cycles ? summarize(cycles) : null,
      nsPerCandidate: candidates ? summarize(Float64Array.from(ns, (v, i) => v / Math.max(1, candidates[i]!))) : null,
    },
    histograms: { ns: encodeHistogram(ns), cycles: cycles ? encodeHistogram(cycles) : null },
    precision: { target: 0.01, reached, stoppedBy: 'precision' },
    throughput: 1e9 / nsSummary.mean,
    counters: options.counters ?? {},
    timer: { ns: 21.5, cycles: 64, samples: 1000 },
  };
}

export interface ReportRunOptions {
  id: string;
  label?: string | null;
  startedAt: string;
  seed: number;
  /** Multiplies every timing: 1.1 makes a run 10% slower. */
  slowdown?: number;
  /** Samples of the main cases. */
  samples?: number;
  commit?: string;
  extraCases?: CaseResult[];
}

/**
 * A small run with every kind of case: two plain cases, an RSA case with prime candidates, a throughput pair
 * that differs only by thread count, a case named to break out of the page, an errored and a skipped case.
 */
export function makeReportRun(options: ReportRunOptions): RunRecord {
  const random = seededRandom(options.seed);
  const n = options.samples ?? 2000;
  const slow = options.slowdown ?? 1;
  const rsaKeys = Math.max(20, Math.round(n / 20));
  const candidates = Float64Array.from({ length: rsaKeys }, () => 40 + Math.floor(random() * 700));
  const rsaNs = Float64Array.from(candidates, (c) => Math.round(c * 95_000 * slow * (0.97 + 0.06 * random())));
  const cases: CaseResult[] = [
    completedCase(
      { suite: 'keygen', case: 'ed25519', implementation: 'keyscope-native', algorithm: 'ed25519' },
      skewedTimings(random, n, 41_000 * slow),
      { parameters: { threads: 1, mode: 'sync' }, cycles: true, counters: countersWithGaps },
    ),
    completedCase({ suite: 'keygen', case: 'ec-p256', implementation: 'node:crypto', algorithm: 'ec-p256' }, skewedTimings(random, n, 52_000, 0.08), {
      parameters: { threads: 1, mode: 'async' },
    }),
    completedCase({ suite: 'keygen', case: 'rsa-2048', implementation: 'keyscope-native', algorithm: 'rsa-2048' }, rsaNs, {
      parameters: { threads: 1, exponent: 65537 },
      candidates,
      counters: countersWithGaps,
    }),
    completedCase({ suite: 'throughput', case: 'x25519', implementation: 'keyscope-native', algorithm: 'x25519' }, skewedTimings(random, n, 30_000 * slow), {
      parameters: { threads: 1 },
    }),
    completedCase({ suite: 'throughput', case: 'x25519', implementation: 'keyscope-native', algorithm: 'x25519' }, skewedTimings(random, n, 16_000 * slow), {
      parameters: { threads: 2 },
    }),
    completedCase({ suite: HOSTILE_SUITE, case: HOSTILE_CASE, implementation: 'keyscope', algorithm: 'ed25519' }, skewedTimings(random, 500, 45_000)),
    {
      state: 'errored',
      key: { suite: 'keygen', case: 'ml-kem-768', implementation: 'keyscope', algorithm: 'ml-kem-768' },
      parameters: {},
      error: { code: 'KS_UNSUPPORTED_ALGORITHM', message: 'ml-kem-768 needs OpenSSL 3.5 or later <b>not bold</b>' },
    },
    {
      state: 'skipped',
      key: { suite: 'keygen', case: 'x448', implementation: 'webcrypto', algorithm: 'x448' },
      parameters: {},
      reason: 'webcrypto has no X448 key generation in Node 20 & <i>never will</i>',
    },
    ...(options.extraCases ?? []),
  ];
  return {
    id: options.id,
    startedAt: options.startedAt,
    endedAt: new Date(Date.parse(options.startedAt) + 93_412).toISOString(),
    label: options.label === undefined ? 'main' : options.label,
    status: 'complete',
    git: { commit: options.commit ?? '6159ea5c0f3a4b9e8d7c6b5a4f3e2d1c0b9a8f7e', branch: 'main', dirty: false },
    testbed: derivedTestbed(environment),
    environment,
    cases,
  };
}

export function reference(run: RunRecord): RunReference {
  return referenceOf({ run, source: 'store' });
}

function identity(c: CaseResult): string {
  return JSON.stringify([c.key, Object.entries(c.parameters).sort()]);
}

function verdictOf(low: number, high: number, threshold: number): Verdict {
  if (low > 1 + threshold) return 'regressed';
  if (high < 1 - threshold) return 'improved';
  if (low > 1 - threshold && high < 1 + threshold) return 'unchanged';
  return 'inconclusive';
}

/** A plausible comparison of two sample summaries: the ratio of medians with an interval from their intervals. */
function sampleComparison(base: CompletedCase['summary']['ns'], cand: CompletedCase['summary']['ns'], threshold: number): SampleComparison {
  const estimate = cand.median / base.median;
  const width = Math.max(0.004, (cand.medianInterval.high - cand.medianInterval.low) / cand.median + (base.medianInterval.high - base.medianInterval.low) / base.median) / 2;
  const low = estimate * (1 - width);
  const high = estimate * (1 + width);
  const verdict = verdictOf(low, high, threshold);
  return {
    method: 'hodges-lehmann',
    ratio: { estimate, low, high, confidence: 0.99 },
    test: { name: 'mann-whitney', statistic: base.count * cand.count * 0.5, z: (estimate - 1) * 40, pValue: verdict === 'inconclusive' ? 0.2 : 1e-6 },
    tails: {
      p90: { estimate: cand.p90 / base.p90, low: (cand.p90 / base.p90) * 0.97, high: (cand.p90 / base.p90) * 1.03, confidence: 0.99 },
      p99: base.count >= 200 ? { estimate: cand.p99 / base.p99, low: (cand.p99 / base.p99) * 0.9, high: Infinity, confidence: 0.99 } : null,
    },
    verdict,
    samplesToResolve: verdict === 'inconclusive' ? Math.round(base.count * 2.5) : null,
    baselineCount: base.count,
    candidateCount: cand.count,
    blocks: null,
    history: null,
    unstable: false,
  };
}

/** A RunComparison built from the runs' summaries, in compareRuns' shape and case order. */
export function handComparison(baseline: RunRecord, candidate: RunRecord, threshold = 0.05): RunComparison {
  const before = new Map(baseline.cases.map((c) => [identity(c), c]));
  const seen = new Set<string>();
  const cases: CaseComparison[] = [];
  const describe = (c: CaseResult | undefined) => (c ? c.state : 'absent');
  for (const c of candidate.cases) {
    const id = identity(c);
    seen.add(id);
    const b = before.get(id);
    if (b?.state !== 'completed' || c.state !== 'completed') {
      cases.push({ state: 'unmatched', key: c.key, parameters: c.parameters, reason: `baseline: ${describe(b)}; candidate: ${describe(c)}` });
      continue;
    }
    const time = sampleComparison(b.summary.ns, c.summary.ns, threshold);
    const perCandidate =
      b.summary.nsPerCandidate && c.summary.nsPerCandidate ? sampleComparison(b.summary.nsPerCandidate, c.summary.nsPerCandidate, threshold) : null;
    const decided = perCandidate && perCandidate.verdict !== 'inconclusive' && time.verdict === 'inconclusive';
    cases.push({
      state: 'compared',
      key: c.key,
      parameters: c.parameters,
      baseline: { median: b.summary.ns.median, count: b.samples.ns.length, medianPerCandidate: b.summary.nsPerCandidate?.median ?? null },
      candidate: { median: c.summary.ns.median, count: c.samples.ns.length, medianPerCandidate: c.summary.nsPerCandidate?.median ?? null },
      time,
      perCandidate,
      verdict: decided ? perCandidate.verdict : time.verdict,
      decidedBy: perCandidate ? (decided ? 'per-candidate' : 'both') : 'time',
      unstable: false,
      notes: [],
      search: null,
    });
  }
  for (const [id, b] of before) {
    if (!seen.has(id)) cases.push({ state: 'unmatched', key: b.key, parameters: b.parameters, reason: `baseline: ${describe(b)}; candidate: absent` });
  }
  const counts = { improved: 0, regressed: 0, unchanged: 0, inconclusive: 0, unstable: 0, unmatched: 0 };
  for (const c of cases) counts[c.state === 'compared' ? c.verdict : 'unmatched']++;
  const kernelDiffers = baseline.environment.kernel !== candidate.environment.kernel;
  const nodeDiffers = baseline.environment.node !== candidate.environment.node;
  return {
    against: { kind: 'run' },
    notices: [],
    baseline: reference(baseline),
    candidate: reference(candidate),
    settings: { threshold, confidence: 0.99 },
    caseConfidence: 0.99,
    strict: false,
    cases,
    environment: {
      differences: [
        ...(nodeDiffers ? [{ field: 'node' as const, baseline: baseline.environment.node, candidate: candidate.environment.node, significant: true }] : []),
        ...(kernelDiffers ? [{ field: 'kernel' as const, baseline: baseline.environment.kernel, candidate: candidate.environment.kernel, significant: false }] : []),
      ],
      sameMachine: true,
    },
    runtimes: null,
    counts,
  };
}

/** `count` runs a day apart, oldest first, drifting slowly slower. */
export function makeHistory(count: number, options: { samples?: number; firstSeed?: number } = {}): RunRecord[] {
  return Array.from({ length: count }, (_, i) =>
    makeReportRun({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      label: 'nightly',
      startedAt: new Date(Date.UTC(2025, 2, 1 + i, 2, 0, 0)).toISOString(),
      seed: (options.firstSeed ?? 100) + i,
      slowdown: 1 + 0.004 * i,
      samples: options.samples ?? 400,
      commit: `${String(i).padStart(2, '0')}${'a1b2c3d4e5'.repeat(4)}`.slice(0, 40),
    }),
  );
}
