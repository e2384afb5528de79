/**
 * compare explains the change of every RSA case with candidate counts on both sides: mean time per key split into
 * mean candidates per key and time per candidate, on real runs (Node 20 against Node 24 on one VM; seeded runs of
 * one build, with and without a 10% handicap).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { compareCase } from '../../src/compare/compare-runs.js';
import { compareRuns, referenceOf, type RunComparison } from '../../src/compare/index.js';
import type { CaseBlock, CompletedCase, RunRecord } from '../../src/model/index.js';
import { caseNamed, rebuild, runPair } from '../support/compare-fixtures.js';
import { runtimeRuns } from '../support/runtime-fixtures.js';

type Compared = Extract<RunComparison['cases'][number], { state: 'compared' }>;

function compared(comparison: RunComparison, caseName: string, algorithm: string): Compared {
  const found = comparison.cases.find((c) => c.key.case === caseName && c.key.algorithm === algorithm);
  if (found?.state !== 'compared') throw new Error(`${caseName} ${algorithm} was not compared`);
  return found;
}

function completedCase(run: RunRecord, caseName: string, algorithm: string): CompletedCase {
  const found = run.cases.find((c) => c.key.case === caseName && c.key.algorithm === algorithm);
  if (found?.state !== 'completed') throw new Error(`${caseName} ${algorithm} is not completed`);
  return found;
}

const mean = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0) / values.length;
const side = (run: RunRecord) => ({ run, reference: referenceOf({ run, source: 'test' }) });

describe('the search explanation of real runs under Node 20 and Node 24', () => {
  let runs: { node20: RunRecord; node24: RunRecord };
  let comparison: RunComparison;
  beforeAll(async () => {
    runs = await runtimeRuns();
    comparison = compareRuns(side(runs.node20), side(runs.node24), { threshold: '5%', confidence: '99%' });
  });

  it('decomposes the mean time per key exactly, from the keys each run measured', () => {
    const search = compared(comparison, 'keygen', 'rsa-2048').search!;
    const before = completedCase(runs.node20, 'keygen', 'rsa-2048').samples;
    const after = completedCase(runs.node24, 'keygen', 'rsa-2048').samples;
    expect(search.keys).toBe('independent');
    expect(search.baseline.keys).toBe(before.ns.length);
    expect(search.baseline.meanNs).toBeCloseTo(mean(before.ns), 3);
    expect(search.baseline.meanCandidates).toBeCloseTo(mean(before.candidates!), 9);
    expect(search.candidate.meanNs).toBeCloseTo(mean(after.ns), 3);
    for (const s of [search.baseline, search.candidate]) expect(s.meanNs).toBeCloseTo(s.meanCandidates * s.nsPerCandidate, 3);
    expect(search.perKey.estimate).toBeCloseTo(mean(after.ns) / mean(before.ns), 12);
    expect(search.perKey.estimate).toBeCloseTo(search.candidatesPerKey.estimate * search.perCandidate.estimate, 12);
    expect(search.perKey.confidence).toBe(0.95);
    expect(search.resampled).toBe('blocks');
  });

  it("reads OpenSSL 3.5's faster RSA-2048 as cheaper candidates, not luckier searches", () => {
    const search = compared(comparison, 'keygen', 'rsa-2048').search!;
    // Measured: 877 candidates a key under Node 20, 907 under Node 24; 225 µs a candidate against 60 µs.
    expect(search.candidatesPerKey.low).toBeLessThan(1);
    expect(search.candidatesPerKey.high).toBeGreaterThan(1);
    expect(search.perCandidate.high).toBeLessThan(0.35);
    expect(search.cause).toBe('per-candidate');
    expect(search.reading).toBe(
      "72% less time per key (0.28x, 0.23..0.34) = 1.03x candidates per key (0.87..1.23: the search's luck) x 0.27x time per candidate (0.25..0.29): each candidate costs less",
    );
  });

  it('says when seeded keys searched differently under the two OpenSSLs', () => {
    const seeded = compared(comparison, 'keygen-seeded', 'rsa-2048');
    expect(seeded.notes.join(' ')).toMatch(/searched different numbers of prime candidates from block 1, key 1: .*; compared as blocks of two runs$/);
    // Different searches are different keys: pairing them would read their luck as the runtime's doing.
    expect(seeded.time.method).toBe('blocks');
    expect(seeded.perCandidate!.method).toBe('blocks');
    expect(seeded.search).toMatchObject({ keys: 'independent', searchChanged: true, cause: 'per-candidate' });
    expect(seeded.search!.reading).toMatch(/^74% less time per key .* candidates per key \(\d\.\d\d\.\.\d\.\d\d: seeded keys searched differently\) x 0\.24x time per candidate/);
  });

  it('explains nothing where there are no candidates to count', () => {
    expect(compared(comparison, 'keygen', 'ec-p256').search).toBeNull();
  });

  it('tells more candidates at the same cost from cheaper ones', () => {
    // The Node 20 run against itself with every key's search twice as long at the same cost per candidate.
    const rsa = completedCase(runs.node20, 'keygen', 'rsa-2048');
    const longer = rebuild(rsa, { ns: rsa.samples.ns.map((v) => v * 2), candidates: rsa.samples.candidates!.map((c) => c * 2) });
    const twice = { ...runs.node20, cases: runs.node20.cases.map((c) => (c === rsa ? longer : c)) };
    const search = compared(compareRuns(side(runs.node20), side(twice), { threshold: '5%', confidence: '99%' }), 'keygen', 'rsa-2048').search!;
    expect(search.cause).toBe('candidates');
    expect(search.candidatesPerKey.estimate).toBeCloseTo(2, 12);
    expect(search.candidatesPerKey.low).toBeGreaterThan(1);
    // Each side's keys are resampled on their own, and keys differ in what a candidate costs: 1, give or take.
    expect(search.perCandidate.estimate).toBeCloseTo(1, 12);
    expect(search.perCandidate.low).toBeLessThan(1);
    expect(search.perCandidate.high).toBeGreaterThan(1);
    expect(search.reading).toMatch(/^2\.00 times the time per key \(\d\.\d\d\.\.\d\.\d\d\) = 2\.00x candidates per key \(\d\.\d\d\.\.\d\.\d\d\) x 1\.00x time per candidate \(0\.\d\d\.\.1\.\d\d\): more candidates were tried \(luck, or a different search\), each cost the same$/);
  });
});

describe('the search explanation of real seeded runs of one build (test/fixtures/seeded)', () => {
  interface SlimSide {
    parameters: CompletedCase['parameters'];
    blocks: CaseBlock[];
    ns: number[];
    candidates: number[];
  }
  const pairs = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/seeded/rsa-2048-pairs-2026-12-07.json', import.meta.url)), 'utf8')) as Record<'ab' | 'aa', { baseline: SlimSide; candidate: SlimSide }>;
  const rsa = caseNamed(runPair().baseline, 'rsa-2048');
  const real = (s: SlimSide): CompletedCase => ({ ...rsa, parameters: s.parameters, samples: { ns: Float64Array.from(s.ns), cycles: null, candidates: Float64Array.from(s.candidates) }, blocks: s.blocks });
  const explain = (pair: { baseline: SlimSide; candidate: SlimSide }) => {
    const c = compareCase(real(pair.baseline), real(pair.candidate), { threshold: 0.05, confidence: 0.9967 });
    if (c.state !== 'compared' || !c.search) throw new Error('no explanation');
    return c.search;
  };
  /** Block p's first min(n_a, n_c) keys are the same keys on both sides. */
  const shared = (pair: { baseline: SlimSide; candidate: SlimSide }) => pair.baseline.blocks.reduce((n, block, p) => n + Math.min(block.samples, pair.candidate.blocks[p]!.samples), 0);

  it('decomposes only the keys both runs took, as pairs: the same keys, the same search', () => {
    const search = explain(pairs.aa);
    expect(search.keys).toBe('same-search');
    expect(search.baseline.keys).toBe(shared(pairs.aa));
    expect(search.candidate.keys).toBe(shared(pairs.aa));
    expect(search.candidatesPerKey).toEqual({ estimate: 1, low: 1, high: 1, confidence: 0.95 });
    expect(search.perCandidate.low).toBeLessThan(1);
    expect(search.perCandidate.high).toBeGreaterThan(1);
    expect(search.cause).toBe('neither');
    expect(search.reading).toMatch(/= 1\.00x candidates per key \(the same keys, the same search: the 25 keys both runs took\) x .*: the same keys cost the same, within the noise$/);
  });

  it('puts a handicap of every operation wholly in time per candidate', () => {
    const search = explain(pairs.ab);
    expect(search.keys).toBe('same-search');
    expect(search.cause).toBe('per-candidate');
    expect(search.perCandidate.low).toBeGreaterThan(1);
    expect(search.perCandidate.estimate).toBeCloseTo(search.perKey.estimate, 12);
    expect(search.reading).toMatch(/^7\.0% slower per key \(1\.07x, .*\) = 1\.00x candidates per key \(the same keys, the same search: the 26 keys both runs took\) x 1\.07x time per candidate \(.*\): the whole change is per-candidate cost: each candidate costs more$/);
  });
});
