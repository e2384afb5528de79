/**
 * An interleaved session: two builds of keyscope (a baseline and a candidate) measured in one session, block by
 * block, each in a worker process of its own. For every case, each round measures a block of the baseline and a
 * block of the candidate back to back, on the same CPU, in an order chosen by a seeded coin; only one worker
 * measures at a time. Drift (a vCPU's slow spell, a neighbour, the machine warming) then falls on both blocks of
 * a pair alike, and the comparison of pairs (compare's interleaved method) cancels it, as hyperfine's and Google
 * Benchmark's A/B tooling do.
 *
 * The session returns two ordinary runs whose block i of a case is the pair's: the baseline's and the candidate's.
 */
import { ErrorCodes, InvalidArgumentError, KeyscopeError } from '../core/index.js';
import { seededRandom } from '../stats/index.js';
import { caseIdentity, type CaseKey, type RunRecord } from '../model/index.js';
import { type BuildSide, type BuildWorker, checkProtocol, startBuildWorker } from './interleave-build.js';
import type { PlannedCaseInfo } from './interleave-protocol.js';
import type { RunEvent } from './run-suites.js';

export interface InterleaveOptions {
  /** Suites by name or glob, as for `keyscope bench` (none: the default suite). */
  patterns?: string[];
  /** Where the project's suites are (default: ./bench). */
  dir?: string;
  quick?: boolean;
  /** Blocks (pairs) per case, at least 3 (default: the baseline build's default for the run). */
  blocks?: number;
  /** The CPUs the rounds rotate through, both workers pinned to the round's CPU; empty: unpinned. */
  cpus?: readonly number[];
  /** Seeds the coin that orders each pair (default: a random seed, reported). */
  seed?: number;
  /** How long a worker may say nothing before the session fails (default: two minutes; a block: 50 × its budget if longer). */
  silenceMs?: number;
  /** Stops between blocks: the session comes back aborted, with every pair measured so far. */
  signal?: AbortSignal;
  /**
   * The session's progress as a run's events (createProgress draws them), two steps a case a round: a step's
   * index is its place in the round (2 × case + 0 or 1, whichever build went first), steps count blocks in the
   * order they run.
   */
  onEvent?: (event: RunEvent) => void;
}

/** A case only one build measures: the other lacks it (absent) or skips it (skipped). Not measured. */
export interface OneSidedCase {
  key: CaseKey;
  onlyIn: 'baseline' | 'candidate';
  why: 'absent' | 'skipped';
}

export interface InterleavedSession {
  /** The package roots of the two builds. */
  roots: { baseline: string; candidate: string };
  baseline: RunRecord;
  candidate: RunRecord;
  /** The seed of the coin that ordered the pairs. */
  seed: number;
  /** Cases of one build only. */
  oneSided: OneSidedCase[];
}

interface MatchedCase {
  key: CaseKey;
  /** The case's index in each build's plan. */
  indices: [number, number];
  blockMs: [number, number];
  /** Both builds will measure it (neither skipped it). */
  open: boolean;
}

function matchCases(baseline: readonly PlannedCaseInfo[], candidate: readonly PlannedCaseInfo[]): { matched: MatchedCase[]; oneSided: OneSidedCase[] } {
  const byIdentity = new Map(candidate.map((c, index) => [caseIdentity(c), index]));
  const matched: MatchedCase[] = [];
  const oneSided: OneSidedCase[] = [];
  const paired = new Set<number>();
  baseline.forEach((c, index) => {
    const other = byIdentity.get(caseIdentity(c));
    if (other === undefined) return oneSided.push({ key: c.key, onlyIn: 'baseline', why: 'absent' });
    paired.add(other);
    const partner = candidate[other]!;
    // Skipped by one build only: the other's blocks would have no partners.
    if (c.open !== partner.open) return oneSided.push({ key: c.key, onlyIn: c.open ? 'baseline' : 'candidate', why: 'skipped' });
    matched.push({ key: c.key, indices: [index, other], blockMs: [c.blockMs, partner.blockMs], open: c.open });
  });
  candidate.forEach((c, index) => {
    if (!paired.has(index)) oneSided.push({ key: c.key, onlyIn: 'candidate', why: 'absent' });
  });
  return { matched, oneSided };
}

/** Blocks below this leave no pair to trim: the pairs' trimmed mean needs at least 3. */
export const minimumPairs = 3;

