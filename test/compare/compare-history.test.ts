/**
 * compareWithHistory: a candidate judged against twelve past runs of main on its testbed. Cases with five or more
 * past runs are judged by where their median falls among the past medians (expected numbers worked out here from
 * the window's medians); cases with fewer by the per-run model against main's newest run, with a note; the rest
 * are unmatched with the reason. Then the text and markdown a person reads of it.
 */
import { describe, expect, it } from 'vitest';

import { compareWithHistory } from '../../src/compare/compare-history.js';
import { formatMarkdown, formatText } from '../../src/compare/format/index.js';
import type { CaseComparison, RunComparison } from '../../src/compare/types.js';
import { studentTQuantile } from '../../src/stats/index.js';
import {
  branchHistory,
  candidateRun,
  type CaseSeries,
  type CaseSpec,
  commitOf,
  ecP256,
  ed25519,
  historyTestbed,
  lognormalMedians,
  pastRuns,
  rsa2048,
  windowMedians,
  x25519,
} from '../support/history-fixtures.js';

const mlKem = { suite: 'keygen', case: 'ml-kem-768', implementation: 'keyscope', algorithm: 'ml-kem-768' };
const x448 = { suite: 'keygen', case: 'x448', implementation: 'keyscope-native', algorithm: 'x448' };
const p384 = { suite: 'keygen', case: 'ec-p384', implementation: 'node:crypto', algorithm: 'ec-p384' };

const days = 12;
const none = (count: number) => Array.from({ length: count }, () => null);

/** Twelve nightly runs of main: medians 1% apart (RSA per key: as the prime search's luck has them). */
function nightlySeries(): CaseSeries[] {
  const ed = lognormalMedians(22, days, 41_000, 0.01);
  return [
    { spec: { key: ecP256 }, medians: lognormalMedians(21, days, 12_000, 0.01) },
    // ed25519 errored on day 4: that run does not count towards its history.
    { spec: { key: ed25519 }, medians: ed.map((m, d) => (d === 3 ? null : m)) },
    { spec: { key: ed25519, state: 'errored' }, medians: ed.map((m, d) => (d === 3 ? m : null)) },
    { spec: { key: rsa2048, parameters: { threads: 1, exponent: 65537 } }, medians: Array.from({ length: days }, () => 1), perCandidate: lognormalMedians(23, days, 95_000, 0.01) },
    // x25519 is new: only the three newest runs have it.
    { spec: { key: x25519 }, medians: [...none(days - 3), ...lognormalMedians(24, 3, 30_000, 0.01)] },
    { spec: { key: mlKem, state: 'errored' }, medians: Array.from({ length: days }, () => 1) },
    // x448 ran twice, long ago; ec-p384 only in the newest run.
    { spec: { key: x448 }, medians: [60_000, 60_500, ...none(days - 2)] },
    { spec: { key: p384 }, medians: [...none(days - 1), 25_000] },
  ];
}

function candidateCases(factors: { ec?: number; ed?: number; rsa?: number } = {}): CaseSpec[] {
  return [
    { key: ecP256, median: 12_000 * (factors.ec ?? 1) },
    { key: ed25519, median: 41_000 * (factors.ed ?? 1) },
    { key: rsa2048, parameters: { threads: 1, exponent: 65537 }, median: 1, perCandidate: 95_000 * (factors.rsa ?? 1) },
    { key: x25519, median: 30_000 },
    { key: mlKem, median: 1, state: 'errored' },
    { key: x448, median: 60_000 },
  ];
}

const settings = { threshold: 0.05, confidence: 0.99 };
const tight = branchHistory(pastRuns(nightlySeries()));
// The same nights, but day 7's run came out 35% slow as a whole, as this machine's VM sometimes does.
const withSlowRun = branchHistory(pastRuns(nightlySeries(), { slowDays: { 7: 1.35 } }));
const candidate = candidateRun(candidateCases({ ec: 1.1, ed: 1.01, rsa: 1.1 }));
const comparison = compareWithHistory(candidate, tight, settings);

type Compared = Extract<CaseComparison, { state: 'compared' }>;

