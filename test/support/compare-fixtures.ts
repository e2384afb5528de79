/**
 * Pairs of runs for the comparison tests: the store fixtures' realistic run, measured twice with different
 * seeds (an A/A pair), and the same with chosen cases made slower or faster by a known factor.
 */
import type { CaseResult, CompletedCase, RunRecord } from '../../src/model/types.js';
import { completed, makeRun, type RunOptions } from './store-fixtures.js';

/** The run with one case's times multiplied by `factor` (RSA: per-candidate time, candidates unchanged). */
export function scaleCase(run: RunRecord, caseName: string, factor: number): RunRecord {
  const cases = run.cases.map((c): CaseResult => {
    if (c.key.case !== caseName || c.state !== 'completed') return c;
    return rebuild(c, { ns: c.samples.ns.map((v) => Math.round(v * factor)) });
  });
  return { ...run, cases };
}

/** A completed case rebuilt (summary and histogram included) from new samples. */
export function rebuild(c: CompletedCase, changes: { ns?: Float64Array; candidates?: Float64Array | null; parameters?: CompletedCase['parameters'] }): CompletedCase {
  const ns = changes.ns ?? c.samples.ns;
  return completed({
    key: c.key,
    parameters: changes.parameters ?? c.parameters,
    ns,
    cycles: c.samples.cycles ? ns.map((v) => Math.round(v * 2.45)) : null,
    candidates: changes.candidates === undefined ? c.samples.candidates : changes.candidates,
    counters: c.counters,
    stoppedBy: c.precision.stoppedBy,
    // Its blocks still partition the samples while their number is unchanged; new samples are one block.
    blocks: ns.length === c.samples.ns.length ? c.blocks : undefined,
  });
}

export function runPair(options: { baseline?: RunOptions; candidate?: RunOptions } = {}): { baseline: RunRecord; candidate: RunRecord } {
  return {
    baseline: makeRun({ seed: 1, label: 'baseline', startedAt: '2026-11-20T10:00:00.000Z', ...options.baseline }),
    candidate: makeRun({ seed: 2, label: 'pr-42', startedAt: '2026-11-21T10:00:00.000Z', ...options.candidate }),
  };
}

export function caseNamed(run: RunRecord, name: string): CompletedCase {
  const found = run.cases.find((c) => c.key.case === name);
  if (found?.state !== 'completed') throw new Error(`no completed case ${name}`);
  return found;
}
