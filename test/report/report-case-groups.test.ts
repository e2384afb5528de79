/**
 * The report's groups of cases by algorithm (src/report/case-groups.ts): what the page folds to one line each.
 * Folding must hide nothing that matters, so each group's counts are its exact share of the comparison's and it
 * names every case that regressed, improved or went missing, worst first.
 */
import { describe, expect, it } from 'vitest';

import { countVerdicts } from '../../src/compare/index.js';
import type { RunComparison } from '../../src/compare/types.js';
import { buildReportModel } from '../../src/report/report-model.js';
import { handComparison, HOSTILE_CASE, HOSTILE_SUITE, makeReportRun } from '../support/report-fixtures.js';

const baseline = makeReportRun({ id: '11111111-1111-4111-8111-111111111111', label: 'baseline', startedAt: '2025-03-20T10:00:00.000Z', seed: 1 });
const candidate = makeReportRun({ id: '22222222-2222-4222-8222-222222222222', label: 'candidate', startedAt: '2025-03-21T10:00:00.000Z', seed: 2, slowdown: 1.08 });

/** The hand comparison with some verdicts set: which case changed how, as `ratio` (candidate / baseline). */
function comparisonWith(changes: Record<number, { verdict: 'regressed' | 'improved'; ratio: number } | { unstable: true }>): RunComparison {
  const comparison = handComparison(baseline, candidate);
  for (const [index, change] of Object.entries(changes)) {
    const row = comparison.cases[Number(index)];
    if (row?.state !== 'compared') throw new Error(`fixture: row ${index} should be compared`);
    if ('unstable' in change) row.unstable = true;
    else {
      row.verdict = change.verdict;
      row.decidedBy = 'time';
      row.time = { ...row.time, verdict: change.verdict, ratio: { ...row.time.ratio, estimate: change.ratio } };
    }
  }
  return { ...comparison, counts: countVerdicts(comparison.cases, comparison.strict) };
}

// Rows in case order: 0 ed25519, 1 ec-p256 (inconclusive), 2 rsa-2048, 3 and 4 x25519 on 1 and 2 threads, 5 the hostile case
// (an ed25519 key, another suite), 6 ml-kem-768 (errored in both runs), 7 x448 (skipped in both).
const comparison = comparisonWith({
  0: { verdict: 'regressed', ratio: 1.08 },
  5: { verdict: 'regressed', ratio: 1.2 },
  2: { unstable: true },
  3: { verdict: 'improved', ratio: 0.88 },
  4: { verdict: 'improved', ratio: 0.8 },
});
const model = buildReportModel({ runs: [baseline, candidate], comparison, history: [], generatedAt: 'now' });

describe('report case groups', () => {
  it('groups the cases by algorithm, in the order each algorithm first appears, every case in one group', () => {
    expect(model.groups.map((g) => g.algorithm)).toEqual(['ed25519', 'ec-p256', 'rsa-2048', 'x25519', 'ml-kem-768', 'x448']);
    expect(model.groups[0]!.cases.map((i) => model.cases[i]!.key.case)).toEqual(['ed25519', HOSTILE_CASE]);
    expect(model.groups.flatMap((g) => g.cases).sort((a, b) => a - b)).toEqual(model.cases.map((_, i) => i));
    for (const g of model.groups) expect(g.rows).toEqual(g.cases.map((i) => model.cases[i]!.comparison));
    expect(new Set(model.groups.map((g) => g.id)).size).toBe(model.groups.length);
  });

  it('counts each group as the comparison counts its cases, so the groups add up to the verdict', () => {
    const total = { improved: 0, regressed: 0, unchanged: 0, inconclusive: 0, unstable: 0, unmatched: 0 };
    for (const g of model.groups) for (const [verdict, n] of Object.entries(g.counts!)) total[verdict as keyof typeof total] += n;
    expect(total).toEqual(comparison.counts);
    // rsa-2048's rows are unstable: counted apart from their verdict, and never gating.
    expect(model.groups[2]!.counts).toMatchObject({ unstable: 1, regressed: 0 });
    expect(model.groups[2]!.changes).toEqual([]);
  });

  it('names every change, regressions first (biggest slowdown first), then missing cases, then improvements', () => {
    const ed = model.groups[0]!;
    // Its cases differ in suite: the names keep it; the algorithm, which every case shares, is dropped.
    expect(ed.changes).toEqual([
      { row: 5, verdict: 'regressed', estimate: '+20%', name: `${HOSTILE_SUITE}/${HOSTILE_CASE} keyscope`, reason: null },
      { row: 0, verdict: 'regressed', estimate: '+8.0%', name: 'keygen/ed25519 keyscope-native', reason: null },
    ]);
    // One suite and case name: only what tells the cases apart, the thread count and implementation.
    expect(model.groups[3]!.changes.map((c) => [c.name, c.estimate])).toEqual([
      ['2 threads keyscope-native', '-20%'],
      ['1 thread keyscope-native', '-12%'],
    ]);
    expect(model.groups[4]!.changes).toEqual([{ row: 6, verdict: 'unmatched', estimate: null, name: 'keyscope', reason: 'baseline: errored; candidate: errored' }]);
  });

  it('does not name a case skipped in every run: it cannot run there by design, which is no change', () => {
    expect(model.groups[5]!.counts!.unmatched).toBe(1);
    expect(model.groups[5]!.changes).toEqual([]);
    expect(model.groups[5]!.skipped).toBe(1);
  });

  it('orders the comparison table: regressions, then missing cases, then improvements, then the rest, each in case order', () => {
    expect(model.comparison!.groupOrder.map((g) => model.groups[g]!.algorithm)).toEqual(['ed25519', 'ml-kem-768', 'x25519', 'ec-p256', 'rsa-2048', 'x448']);
  });

  it('without a comparison, counts only what errored or was skipped', () => {
    const single = buildReportModel({ runs: [candidate], comparison: null, history: [], generatedAt: 'now' });
    expect(single.groups.map((g) => [g.algorithm, g.counts, g.changes, g.errored, g.skipped, g.rows])).toEqual([
      ['ed25519', null, [], 0, 0, []],
      ['ec-p256', null, [], 0, 0, []],
      ['rsa-2048', null, [], 0, 0, []],
      ['x25519', null, [], 0, 0, []],
      ['ml-kem-768', null, [], 1, 0, []],
      ['x448', null, [], 0, 1, []],
    ]);
  });
});
