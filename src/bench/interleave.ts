/**
 * An interleaved session: two builds of keyscope (a baseline and a candidate) measured in one session, block by
 * block, each in a worker process of its own. For every case, each round measures a block of the baseline and a
 * block of the candidate back to back, on the same CPU, in an order chosen by a seeded coin; only one worker
 * measures at a time. Drift (a vCPU's slow spell, a neighbour, the machine warming) then falls on both blocks of
 * a pair alike, and the comparison of pairs (compare's interleaved method) cancels it, as hyperfine's and Google
 * Benchmark's A/B tooling do.
 *
 * Each build runs in several processes (forks, as JMH calls them), which take the rounds in turn: a process that
 * runs a case faster or slower for its whole life then spreads the pairs instead of shifting them all.
 *
 * The session returns two ordinary runs whose block i of a case is the pair's: the baseline's and the candidate's,
 * joined here from the blocks the build's forks measured.
 */
import { ErrorCodes, InvalidArgumentError, KeyscopeError } from '../core/index.js';
import { seededRandom } from '../stats/index.js';
import { caseIdentity, type CaseKey, type CaseResult, type RunRecord } from '../model/index.js';
import { type BuildSide, type BuildWorker, checkProtocol, startBuildWorker } from './interleave-build.js';
import type { PlannedCaseInfo, WorkerReply, WorkerRequest } from './interleave-protocol.js';
import { blockCpu, type BlockOutcome, joinBlocks } from './run-case.js';
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
  /**
   * Worker processes per build (default 4, at most 16), taking the rounds in turn: a process that runs a case
   * faster or slower for its whole life (its heap, its code's layout, its JIT's choices) then shows as spread
   * between pairs, not as a change.
   */
  forks?: number;
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
  /** Worker processes per build (round r measured by fork r mod forks; never more than the rounds). */
  forks: number;
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

/** A build's processes in a session: JMH's forks. Each round's blocks are measured by fork (round mod forks). */
export const defaultForks = 4;

/** A build's worker processes and the plan they share. */
interface BuildProcesses {
  forks: BuildWorker[];
  plan: Extract<WorkerReply, { type: 'opened' }>;
}

/** What the session has of one build's case: the blocks every fork measured, in round order. */
interface JoinedSide {
  blocks: BlockOutcome[];
  cpus: (number | null)[];
  failure: CaseResult | null;
}

export async function runInterleaved(baselineSide: BuildSide, candidateSide: BuildSide, options: InterleaveOptions = {}): Promise<InterleavedSession> {
  if (options.blocks !== undefined && !(Number.isInteger(options.blocks) && options.blocks >= minimumPairs && options.blocks <= 1000)) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `runInterleaved: blocks must be a whole number from ${minimumPairs} to 1000 (pairs a case), got ${String(options.blocks)}`);
  }
  const forkCount = options.forks ?? defaultForks;
  if (!(Number.isInteger(forkCount) && forkCount >= 1 && forkCount <= 16)) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `runInterleaved: forks must be a whole number from 1 to 16 (processes a build), got ${String(options.forks)}`);
  }
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const cpus = [...(options.cpus ?? [])];
  const started: BuildWorker[] = [];
  const emit = (event: RunEvent) => options.onEvent?.(event);
  let outcome: 'complete' | 'aborted' | 'failed' = 'failed';
  try {
    const silenceMs = options.silenceMs ?? 120_000;
    const open = {
      type: 'open' as const,
      patterns: options.patterns ?? [],
      dir: options.dir ?? null,
      quick: options.quick ?? false,
      cpus,
      cwd: process.cwd(),
      blocks: options.blocks ?? null,
    };
    const { builds, matched, oneSided } = await startBuilds([baselineSide, candidateSide], open, forkCount, silenceMs, started);
    const forksUsed = builds[0].forks.length;
    const blockCount = builds[0].plan.blocks;
    const total = matched.length * 2;
    // Every pair's order, drawn before measuring, so that the progress's budgets come in the order the steps run.
    const coin = seededRandom(seed);
    const orders = Array.from({ length: blockCount }, () => matched.map((): [0 | 1, 0 | 1] => (coin() < 0.5 ? [0, 1] : [1, 0])));
    const budgetsMs = orders.flatMap((round) => round.flatMap((order, caseIndex) => order.map((side) => matched[caseIndex]!.blockMs[side])));
    emit({ type: 'run-start', cases: total, blocks: blockCount, budgetsMs });

    const joined = matched.map((): [JoinedSide, JoinedSide] => [
      { blocks: [], cpus: [], failure: null },
      { blocks: [], cpus: [], failure: null },
    ]);
    const stillPairing = matched.map((m) => m.open);
    let step = 0;
    let aborted = false;
    rounds: for (let block = 0; block < blockCount; block++) {
      const cpu = cpus.length > 0 ? cpus[block % cpus.length]! : null;
      for (const [caseIndex, m] of matched.entries()) {
        const kept: boolean[] = [];
        for (const [position, side] of orders[block]![caseIndex]!.entries()) {
          // The step's place in its round: the progress counts a round done at its last index.
          const index = caseIndex * 2 + position;
          if (stillPairing[caseIndex]) {
            const mine = joined[caseIndex]![side];
            emit({ type: 'case-start', index, total, key: m.key, maxTimeMs: m.blockMs[side], step, block, blocks: blockCount });
            const worker = builds[side].forks[block % forksUsed]!;
            const reply = await worker.request({ type: 'measure', index: m.indices[side], cpu, position: mine.blocks.length }, 'measured', {
              onProgress: (_, progress) => emit({ type: 'case-progress', index, key: m.key, progress, step }),
              // A block may run past its budget (RSA takes at least one key, however long): allow it many times over.
              timeoutMs: Math.max(silenceMs, 50 * m.blockMs[side]),
            });
            if (reply.block) {
              mine.blocks.push(reply.block);
              mine.cpus.push(blockCpu(reply.block, cpu));
            }
            // A case that errored on either side has no more pairs: the other side stops with it.
            if (!reply.open) {
              mine.failure = reply.failure;
              stillPairing[caseIndex] = false;
            }
            kept[side] = reply.block !== null;
          }
          emit({ type: 'block-end', index, total, step, block, blocks: blockCount });
          step++;
        }
        // A block that took no samples is not kept: its side is a block short, and block i would no longer meet
        // block i. The case stops there, and the comparison says its blocks are not paired.
        if (kept.length === 2 && kept[0] !== kept[1]) stillPairing[caseIndex] = false;
        if (options.signal?.aborted && step < blockCount * total) {
          aborted = true;
          break rounds;
        }
      }
    }
    const status = aborted ? 'aborted' : 'complete';
    const runs = [await closeRun(builds[0], matched, joined, 0, status, silenceMs), await closeRun(builds[1], matched, joined, 1, status, silenceMs)] as const;
    let ended = 0;
    for (const result of runs.flatMap((run) => run.cases)) emit({ type: 'case-end', index: ended++, total, result });
    outcome = status;
    return { roots: { baseline: builds[0].forks[0]!.root, candidate: builds[1].forks[0]!.root }, baseline: runs[0], candidate: runs[1], seed, forks: forksUsed, oneSided };
  } finally {
    for (const worker of started) worker.stop();
    emit({ type: 'run-end', status: outcome });
  }
}

