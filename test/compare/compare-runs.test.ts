import { describe, expect, it } from 'vitest';

import { compareRuns } from '../../src/compare/compare-runs.js';
import { referenceOf } from '../../src/compare/resolve-runs.js';
import type { CaseComparison, RunComparison } from '../../src/compare/types.js';
import type { RunRecord } from '../../src/model/types.js';
import { caseNamed, rebuild, runPair, scaleCase } from '../support/compare-fixtures.js';

function compare(baseline: RunRecord, candidate: RunRecord, settings = { threshold: 0.05, confidence: 0.99 }): RunComparison {
  return compareRuns({ run: baseline, reference: referenceOf({ run: baseline, source: 'store' }) }, { run: candidate, reference: referenceOf({ run: candidate, source: 'store' }) }, settings);
}

function compared(comparison: RunComparison, name: string): Extract<CaseComparison, { state: 'compared' }> {
  const found = comparison.cases.find((c) => c.key.case === name);
  if (found?.state !== 'compared') throw new Error(`${name} was not compared: ${JSON.stringify(found)}`);
  return found;
}

describe('compareRuns', () => {
  it('finds no regression between two runs of the same code (A/A)', () => {
    const { baseline, candidate } = runPair();
    const comparison = compare(baseline, candidate);
    expect(comparison.counts.regressed).toBe(0);
    expect(compared(comparison, 'ed25519').verdict).toBe('unchanged');
    const ratio = compared(comparison, 'ed25519').time.ratio;
    expect(ratio.low).toBeLessThan(ratio.estimate);
    expect(ratio.high).toBeGreaterThan(ratio.estimate);
  });

  it('calls a 10% slowdown a regression, with the interval around 1.10', () => {
    const { baseline, candidate } = runPair();
    const comparison = compare(baseline, scaleCase(candidate, 'ed25519', 1.1));
    const c = compared(comparison, 'ed25519');
    expect(c.verdict).toBe('regressed');
    expect(c.decidedBy).toBe('time');
    expect(c.time.ratio.estimate).toBeGreaterThan(1.07);
    expect(c.time.ratio.estimate).toBeLessThan(1.13);
    expect(c.time.test.pValue).toBeLessThan(0.001);
    expect(comparison.counts.regressed).toBe(1);
  });

  it('calls a 10% speed-up an improvement, never a regression', () => {
    const { baseline, candidate } = runPair();
    const c = compared(compare(baseline, scaleCase(candidate, 'ed25519', 0.9)), 'ed25519');
    expect(c.verdict).toBe('improved');
  });

  it('decides RSA by time per prime candidate when time per key is lost in the luck of the search', () => {
    const { baseline, candidate } = runPair();
    const c = compared(compare(baseline, scaleCase(candidate, 'rsa-2048', 1.08)), 'rsa-2048');
    expect(c.perCandidate).not.toBeNull();
    expect(c.perCandidate!.verdict).toBe('regressed');
    expect(c.time.verdict).toBe('inconclusive');
    expect(c.verdict).toBe('regressed');
    expect(c.decidedBy).toBe('per-candidate');
    expect(c.candidate.medianPerCandidate! / c.baseline.medianPerCandidate!).toBeGreaterThan(1.05);
    // The run's 1% is shared among its judged cases (Bonferroni), and each RSA look takes half a case's share.
    const comparison = compare(baseline, scaleCase(candidate, 'rsa-2048', 1.08));
    const judged = comparison.cases.filter((x) => x.state === 'compared').length;
    expect(comparison.caseConfidence).toBeCloseTo(1 - 0.01 / judged, 12);
    expect(c.perCandidate!.ratio.confidence).toBeCloseTo(1 - 0.01 / judged / 2, 12);
  });

  it('says which cases it could not compare, and why', () => {
    const { baseline, candidate } = runPair();
    const fewer = { ...candidate, cases: candidate.cases.filter((c) => c.key.case !== 'ec-p256') };
    const comparison = compare(baseline, fewer);
    const unmatched = comparison.cases.filter((c) => c.state === 'unmatched');
    const reasons = Object.fromEntries(unmatched.map((c) => [c.key.case, c.state === 'unmatched' ? c.reason : '']));
    expect(reasons['ml-kem-768']).toMatch(/errored \(KS_UNSUPPORTED_ALGORITHM\)/);
    expect(reasons.x448).toMatch(/skipped/);
    expect(reasons['ec-p256']).toBe('baseline: completed; candidate: absent');
    expect(comparison.counts.unmatched).toBe(unmatched.length);
  });

  it('matches cases on their parameters too (throughput at 1 and 2 threads are different cases)', () => {
    const { baseline, candidate } = runPair();
    const ed = caseNamed(baseline, 'ed25519');
    const twoThreads = rebuild(ed, { parameters: { ...ed.parameters, threads: 2 }, ns: ed.samples.ns.map((v) => v * 2) });
    const base = { ...baseline, cases: [...baseline.cases, twoThreads] };
    const edCandidate = caseNamed(candidate, 'ed25519');
    const cand = { ...candidate, cases: [...candidate.cases, rebuild(edCandidate, { parameters: { ...edCandidate.parameters, threads: 2 }, ns: edCandidate.samples.ns.map((v) => v * 2) })] };
    const comparison = compare(base, cand);
    const eds = comparison.cases.filter((c) => c.key.case === 'ed25519');
    expect(eds).toHaveLength(2);
    for (const c of eds) expect(c.state === 'compared' && c.verdict).toBe('unchanged');
  });

  it('pairs seeded cases key by key, and says when seeds differ', () => {
    const { baseline } = runPair();
    const rsa = caseNamed(baseline, 'rsa-2048');
    // The same keys (same candidates), each 3% slower with a little timing noise: what a seeded rerun of a slower build measures.
    let state = 7;
    const jitter = () => ((state = (state * 48271) % 2147483647) / 2147483647 - 0.5) * 0.004;
    const slower = rebuild(rsa, { ns: rsa.samples.ns.map((v) => Math.round(v * (1.03 + jitter()))), parameters: { ...rsa.parameters, seed: 11 } });
    const seededBaseline = { ...baseline, cases: baseline.cases.map((c) => (c.key.case === 'rsa-2048' ? rebuild(rsa, { parameters: { ...rsa.parameters, seed: 11 } }) : c)) };
    const seededCandidate = { ...baseline, cases: baseline.cases.map((c) => (c.key.case === 'rsa-2048' ? slower : c)) };

    const paired = compared(compare(seededBaseline, seededCandidate, { threshold: 0.01, confidence: 0.99 }), 'rsa-2048');
    expect(paired.time.method).toBe('paired');
    expect(paired.time.ratio.low).toBeGreaterThan(1.02);
    expect(paired.time.ratio.high).toBeLessThan(1.04);
    expect(paired.verdict).toBe('regressed');
    expect(paired.notes).toEqual([]);

    const otherSeed = { ...seededCandidate, cases: seededCandidate.cases.map((c) => (c.key.case === 'rsa-2048' ? rebuild(slower, { parameters: { ...rsa.parameters, seed: 12 } }) : c)) };
    const unpaired = compared(compare(seededBaseline, otherSeed), 'rsa-2048');
    expect(unpaired.time.method).toBe('hodges-lehmann');
    expect(unpaired.notes.join(' ')).toMatch(/seeds differ \(11 vs 12\)/);
  });

  it('names environment differences, and which of them matter', () => {
    const { baseline, candidate } = runPair();
    const moved = { ...candidate, environment: { ...candidate.environment, node: 'v22.11.0', kernel: '6.12.0' } };
    const comparison = compare(baseline, moved);
    expect(comparison.environment.sameMachine).toBe(true);
    const byField = Object.fromEntries(comparison.environment.differences.map((d) => [d.field, d]));
    expect(byField.node).toMatchObject({ baseline: 'v20.19.0', candidate: 'v22.11.0', significant: true });
    expect(byField.kernel).toMatchObject({ significant: false });

    const otherMachine = compare(baseline, { ...candidate, environment: { ...candidate.environment, cpuModel: 'Intel Xeon Platinum 8375C', cpuFlags: ['sse4_2', 'avx512f'] } });
    expect(otherMachine.environment.sameMachine).toBe(false);
    const flags = otherMachine.environment.differences.find((d) => d.field === 'cpuFlags')!;
    expect(flags.candidate).toBe('also has avx512f');
  });
});
