/**
 * Branch histories for the compare-against-history tests: past runs of one branch on one testbed, each case's
 * median chosen exactly (samples are built around it), and the candidate run judged against them. Medians come
 * from seeded lognormal spreads, as real runs' medians scatter; a run can be made slow as a whole, as this
 * machine's VM sometimes makes one.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

import type { BranchHistory } from '../../src/compare/compare-history.js';
import { referenceOf } from '../../src/compare/resolve-runs.js';
import { openStore } from '../../src/store/index.js';
import type { BlockMedian, CaseKey, CaseParameters, CaseResult, CompletedCase, RunOverview, RunRecord } from '../../src/model/types.js';
import { derivedTestbed } from '../../src/model/testbed.js';
import { median, normalQuantile, seededRandom } from '../../src/stats/index.js';
import { completedCase } from './report-fixtures.js';
import { environment } from './store-fixtures.js';

export const ecP256: CaseKey = { suite: 'keygen', case: 'ec-p256', implementation: 'node:crypto', algorithm: 'ec-p256' };
export const ed25519: CaseKey = { suite: 'keygen', case: 'ed25519', implementation: 'keyscope-native', algorithm: 'ed25519' };
export const rsa2048: CaseKey = { suite: 'keygen', case: 'rsa-2048', implementation: 'keyscope-native', algorithm: 'rsa-2048' };
export const x25519: CaseKey = { suite: 'keygen', case: 'x25519', implementation: 'keyscope-native', algorithm: 'x25519' };

export const historyTestbed = derivedTestbed(environment);

/** `count` medians around `typical`: typical · exp(spread · z), z standard normal from a seeded generator. */
export function lognormalMedians(seed: number, count: number, typical: number, spread: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => typical * Math.exp(spread * normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, random())))));
}

/**
 * `count` (odd) right-skewed samples whose median is exactly `median`: half below it by up to 2%, half above it
 * by an exponential tail, and `median` itself in the middle.
 */
export function samplesWithMedian(random: () => number, median: number, count = 101): Float64Array {
  const half = (count - 1) / 2;
  const values = [median];
  for (let i = 0; i < half; i++) {
    values.push(median * (1 - 0.02 * (0.001 + 0.998 * random())));
    values.push(median * (1 + 0.001 + 0.04 * -Math.log(1 - random())));
  }
  return Float64Array.from(values);
}

/** One case of a past or candidate run: its median time per key, and (RSA) its median time per prime candidate. */
export interface CaseSpec {
  key: CaseKey;
  parameters?: CaseParameters;
  /** Median ns per key; ignored for RSA cases, whose time per key is candidates · time per candidate. */
  median: number;
  /** RSA: median ns per prime candidate (each key's candidate count is drawn at random). */
  perCandidate?: number;
  /** The case did not complete in this run. */
  state?: 'errored' | 'skipped';
  /** Samples per block. */
  samples?: number;
  /**
   * Measured in blocks (all on the fixture's pinned CPU), block i's median `median · blockFactors[i]`; default:
   * one block whose median is `median`.
   */
  blockFactors?: readonly number[];
}

function caseOf(spec: CaseSpec, random: () => number): CaseResult {
  const parameters = spec.parameters ?? { threads: 1 };
  if (spec.state === 'errored') return { state: 'errored', key: spec.key, parameters, error: { code: 'KS_UNSUPPORTED_ALGORITHM', message: 'not on this OpenSSL' } };
  if (spec.state === 'skipped') return { state: 'skipped', key: spec.key, parameters, reason: 'not offered here' };
  const count = spec.samples ?? 101;
  if (spec.blockFactors !== undefined) {
    const ns = Float64Array.from(spec.blockFactors.flatMap((factor) => [...samplesWithMedian(random, spec.median * factor, count)]));
    return completedCase(spec.key, ns, { parameters, blocks: spec.blockFactors.map(() => ({ samples: count, cpu: environment.pinnedCpu })) });
  }
  if (spec.perCandidate === undefined) return completedCase(spec.key, samplesWithMedian(random, spec.median, count), { parameters });
  const perCandidate = samplesWithMedian(random, spec.perCandidate, count);
  const candidates = Float64Array.from({ length: count }, () => 40 + Math.floor(random() * 700));
  return completedCase(spec.key, Float64Array.from(perCandidate, (v, i) => v * candidates[i]!), { parameters, candidates });
}

export interface RunSpec {
  /** Position in time: day `day` of March 2025, 02:00 UTC. */
  day: number;
  cases: CaseSpec[];
  branch?: string | null;
  seed?: number;
  label?: string | null;
}

export function commitOf(day: number): string {
  return `${String(day).padStart(2, '0')}${'c0ffee1234'.repeat(4)}`.slice(0, 40);
}