function compared(c: RunComparison, name: string): Compared {
  const found = c.cases.find((x) => x.key.case === name);
  if (found?.state !== 'compared') throw new Error(`${name} was not compared: ${JSON.stringify(found)}`);
  return found;
}

function unmatchedReason(c: RunComparison, name: string): string {
  const found = c.cases.find((x) => x.key.case === name);
  if (found?.state !== 'unmatched') throw new Error(`${name} was not unmatched: ${JSON.stringify(found)}`);
  return found.reason;
}

/** What the history should teach: Student's t prediction half-width of the log medians, worked out here. */
function expectedJudgement(medians: readonly number[], confidence: number): { mean: number; sd: number; half: number } {
  const logs = medians.map(Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
  const half = studentTQuantile(1 - (1 - confidence) / 2, logs.length - 1) * sd * Math.sqrt(1 + 1 / logs.length);
  return { mean, sd, half };
}

describe('compareWithHistory', () => {
  it('says what it judged against: the branch, the testbed, the window and its ends', () => {
    expect(comparison.against).toEqual({
      kind: 'history',
      branch: 'main',
      testbed: historyTestbed,
      runs: 12,
      lookback: 30,
      oldest: { startedAt: '2025-03-01T02:00:00.000Z', commit: commitOf(1) },
      newest: { startedAt: '2025-03-12T02:00:00.000Z', commit: commitOf(12) },
    });
    expect(comparison.baseline).toBe(tight.newest.reference);
    expect(comparison.baseline.startedAt).toBe('2025-03-12T02:00:00.000Z');
    expect(comparison.candidate).toBe(candidate.reference);
    expect(comparison.settings).toEqual(settings);
    expect(comparison.strict).toBe(false);
    expect(comparison.environment.differences).toEqual([]);
  });

  it('shares the run\'s confidence among the cases judged, by history or by the newest run (Bonferroni)', () => {
    // Judged: ec-p256, ed25519, rsa-2048 (history), x25519 (newest run); not ml-kem, x448, ec-p384.
    expect(comparison.caseConfidence).toBeCloseTo(1 - 0.01 / 4, 14);
    expect(compared(comparison, 'ec-p256').time.ratio.confidence).toBeCloseTo(1 - 0.01 / 4, 14);
    const fewer = compareWithHistory(candidateRun(candidateCases().filter((c) => c.key !== x25519 && c.key !== ed25519)), tight, settings);
    expect(fewer.caseConfidence).toBeCloseTo(1 - 0.01 / 2, 14);
  });

  it('judges a case with a tight history at the threshold: +10% regresses, with the numbers the window gives', () => {
    const ec = compared(comparison, 'ec-p256');
    const past = windowMedians(tight, ecP256);
    expect(past).toHaveLength(12);
    const { mean, sd, half } = expectedJudgement(past, comparison.caseConfidence);
    expect(ec.verdict).toBe('regressed');
    expect(ec.decidedBy).toBe('time');
    expect(ec.perCandidate).toBeNull();
    expect(ec.time.method).toBe('history');
    expect(ec.time.history).toMatchObject({ runs: 12, thresholdSource: 'setting', threshold: 0.05 });
    expect(ec.time.history!.spread).toBeCloseTo(sd, 12);
    expect(ec.time.history!.learnedThreshold).toBeCloseTo(Math.expm1(half), 12);
    expect(ec.time.history!.learnedThreshold).toBeLessThan(0.05);
    expect(ec.baseline).toEqual({ median: expect.closeTo(Math.exp(mean), 6), count: 12, medianPerCandidate: null });
    expect(ec.candidate).toEqual({ median: expect.closeTo(13_200, 6), count: 101, medianPerCandidate: null });
    expect(ec.time.ratio.estimate).toBeCloseTo(13_200 / Math.exp(mean), 12);
    expect(ec.time.ratio.low).toBeCloseTo(Math.exp(Math.log(13_200) - mean - half), 12);
    expect(ec.notes).toEqual([]);
    expect(ec.unstable).toBe(false);
  });

  it('calls a +1% run unchanged at a 5% threshold, though the tight history alone would not', () => {
    const ed = compared(comparison, 'ed25519');
    expect(ed.verdict).toBe('unchanged');
    expect(ed.time.history!.thresholdSource).toBe('setting');
    // The run where ed25519 errored is not part of its history.
    expect(ed.time.history!.runs).toBe(11);
    expect(ed.baseline.count).toBe(11);
    const { half } = expectedJudgement(windowMedians(tight, ed25519), comparison.caseConfidence);
    expect(ed.time.history!.learnedThreshold).toBeCloseTo(Math.expm1(half), 12);
  });

  it('learns a wider threshold from a history with a run 35% slow, and then does not gate +10%', () => {
    const noisy = compareWithHistory(candidate, withSlowRun, settings);
    const ec = compared(noisy, 'ec-p256');
    const past = windowMedians(withSlowRun, ecP256);
    const { sd, half } = expectedJudgement(past, noisy.caseConfidence);
    expect(ec.time.history!.spread).toBeCloseTo(sd, 12);
    expect(ec.time.history!.learnedThreshold).toBeCloseTo(Math.expm1(half), 12);
    expect(ec.time.history!.learnedThreshold).toBeGreaterThan(0.2);
    expect(ec.time.history!.learnedThreshold).toBeGreaterThan(4 * compared(comparison, 'ec-p256').time.history!.learnedThreshold);
    expect(ec.time.history).toMatchObject({ thresholdSource: 'history', threshold: ec.time.history!.learnedThreshold });
    expect(ec.verdict).toBe('unchanged');
    expect(compared(noisy, 'ec-p256').time.ratio.high).toBeGreaterThan(1.1);
  });

  it('judges RSA on both measures by history, each at half the case\'s error rate', () => {
    const rsa = compared(comparison, 'rsa-2048');
    expect(rsa.perCandidate).not.toBeNull();
    expect(rsa.time.method).toBe('history');
    expect(rsa.perCandidate!.method).toBe('history');
    const each = 1 - (1 - comparison.caseConfidence) / 2;
    expect(rsa.time.ratio.confidence).toBeCloseTo(each, 14);
    expect(rsa.perCandidate!.ratio.confidence).toBeCloseTo(each, 14);
    const perCandidatePast = windowMedians(tight, rsa2048, 'nsPerCandidate');
    expect(perCandidatePast).toHaveLength(12);
    const { mean, half } = expectedJudgement(perCandidatePast, each);
    expect(rsa.perCandidate!.history!.learnedThreshold).toBeCloseTo(Math.expm1(half), 12);
    expect(rsa.baseline.medianPerCandidate).toBeCloseTo(Math.exp(mean), 6);
    expect(rsa.candidate.medianPerCandidate).toBeCloseTo(95_000 * 1.1, 6);
    // Time per prime candidate is steady, so its +10% shows; time per key carries the luck of the search.
    expect(rsa.perCandidate!.verdict).toBe('regressed');
    expect(rsa.time.history!.spread).toBeGreaterThan(rsa.perCandidate!.history!.spread);
    expect(rsa.verdict).toBe('regressed');
    expect(rsa.decidedBy).toBe(rsa.time.verdict === 'regressed' ? 'both' : 'per-candidate');
  });

  it('judges RSA by time per key alone when fewer than 5 past runs kept prime-candidate counts', () => {
    const series = nightlySeries().map((s) => (s.spec.key === rsa2048 ? { ...s, medians: Array.from({ length: days }, () => 37_000_000), perCandidate: [...none(days - 4), ...s.perCandidate!.slice(days - 4)] } : s));
    const history = branchHistory(pastRuns(series));
    expect(windowMedians(history, rsa2048, 'nsPerCandidate')).toHaveLength(4);
    const rsa = compared(compareWithHistory(candidate, history, settings), 'rsa-2048');
    expect(rsa.time.method).toBe('history');
    expect(rsa.time.history!.runs).toBe(12);
    expect(rsa.perCandidate).toBeNull();
    expect(rsa.decidedBy).toBe('time');
    expect(rsa.baseline.medianPerCandidate).toBeNull();
    expect(rsa.candidate.medianPerCandidate).toBeNull();
  });

  it('judges a case with fewer than 5 past runs against the newest run alone, and notes it', () => {
    const x = compared(comparison, 'x25519');
    expect(x.time.method).not.toBe('history');
    expect(x.time.history).toBeNull();
    expect(x.time.baselineCount).toBe(101);
    expect(x.notes).toContain(`main has 3 past runs of this case on testbed ${historyTestbed} (5 needed): judged against its newest run alone`);
    expect(x.time.ratio.confidence).toBeCloseTo(comparison.caseConfidence, 14);
  });

  it('leaves unmatched, with the reason, what neither the history nor the newest run can judge', () => {
    expect(unmatchedReason(comparison, 'ml-kem-768')).toBe('candidate: errored (KS_UNSUPPORTED_ALGORITHM)');
    expect(unmatchedReason(comparison, 'x448')).toBe(`main has 2 past runs of this case on testbed ${historyTestbed} (5 needed), and its newest run: absent`);
    expect(unmatchedReason(comparison, 'ec-p384')).toBe("main's newest run: completed; candidate: absent");
    expect(comparison.counts).toEqual({ regressed: 2, improved: 0, unchanged: 1 + Number(compared(comparison, 'x25519').verdict === 'unchanged'), inconclusive: Number(compared(comparison, 'x25519').verdict === 'inconclusive'), unstable: 0, unmatched: 3 });
    // Every case of the candidate, then the newest run's that the candidate lacks.
    expect(comparison.cases.map((c) => c.key.case)).toEqual(['ec-p256', 'ed25519', 'rsa-2048', 'x25519', 'ml-kem-768', 'x448', 'ec-p384']);
  });

  it('says "1 past run" in the singular', () => {
    const series: CaseSeries[] = [...nightlySeries(), { spec: { key: { ...x448, case: 'x448-once' } }, medians: [70_000, ...none(days - 1)] }];
    const c = compareWithHistory(candidateRun([...candidateCases(), { key: { ...x448, case: 'x448-once' }, median: 70_000 }]), branchHistory(pastRuns(series)), settings);
    expect(unmatchedReason(c, 'x448-once')).toBe(`main has 1 past run of this case on testbed ${historyTestbed} (5 needed), and its newest run: absent`);
  });

  it('refuses bad settings and an empty history with coded errors', () => {
    expect(() => compareWithHistory(candidate, tight, { threshold: '150%', confidence: 0.99 })).toThrow(expect.objectContaining({ code: 'KS_INVALID_OPTION', message: expect.stringContaining('compareWithHistory: threshold') }));
    expect(() => compareWithHistory(candidate, tight, { threshold: 0.05, confidence: 1 })).toThrow(expect.objectContaining({ code: 'KS_INVALID_OPTION' }));
    expect(() => compareWithHistory(candidate, { ...tight, runs: [] }, settings)).toThrow(expect.objectContaining({ code: 'KS_INVALID_OPTION', message: expect.stringContaining('no runs') }));
    expect(compareWithHistory(candidate, tight, { ...settings, strict: true }).strict).toBe(true);
  });

  it('takes "5%" as 0.05', () => {
    const c = compareWithHistory(candidate, tight, { threshold: '5%', confidence: '99%' });
    expect(c.settings).toEqual({ threshold: 0.05, confidence: 0.99 });
    expect(compared(c, 'ec-p256').verdict).toBe('regressed');
  });
});

describe('compareWithHistory in text and markdown', () => {
  const text = formatText(comparison);
  const lines = text.split('\n');
  const rowOf = (name: string) => {
    const found = lines.find((line) => line.startsWith(`keygen/${name} `));
    if (!found) throw new Error(`no row for ${name} in:\n${text}`);
    return found;
  };
  const taught = (line: string, pattern: RegExp): number => {
    const match = pattern.exec(line);
    if (!match) throw new Error(`${String(pattern)} not in: ${line}`);
    return Number(match[1]) / 100;
  };

  it('says what the run was judged against, under the settings', () => {
    expect(text).toContain(
      `judged against the history of main on testbed ${historyTestbed}: 12 past runs (at most 30), 2025-03-01 to 2025-03-12, commits ${commitOf(1).slice(0, 10)}..${commitOf(12).slice(0, 10)}; ` +
        "each case's threshold is the change its history says a run of unchanged code stays within, or 5% (--threshold) where that is larger",
    );
    expect(text).toContain(`baseline   newest past run 00000000  main@${commitOf(12).slice(0, 10)}  2025-03-12T02:00:00.000Z`);
    expect(text).toContain(`candidate  00000000  label pr-7  feature/faster-ec@${commitOf(28).slice(0, 10)}  2025-03-28T02:00:00.000Z`);
    expect(text).toContain('each case 99.75%');
    expect(text).not.toContain('judged against one run');
  });

  it('prints the threshold that applied on each history-judged row, and what the history taught', () => {
    const ec = rowOf('ec-p256');
    expect(ec).toMatch(/\bregressed\b/);
    expect(ec).toContain(`(history: 12 runs of main on testbed ${historyTestbed}, threshold 5% (--threshold; the history taught `);
    const learned = compared(comparison, 'ec-p256').time.history!.learnedThreshold;
    expect(taught(ec, /the history taught (\d+(?:\.\d+)?)%/)).toBeCloseTo(learned, 4);
    expect(rowOf('ed25519')).toContain(`history: 11 runs of main on testbed ${historyTestbed}, threshold 5% (--threshold;`);
  });

  it('says "(learned)" where the history\'s threshold applied', () => {
    const noisy = compareWithHistory(candidate, withSlowRun, settings);
    const row = formatText(noisy).split('\n').find((line) => line.startsWith('keygen/ec-p256 '))!;
    expect(row).toMatch(/\bunchanged\b/);
    const learned = compared(noisy, 'ec-p256').time.history!.learnedThreshold;
    expect(taught(row, new RegExp(`history: 12 runs of main on testbed ${historyTestbed}, threshold (\\d+(?:\\.\\d+)?)% \\(learned\\)`))).toBeCloseTo(learned, 4);
  });

  it('for RSA decided by time per prime candidate, prints the threshold that measure taught', () => {
    const rsa = compared(comparison, 'rsa-2048');
    const row = rowOf('rsa-2048');
    const decisive = rsa.decidedBy === 'time' ? rsa.time : rsa.perCandidate!;
    const h = decisive.history!;
    if (h.thresholdSource === 'history') expect(taught(row, /threshold (\d+(?:\.\d+)?)% \(learned\)/)).toBeCloseTo(h.learnedThreshold, 4);
    else expect(taught(row, /the history taught (\d+(?:\.\d+)?)%/)).toBeCloseTo(h.learnedThreshold, 4);
    expect(row).toMatch(/on (time per prime candidate|both measures)/);
  });

  it('says a short-history case was judged against the newest run alone', () => {
    expect(rowOf('x25519')).toContain("(against main's newest run alone, threshold 5% (--threshold)");
    expect(lines).toContain(`  note: main has 3 past runs of this case on testbed ${historyTestbed} (5 needed): judged against its newest run alone`);
    expect(rowOf('x448')).toContain(`unmatched  (main has 2 past runs of this case on testbed ${historyTestbed} (5 needed), and its newest run: absent)`);
  });

  it('ends with the counts', () => {
    expect(lines.at(-2)).toMatch(/^2 regressed, 0 improved, \d unchanged, \d inconclusive, 3 unmatched$/);
  });

  it('says the same in markdown, escaped for a table', () => {
    const md = formatMarkdown(comparison);
    expect(md).toContain(`judged against the history of main on testbed ${historyTestbed}: 12 past runs \\(at most 30\\), 2025-03-01 to 2025-03-12`);
    expect(md).toContain(`- baseline: newest past run 00000000  main@${commitOf(12).slice(0, 10)}  2025-03-12T02:00:00.000Z`);
    const ec = md.split('\n').find((line) => line.startsWith('| keygen/ec-p256 '))!;
    expect(ec).toContain(`**regressed** (history: 12 runs of main on testbed ${historyTestbed}, threshold 5% \\(--threshold; the history taught `);
    expect(md).toContain(`| ↳ note: main has 3 past runs of this case on testbed ${historyTestbed} \\(5 needed\\): judged against its newest run alone |`);
    expect(md.split('\n')[0]).toBe(`### keyscope: ${lines.at(-2)}`);
  });
});