type OpenRequest = Omit<Extract<WorkerRequest, { type: 'open' }>, 'gitCwd'>;

/**
 * Starts and plans every process of both builds, one after the other (planning loads suites and warms the
 * addon, not to be done side by side), each kept in `started` at once so that a refusal stops every one before
 * it. The first process of each build plans first, so that builds that cannot be paired are refused before the
 * rest start. Every process gets the baseline's block count: both builds share their budgets into the same
 * blocks. More processes than rounds would have nothing to measure.
 */
async function startBuilds(sides: readonly [BuildSide, BuildSide], open: OpenRequest, forkCount: number, silenceMs: number, started: BuildWorker[]) {
  let blocks = open.blocks;
  const startFork = async (side: 0 | 1) => {
    const worker = startBuildWorker(sides[side], sideNames[side]);
    started.push(worker);
    const plan = await worker.request({ ...open, blocks, gitCwd: worker.root }, 'opened', { timeoutMs: silenceMs });
    checkProtocol(plan, worker.root);
    blocks = plan.blocks;
    return { worker, plan };
  };
  const first = [await startFork(0), await startFork(1)] as const;
  const { matched, oneSided } = matchCases(first[0].plan.cases, first[1].plan.cases);
  if (matched.length === 0) {
    throw new KeyscopeError(ErrorCodes.interleavedBuild, `the two builds have no case in common to measure (${first[0].plan.cases.length} cases in the baseline, ${first[1].plan.cases.length} in the candidate)`);
  }
  const builds: readonly [BuildProcesses, BuildProcesses] = [
    { forks: [first[0].worker], plan: first[0].plan },
    { forks: [first[1].worker], plan: first[1].plan },
  ];
  const forks = Math.min(forkCount, first[0].plan.blocks);
  for (const side of [0, 1] as const) {
    while (builds[side].forks.length < forks) {
      const fork = await startFork(side);
      if (!samePlan(builds[side].plan, fork.plan)) {
        throw new KeyscopeError(ErrorCodes.interleavedWorker, `the ${sideNames[side]} build's processes planned different cases: its suites do not plan the same cases from one process to the next`);
      }
      builds[side].forks.push(fork.worker);
    }
  }
  return { builds, matched, oneSided };
}

const sideNames = ['baseline', 'candidate'] as const;

/**
 * A build's run: the first fork's record carries the build's provenance and environment; its cases are joined
 * here from every fork's blocks. An aborted run keeps the cases that got as far as a block (as runSuites does).
 */
async function closeRun(build: BuildProcesses, matched: readonly MatchedCase[], joined: readonly [JoinedSide, JoinedSide][], side: 0 | 1, status: RunRecord['status'], silenceMs: number): Promise<RunRecord> {
  const keep = matched.map((m) => m.indices[side]);
  const record = (await build.forks[0]!.request({ type: 'close', status: 'complete', keep }, 'closed', { timeoutMs: silenceMs })).run;
  const cases = matched.flatMap((m, caseIndex) => {
    const mine = joined[caseIndex]![side];
    const result = joinedResult(mine, record.cases[caseIndex]!, build.plan.cases[m.indices[side]]!);
    return status === 'complete' || result.state !== 'errored' || mine.failure ? [result] : [];
  });
  return { ...record, status, endedAt: new Date().toISOString(), cases };
}

/** Two forks of one build planned the same cases, with the same budgets. */
function samePlan(a: Extract<WorkerReply, { type: 'opened' }>, b: Extract<WorkerReply, { type: 'opened' }>): boolean {
  const shape = (plan: typeof a) => JSON.stringify([plan.blocks, plan.cases.map((c) => [caseIdentity(c), c.open, c.blockMs])]);
  return shape(a) === shape(b);
}

/**
 * A build's case from the blocks its forks measured: its error, its joined blocks, or, with no block, what the
 * first fork's record says (skipped, or no samples).
 */
function joinedResult(side: JoinedSide, firstFork: CaseResult, info: PlannedCaseInfo): CaseResult {
  if (side.failure) return side.failure;
  if (side.blocks.length === 0) return firstFork;
  return joinBlocks(info.key, info.parameters, side.blocks, side.cpus, info.budget);
}