export function runOf(spec: RunSpec): RunRecord {
  const random = seededRandom(spec.seed ?? 1000 + spec.day);
  const startedAt = new Date(Date.UTC(2025, 2, spec.day, 2, 0, 0)).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(spec.day).padStart(12, '0')}`,
    startedAt,
    endedAt: new Date(Date.parse(startedAt) + 60_000).toISOString(),
    label: spec.label === undefined ? null : spec.label,
    status: 'complete',
    git: { commit: commitOf(spec.day), branch: spec.branch === undefined ? 'main' : spec.branch, dirty: false },
    testbed: historyTestbed,
    environment,
    cases: spec.cases.map((c) => caseOf(c, random)),
  };
}

/** Each block's median time (and RSA's per prime candidate) with its CPU, blocks without samples left out. */
export function blockMediansOf(c: CompletedCase): BlockMedian[] {
  const out: BlockMedian[] = [];
  let offset = 0;
  for (const block of c.blocks) {
    const ns = c.samples.ns.subarray(offset, offset + block.samples);
    const candidates = c.samples.candidates?.subarray(offset, offset + block.samples) ?? null;
    offset += block.samples;
    if (ns.length === 0) continue;
    const perCandidate = candidates && candidates.length === ns.length ? median(ns.map((v, i) => v / candidates[i]!)) : null;
    out.push({ median: median(ns), medianPerCandidate: perCandidate, cpu: block.cpu });
  }
  return out;
}

/**
 * What store.findRunOverviews gives for `run`: the run without its samples, each case with its summaries and
 * block medians (a case that did not complete: null and none).
 */
export function overviewOf(run: RunRecord): RunOverview {
  const { cases, ...rest } = run;
  return {
    ...rest,
    cases: cases.map((c) => ({
      state: c.state,
      key: c.key,
      parameters: c.parameters,
      summary: c.state === 'completed' ? c.summary : null,
      blockMedians: c.state === 'completed' ? blockMediansOf(c) : [],
    })),
  };
}

/** A branch's history from its past runs, oldest first (as they were measured); the window holds them newest first. */
export function branchHistory(pastOldestFirst: readonly RunRecord[], options: { branch?: string; lookback?: number } = {}): BranchHistory {
  const newestFirst = [...pastOldestFirst].reverse();
  const newest = newestFirst[0]!;
  return {
    branch: options.branch ?? 'main',
    testbed: historyTestbed,
    lookback: options.lookback ?? 30,
    runs: newestFirst.map(overviewOf),
    newest: { run: newest, reference: referenceOf({ run: newest, source: 'store' }) },
  };
}

/** One case across the past runs: its median on each day (null: not in that day's run), and RSA's per candidate. */
export interface CaseSeries {
  spec: Omit<CaseSpec, 'median' | 'perCandidate'>;
  medians: readonly (number | null)[];
  /** RSA: ns per prime candidate on each day (null or absent: the run kept no candidate counts). */
  perCandidate?: readonly (number | null)[];
}

/** Past runs on days 1..n (oldest first), day d holding each series' case with its median of that day. */
export function pastRuns(series: readonly CaseSeries[], options: { slowDays?: Record<number, number> } = {}): RunRecord[] {
  const days = Math.max(...series.map((s) => s.medians.length));
  return Array.from({ length: days }, (_, d) => {
    // A slow stretch of the VM makes a whole run slower, every case alike.
    const slow = options.slowDays?.[d + 1] ?? 1;
    return runOf({
      day: d + 1,
      cases: series.flatMap((s) => {
        const median = s.medians[d];
        if (median === null || median === undefined) return [];
        const perCandidate = s.perCandidate?.[d];
        return [{ ...s.spec, median: median * slow, perCandidate: perCandidate === null || perCandidate === undefined ? undefined : perCandidate * slow }];
      }),
    });
  });
}

/** The candidate run: a feature branch's run, measured after the history. */
export function candidateRun(cases: CaseSpec[], options: { day?: number; branch?: string } = {}): { run: RunRecord; reference: ReturnType<typeof referenceOf> } {
  const run = runOf({ day: options.day ?? 28, cases, branch: options.branch ?? 'feature/faster-ec', label: 'pr-7', seed: 77 });
  return { run, reference: referenceOf({ run, source: 'store' }) };
}

/**
 * The case's median (ns per key, or per prime candidate) in every run of the window that completed it: for runs of
 * one block, the run's location too.
 */
export function windowMedians(history: BranchHistory, key: CaseKey, measure: 'ns' | 'nsPerCandidate' = 'ns'): number[] {
  return history.runs.flatMap((run) =>
    run.cases.filter((c) => c.key.case === key.case && c.key.implementation === key.implementation && c.summary !== null).flatMap((c) => {
      const summary = c.summary![measure];
      return summary ? [summary.median] : [];
    }),
  );
}

export function completedIn(run: RunRecord, key: CaseKey): CompletedCase {
  const found = run.cases.find((c) => c.key.case === key.case && c.key.implementation === key.implementation);
  if (found?.state !== 'completed') throw new Error(`no completed ${key.case} in run ${run.id}`);
  return found;
}

/** A CLI child's environment with no CI variables and no git overrides, so that only options name a branch. */
export const noCiEnv: NodeJS.ProcessEnv = {
  GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', GITHUB_REF_NAME: '', GITHUB_REF_TYPE: '', GITHUB_HEAD_REF: '', GITHUB_SHA: '',
  CI: '', GITLAB_CI: '', BUILDKITE: '', CIRCLECI: '', JENKINS_URL: '', GIT_DIR: undefined, GIT_WORK_TREE: undefined,
};

/** What a read must leave as it was: the store directory's listing and the store file's sha256. */
export function storeFingerprint(db: string): { files: string[]; sha256: string } {
  return { files: readdirSync(dirname(db)).sort(), sha256: createHash('sha256').update(readFileSync(db)).digest('hex') };
}

/** Saves `runs` into the store at `db` (created), and returns its fingerprint after. */
export async function saveRunsTo(db: string, runs: readonly RunRecord[]): Promise<{ files: string[]; sha256: string }> {
  const store = await openStore(db);
  try {
    for (const run of runs) await store.saveRun(run);
  } finally {
    await store.close();
  }
  return storeFingerprint(db);
}
