import { describe, expect, it } from 'vitest';

import type { CompletedCase, RunRecord } from '../../src/model/types.js';
import { buildReportModel } from '../../src/report/report-model.js';
import type { ReportCompletedResult, ReportModel } from '../../src/report/report-types.js';
import { completedCase, handComparison, HOSTILE_CASE, makeHistory, makeReportRun } from '../support/report-fixtures.js';
import { makeRun } from '../support/store-fixtures.js';

const baseline = makeReportRun({ id: '11111111-1111-4111-8111-111111111111', label: 'baseline', startedAt: '2025-03-20T10:00:00.000Z', seed: 1 });
const candidate = makeReportRun({ id: '22222222-2222-4222-8222-222222222222', label: 'candidate', startedAt: '2025-03-21T10:00:00.000Z', seed: 2, slowdown: 1.08 });
const history = makeHistory(6);

function build(overrides: Partial<Parameters<typeof buildReportModel>[0]> = {}): ReportModel {
  return buildReportModel({
    runs: [baseline, candidate],
    comparison: handComparison(baseline, candidate),
    // Unsorted and with a reported run in it twice: the model orders and de-duplicates.
    history: [history[3]!, ...history, candidate, baseline, candidate],
    generatedAt: '2025-03-21T12:00:00.000Z',
    ...overrides,
  });
}

function completed(model: ReportModel, caseName: string, run: number, threads?: number): ReportCompletedResult {
  const c = model.cases.find((x) => x.key.case === caseName && (threads === undefined || x.parameters.threads === threads));
  const result = c?.results[run];
  if (result?.state !== 'completed') throw new Error(`${caseName} is not completed in run ${run}`);
  return result;
}

function sourceCase(run: RunRecord, caseName: string, threads?: number): CompletedCase {
  const c = run.cases.find((x) => x.key.case === caseName && (threads === undefined || x.parameters.threads === threads));
  if (c?.state !== 'completed') throw new Error(`${caseName} is not completed`);
  return c;
}

/** Nearest-rank quantile, the definition HDR histograms answer with. */
function nearestRank(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * sorted.length + 0.5) - 1))]!;
}