export async function runInterleaved(baselineSide: BuildSide, candidateSide: BuildSide, options: InterleaveOptions = {}): Promise<InterleavedSession> {
  if (options.blocks !== undefined && !(Number.isInteger(options.blocks) && options.blocks >= minimumPairs && options.blocks <= 1000)) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `runInterleaved: blocks must be a whole number from ${minimumPairs} to 1000 (pairs a case), got ${String(options.blocks)}`);
  }
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const cpus = [...(options.cpus ?? [])];
  const workers: BuildWorker[] = [];
  const emit = (event: RunEvent) => options.onEvent?.(event);
  let outcome: 'complete' | 'aborted' | 'failed' = 'failed';
  try {
    // One at a time, so that a build refused second leaves the first's worker in the list to be stopped.
    workers.push(startBuildWorker(baselineSide, 'baseline'));
    workers.push(startBuildWorker(candidateSide, 'candidate'));
    const open = {
      type: 'open' as const,
      patterns: options.patterns ?? [],
      dir: options.dir ?? null,
      quick: options.quick ?? false,
      cpus,
      cwd: process.cwd(),
    };
    // Planned one after the other (planning loads suites and warms the addon, not to be done side by side); the
    // candidate gets the baseline's block count, so both share their budgets into the same number of blocks.
    const silenceMs = options.silenceMs ?? 120_000;
    const baselinePlan = await workers[0]!.request({ ...open, blocks: options.blocks ?? null, gitCwd: workers[0]!.root }, 'opened', { timeoutMs: silenceMs });
    checkProtocol(baselinePlan, workers[0]!.root);
    const candidatePlan = await workers[1]!.request({ ...open, blocks: baselinePlan.blocks, gitCwd: workers[1]!.root }, 'opened', { timeoutMs: silenceMs });
    checkProtocol(candidatePlan, workers[1]!.root);
    const blocks = baselinePlan.blocks;
    const { matched, oneSided } = matchCases(baselinePlan.cases, candidatePlan.cases);
    if (matched.length === 0) {
      throw new KeyscopeError(ErrorCodes.interleavedBuild, `the two builds have no case in common to measure (${baselinePlan.cases.length} cases in the baseline, ${candidatePlan.cases.length} in the candidate)`);
    }
    const total = matched.length * 2;
    // Every pair's order, drawn before measuring, so that the progress's budgets come in the order the steps run.
    const coin = seededRandom(seed);
    const orders = Array.from({ length: blocks }, () => matched.map((): [0 | 1, 0 | 1] => (coin() < 0.5 ? [0, 1] : [1, 0])));
    const budgetsMs = orders.flatMap((round) => round.flatMap((order, caseIndex) => order.map((side) => matched[caseIndex]!.blockMs[side])));
    emit({ type: 'run-start', cases: total, blocks, budgetsMs });

    const open_ = matched.map((m) => m.open);
    let step = 0;
    let aborted = false;
    rounds: for (let block = 0; block < blocks; block++) {
      const cpu = cpus.length > 0 ? cpus[block % cpus.length]! : null;
      for (const [caseIndex, m] of matched.entries()) {
        const counts: number[] = [];
        for (const [position, side] of orders[block]![caseIndex]!.entries()) {
          // The step's place in its round: the progress counts a round done at its last index.
          const index = caseIndex * 2 + position;
          if (open_[caseIndex]) {
            emit({ type: 'case-start', index, total, key: m.key, maxTimeMs: m.blockMs[side], step, block, blocks });
            const reply = await workers[side]!.request({ type: 'measure', index: m.indices[side], cpu }, 'measured', {
              onProgress: (_, progress) => emit({ type: 'case-progress', index, key: m.key, progress, step }),
              // A block may run past its budget (RSA takes at least one key, however long): allow it many times over.
              timeoutMs: Math.max(silenceMs, 50 * m.blockMs[side]),
            });
            // A case that errored on either side has no more pairs: the other side stops with it.
            if (!reply.open) open_[caseIndex] = false;
            counts[side] = reply.blocks;
          }
          emit({ type: 'block-end', index, total, step, block, blocks });
          step++;
        }
        // A block that took no samples is not kept: its side is a block short, and block i would no longer meet
        // block i. The case stops there, and the comparison says its blocks are not paired.
        if (counts.length === 2 && counts[0] !== counts[1]) open_[caseIndex] = false;
        if (options.signal?.aborted && step < blocks * total) {
          aborted = true;
          break rounds;
        }
      }
    }
    const status = aborted ? 'aborted' : 'complete';
    const baseline = (await workers[0]!.request({ type: 'close', status, keep: matched.map((m) => m.indices[0]) }, 'closed', { timeoutMs: silenceMs })).run;
    const candidate = (await workers[1]!.request({ type: 'close', status, keep: matched.map((m) => m.indices[1]) }, 'closed', { timeoutMs: silenceMs })).run;
    let ended = 0;
    for (const result of [...baseline.cases, ...candidate.cases]) emit({ type: 'case-end', index: ended++, total, result });
    outcome = status;
    return { roots: { baseline: workers[0]!.root, candidate: workers[1]!.root }, baseline, candidate, seed, oneSided };
  } finally {
    for (const worker of workers) worker.stop();
    emit({ type: 'run-end', status: outcome });
  }
}