describe('report model', () => {
  const model = build();

  it('has one case per identity, in first-appearance order, with one result per reported run', () => {
    expect(model.runs.map((r) => r.name)).toEqual(['baseline', 'candidate']);
    expect(model.cases.map((c) => `${c.key.suite}/${c.key.case}/${String(c.parameters.threads ?? '')}`)).toEqual([
      'keygen/ed25519/1',
      'keygen/ec-p256/1',
      'keygen/rsa-2048/1',
      'throughput/x25519/1',
      'throughput/x25519/2',
      `</script><script>alert(1)</script>/${HOSTILE_CASE}/`,
      'keygen/ml-kem-768/',
      'keygen/x448/',
    ]);
    for (const c of model.cases) expect(c.results).toHaveLength(2);
    expect(new Set(model.cases.map((c) => c.id)).size).toBe(model.cases.length);
    expect(model.cases.find((c) => c.key.case === 'ml-kem-768')!.results[0]).toEqual({
      state: 'errored',
      code: 'KS_UNSUPPORTED_ALGORITHM',
      message: 'ml-kem-768 needs OpenSSL 3.5 or later <b>not bold</b>',
    });
    expect(model.cases.find((c) => c.key.case === 'x448')!.results[1]).toMatchObject({ state: 'skipped' });
  });

  it('is plain JSON: every number finite or null, so it survives a round trip unchanged', () => {
    const single = buildReportModel({ runs: [makeRun({ seed: 3 })], comparison: null, history: [], generatedAt: '2025-03-21T12:00:00.000Z' });
    for (const m of [model, single]) expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    // The one-sample case of the store fixtures: its median interval is infinite, so it is null here.
    const lone = single.cases.find((c) => c.key.case === 'rsa-8192')!.results[0] as ReportCompletedResult;
    expect(lone.ns.low).toBeNull();
    expect(lone.ns.high).toBeNull();
    expect(lone.ns.median).toBe(9_874_512_331);
  });

  it('reads percentile curves from the HDR histogram, matching the samples to its precision', () => {
    expect(model.percentiles).toHaveLength(60);
    expect(model.percentiles[0]).toBe(0);
    expect(model.percentiles.at(-1)).toBeCloseTo(0.9999, 6);
    const result = completed(model, 'ed25519', 0);
    const samples = sourceCase(baseline, 'ed25519').samples.ns;
    const curve = result.percentiles!;
    expect(curve).toHaveLength(60);
    let previous = 0;
    model.percentiles.forEach((p, i) => {
      const value = curve[i];
      // 2,000 samples say nothing past p99.95: the curve ends at the first point past that.
      if (1 / (1 - p) > samples.length * 1.2) {
        expect(value).toBeNull();
        return;
      }
      expect(value).not.toBeNull();
      expect(value!).toBeGreaterThanOrEqual(previous);
      previous = value!;
      const exact = p === 0 ? Math.min(...samples) : nearestRank(samples, p);
      expect(Math.abs(value! - exact) / exact).toBeLessThan(0.002); // 3 significant digits
    });
  });

  it('bins every run of a case on the same log-spaced edges, as fractions of its samples', () => {
    const c = model.cases.find((x) => x.key.case === 'ed25519')!;
    const edges = c.histogramEdges!;
    expect(edges).toHaveLength(41);
    for (let i = 1; i < edges.length; i++) expect(edges[i]! / edges[i - 1]!).toBeCloseTo(edges[1]! / edges[0]!, 3);
    for (const run of [0, 1]) {
      const result = completed(model, 'ed25519', run);
      expect(result.histogram).toHaveLength(40);
      const total = result.histogram!.reduce((a, b) => a + b, 0) + result.histogramAbove!;
      expect(total).toBeCloseTo(1, 2);
      // The body is drawn, the far tail only counted: about 1% lies beyond the p99 edge.
      expect(result.histogramAbove!).toBeGreaterThan(0);
      expect(result.histogramAbove!).toBeLessThan(0.02);
    }
    // The candidate is 8% slower: its mass sits in higher bins.
    const centre = (h: number[]) => h.reduce((sum, f, i) => sum + f * i, 0) / h.reduce((a, b) => a + b, 0);
    expect(centre(completed(model, 'ed25519', 1).histogram!)).toBeGreaterThan(centre(completed(model, 'ed25519', 0).histogram!));
  });

  it('carries RSA nanoseconds per prime candidate, cycles, precision and counters with their reasons', () => {
    const rsa = completed(model, 'rsa-2048', 0);
    const source = sourceCase(baseline, 'rsa-2048');
    expect(rsa.perCandidate!.median).toBe(source.summary.nsPerCandidate!.median);
    expect(rsa.perCandidate!.low).toBe(source.summary.nsPerCandidate!.medianInterval.low);
    const ed = completed(model, 'ed25519', 0);
    expect(ed.cycles!.median).toBe(sourceCase(baseline, 'ed25519').summary.cycles!.median);
    expect(ed.perCandidate).toBeNull();
    expect(ed.precision.stoppedBy).toBe('precision');
    expect(ed.counters.map((c) => c.name)).toEqual(['cycles', 'instructions', 'task-clock', 'page-faults', 'user-time', 'peak-rss', 'heap-after']);
    expect(ed.counters[0]).toEqual({
      name: 'cycles',
      group: 'hardware',
      unit: 'count',
      available: false,
      reason: 'perf_event_open: permission denied (perf_event_paranoid is 3)',
    });
    expect(ed.counters.find((c) => c.name === 'peak-rss')).toMatchObject({ available: true, value: 71_303_168, group: 'memory' });
  });

  it('keeps history in time order, each run once, with each case median and interval per run', () => {
    expect(model.history.map((h) => h.id)).toEqual([...history.map((r) => r.id), baseline.id, candidate.id]);
    expect(model.history.at(-2)!.reported).toBe(0);
    expect(model.history.at(-1)!.reported).toBe(1);
    expect(model.history[0]).toMatchObject({ label: 'nightly', branch: 'main', dirty: false, reported: null });
    const ed = model.cases.find((c) => c.key.case === 'ed25519')!.history;
    expect(ed.ns.median).toHaveLength(8);
    expect(ed.ns.median[0]).toBe(sourceCase(history[0]!, 'ed25519').summary.ns.median);
    expect(ed.ns.low[0]).toBe(sourceCase(history[0]!, 'ed25519').summary.ns.medianInterval.low);
    expect(ed.states.every((s) => s === 'completed')).toBe(true);
    expect(ed.perCandidate).toBeNull();
    const rsa = model.cases.find((c) => c.key.case === 'rsa-2048')!.history;
    expect(rsa.perCandidate!.median.every((m) => m !== null)).toBe(true);
    const errored = model.cases.find((c) => c.key.case === 'ml-kem-768')!.history;
    expect(errored.states.every((s) => s === 'errored')).toBe(true);
    expect(errored.ns.median.every((m) => m === null)).toBe(true);
    // Throughput cases that differ only by thread count keep separate histories.
    const [one, two] = model.cases.filter((c) => c.key.case === 'x25519');
    expect(one!.history.ns.median[0]).toBe(sourceCase(history[0]!, 'x25519', 1).summary.ns.median);
    expect(two!.history.ns.median[0]).toBe(sourceCase(history[0]!, 'x25519', 2).summary.ns.median);
  });

  it('links each comparison row to its case, telling apart cases that differ only by parameters', () => {
    const cmp = model.comparison!;
    expect(cmp.baselineRun).toBe(0);
    expect(cmp.candidateRun).toBe(1);
    expect(cmp.cases).toHaveLength(8);
    for (const c of model.cases) {
      expect(c.comparison).not.toBeNull();
      expect(cmp.cases[c.comparison!]!.caseId).toBe(c.id);
      expect(cmp.cases[c.comparison!]!.key).toEqual(c.key);
    }
    for (const threads of [1, 2]) {
      const c = model.cases.find((x) => x.key.case === 'x25519' && x.parameters.threads === threads)!;
      const row = cmp.cases[c.comparison!]!;
      expect(row.state === 'compared' && row.candidate.median).toBe(sourceCase(candidate, 'x25519', threads).summary.ns.median);
    }
    const unmatched = cmp.cases.find((c) => c.state === 'unmatched')!;
    expect(unmatched).toMatchObject({ reason: 'baseline: errored; candidate: errored' });
    // An unbounded tail interval is null, not Infinity.
    const ed = cmp.cases.find((c) => c.key.case === 'ed25519')!;
    expect(ed.state === 'compared' && ed.time.tails.p99!.high).toBeNull();
  });

  it('gives comparison rows for cases no reported run holds a case of their own', () => {
    const comparison = handComparison(baseline, candidate);
    comparison.cases.push({ state: 'unmatched', key: { suite: 'gone', case: 'dsa', implementation: 'keyscope', algorithm: 'dsa' }, parameters: {}, reason: 'baseline: absent; candidate: absent' });
    const m = build({ comparison });
    const orphan = m.cases.at(-1)!;
    expect(orphan.key.suite).toBe('gone');
    expect(orphan.results.every((r) => r.state === 'absent')).toBe(true);
    expect(m.comparison!.cases.at(-1)!.caseId).toBe(orphan.id);
  });

  it('lists environment fields across runs and marks the ones that differ', () => {
    const other = { ...candidate, environment: { ...candidate.environment, node: 'v22.3.0', cpuFlags: ['sse4_2'] } };
    const m = build({ runs: [baseline, other], comparison: null });
    const row = (field: string) => m.environment.find((r) => r.field === field)!;
    expect(row('node')).toEqual({ field: 'node', values: ['v20.19.0', 'v22.3.0'], differs: true });
    expect(row('cpuFlags').differs).toBe(true);
    expect(row('cpuModel').differs).toBe(false);
    expect(row('pinnedCpu').values).toEqual(['1', '1']);
  });

  it('names runs apart when labels repeat and titles the report after the comparison', () => {
    expect(model.title).toBe('keyscope: candidate vs baseline');
    const twins = [
      { ...baseline, label: 'nightly' },
      { ...candidate, label: 'nightly' },
    ];
    expect(build({ runs: twins, comparison: null }).runs.map((r) => r.name)).toEqual(['nightly (11111111)', 'nightly (22222222)']);
    const sameStart = twins.map((r, i) => ({ ...r, id: `00000000-0000-4000-8000-00000000000${i}` }));
    expect(build({ runs: sameStart, comparison: null }).runs.map((r) => r.name)).toEqual(['nightly (#1)', 'nightly (#2)']);
    expect(build({ runs: [baseline], comparison: null, title: 'Nightly' }).title).toBe('Nightly');
  });

  it('embeds no samples: its size does not grow with the sample count', () => {
    const sizeWith = (samples: number) => {
      const run = makeReportRun({ id: '33333333-3333-4333-8333-333333333333', startedAt: '2025-03-22T10:00:00.000Z', seed: 5, samples });
      return JSON.stringify(buildReportModel({ runs: [run], comparison: null, history: [run], generatedAt: 'now' })).length;
    };
    const small = sizeWith(1000);
    const large = sizeWith(20_000);
    expect(large).toBeLessThan(small * 1.3);
    expect(large).toBeLessThan(60_000);
  });

  it('reports a case whose histogram cannot be read, without its distribution', () => {
    const broken = { ...completedCase({ suite: 's', case: 'broken', implementation: 'keyscope', algorithm: '' }, Float64Array.of(5, 6, 7)) };
    broken.histograms = { ns: 'not a histogram', cycles: null };
    const run = { ...baseline, cases: [broken] };
    const m = buildReportModel({ runs: [run], comparison: null, history: [], generatedAt: 'now' });
    const result = m.cases[0]!.results[0] as ReportCompletedResult;
    expect(result.percentiles).toBeNull();
    expect(result.distributionProblem).toMatch(/cannot be read/);
    expect(m.cases[0]!.histogramEdges).toBeNull();
    expect(result.ns.median).toBe(6);
  });

  it('needs at least one run', () => {
    expect(() => buildReportModel({ runs: [], comparison: null, history: [], generatedAt: 'now' })).toThrow(RangeError);
  });
});
