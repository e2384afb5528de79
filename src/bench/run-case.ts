/**
 * Measures one case, block by block: native cases through measureKeygen batches, JS cases through tinybench
 * batches, throughput cases as concurrent native loops on several libuv worker threads. A run spreads each
 * case's blocks across its length (run-suites.ts); the case's result joins them and records where each came from.
 */
import { Bench, hrtimeNow } from 'tinybench';

import { counterMask, type Counters, KeyscopeError, measureKeygen, native, type TimerOverhead, toCounters } from '../core/index.js';
import { relativePrecision } from '../stats/index.js';
import { type AdaptiveOutcome, type AdaptiveProgress, type Batch, sampleAdaptively } from './adaptive.js';
import type { ResolvedCaseBudget } from './case-budget.js';
import { withAllCpus } from './pin-cpu.js';
import { completeCase } from './complete-case.js';
import type { CaseDefinition, JsCaseDefinition, NativeCaseDefinition, ThroughputCaseDefinition } from './define-suite.js';
import { collectGarbage } from './fresh-heap.js';
import { withHandicap } from './handicap.js';
import { mergeCounters } from './merge-counters.js';
import type { CaseBlock, CaseKey, CaseParameters, CaseResult, StopReason } from '../model/index.js';

export function caseKey(suite: string, definition: CaseDefinition): CaseKey {
  const implementation = definition.kind === 'js' ? definition.implementation : 'keyscope-native';
  return { suite, case: definition.name, implementation, algorithm: definition.algorithm };
}

/**
 * Where a seeded case's keys come from: the block at position p of the case (its p-th kept block) draws keys
 * p × seedBlockStride, p × seedBlockStride + 1, … of the seeded stream. Two runs with the same seed then time the
 * same keys in block p, whatever the sizes of their earlier blocks, so compare can pair their blocks and, inside
 * a pair, their keys (the noise between blocks stays in the interval; the luck of the prime search cancels).
 * 2^32 keys is more than any block takes, and 1000 blocks of it stay far below 2^53.
 */
export const seedBlockStride = 2 ** 32;

/**
 * A case's recorded parameters: its own, plus the thread count of a throughput case and the seed (and the key
 * layout) of a seeded native case: compare pairs keys only when both runs carry the same seed and layout.
 */
function caseParameters(definition: CaseDefinition): CaseParameters {
  if (definition.kind === 'throughput') return { threads: definition.threads, ...definition.parameters };
  if (definition.kind === 'native' && definition.seed !== undefined) return { ...definition.parameters, seed: definition.seed, seedBlockStride };
  return definition.parameters ?? {};
}

/** What one block needs beyond the case itself. */
export interface BlockContext {
  /** This block's share of the case's budget. */
  budget: ResolvedCaseBudget;
  /** The CPU the process is pinned to for this block (recorded with it), or null. */
  cpu: number | null;
  /** KEYSCOPE_BENCH_HANDICAP: slow every operation by this fraction (bench validity only), or null. */
  handicap: number | null;
  onProgress?: (progress: AdaptiveProgress) => void;
  signal?: AbortSignal;
  /**
   * The block's position among the case's kept blocks, where the caller joins blocks measured elsewhere (an
   * interleaved session's several processes); default: the blocks this measurement has kept. Seeded keys follow it.
   */
  position?: number;
}

/** One block's raw measurement: what a case's result is joined from (joinBlocks). */
export interface BlockOutcome extends AdaptiveOutcome {
  counters: Counters;
  timer: TimerOverhead | null;
  /** Throughput cases: keys of all threads and the longest thread's loop. */
  throughput?: { keys: number; loopNs: number };
  /** The block ran on every CPU (throughput widens the mask), whatever CPU its round had: recorded as unpinned. */
  allCpus?: boolean;
}

type BlockSampler = (context: BlockContext) => Promise<BlockOutcome>;

/** Memory counters (RSS, peak RSS, malloc heap) around a whole block, read on the JS thread. */
async function withMemoryCounters<T>(fn: () => Promise<T>): Promise<{ value: T; memory: Counters }> {
  const sampler = new native.Sampler(0);
  sampler.startCounters(counterMask({ memory: true }));
  let readings;
  try {
    return { value: await fn(), memory: toCounters((readings = sampler.stopCounters())) };
  } finally {
    if (!readings) sampler.stopCounters();
  }
}

function nativeSampler(definition: NativeCaseDefinition): BlockSampler {
  // Seeded, the block at position p draws keys from p × seedBlockStride on (see seedBlockStride), each batch
  // continuing where the last one stopped. A block that took no key is not kept and leaves its position free.
  let position = 0;
  return async ({ budget, handicap, onProgress, signal, position: given }) => {
    const firstKey = (given ?? position) * seedBlockStride;
    let taken = 0;
    const counters: Counters[] = [];
    let timer: TimerOverhead | null = null;
    // Every block warms up: it may run on another CPU, with other caches, than the last.
    let warm = false;
    const take = async (count: number): Promise<Batch> => {
      const result = await measureKeygen(definition.algorithm, {
        iterations: count,
        warmup: warm ? 0 : Math.min(10, count),
        // Memory is process-wide and its heap reading walks every malloc arena: taken once per block below.
        counters: { hardware: true, software: true, rusage: true, memory: false },
        allowWeak: definition.allowWeak ?? false,
        ...(definition.seed === undefined ? {} : { seed: definition.seed, firstKey: firstKey + taken }),
        ...(handicap === null ? {} : { handicap }),
      });
      taken += result.iterations;
      warm = true;
      counters.push(result.counters);
      timer = result.timer;
      return { ns: result.samples.ns, cycles: result.samples.cycles, candidates: result.samples.candidates };
    };
    const { value: outcome, memory } = await withMemoryCounters(() => sampleAdaptively(take, budget, onProgress, signal));
    if (taken > 0) position = (given ?? position) + 1;
    return { ...outcome, counters: { ...mergeCounters(counters), ...memory }, timer };
  };
}

function jsSampler(key: CaseKey, definition: JsCaseDefinition): BlockSampler {
  return async ({ budget, handicap, onProgress, signal }) => {
    const fn = handicap === null ? definition.fn : withHandicap(definition.fn, handicap);
    // Each block starts from a collected heap, so that earlier blocks' garbage does not set its speed.
    collectGarbage();
    let first = true;
    const outcome = await sampleAdaptively(
      async (count) => {
        // One tinybench run per batch: it owns warmup (each block's first batch), timing and the retained samples.
        const bench = new Bench({
          now: hrtimeNow,
          retainSamples: true,
          iterations: count,
          time: 0,
          warmup: first,
          warmupIterations: Math.min(10, count),
          warmupTime: 0,
          throws: true,
        });
        first = false;
        bench.add(key.case, fn);
        await bench.run();
        const result = bench.tasks[0]!.result;
        if (result.state !== 'completed') throw new Error(`tinybench ended the case in state ${result.state}`);
        const ms = result.latency.samples ?? [];
        return { ns: Float64Array.from(ms, (v) => v * 1e6) };
      },
      budget,
      onProgress,
      signal,
    );
    return { ...outcome, counters: {}, timer: null };
  };
}

function throughputSampler(definition: ThroughputCaseDefinition): BlockSampler {
  return async ({ budget, handicap, onProgress }) => {
    const durationMs = Math.min(definition.durationMs ?? 1000, budget.maxTimeMs);
    // N concurrent measureKeygen calls each get a libuv worker thread of their own (the pool has 4 by default).
    const started = performance.now();
    const results = await withAllCpus(() =>
      Promise.all(
        Array.from({ length: definition.threads }, () =>
          measureKeygen(definition.algorithm, { timeMs: durationMs, warmup: 1, allowWeak: definition.allowWeak ?? false, ...(handicap === null ? {} : { handicap }) }),
        ),
      ),
    );
    const wallMs = performance.now() - started;
    const keys = results.reduce((n, r) => n + r.iterations, 0);
    const ns = concat(results.map((r) => r.samples.ns))!;
    onProgress?.({ samples: keys, elapsedMs: wallMs, precision: Number.NaN });
    const sortedNs = Float64Array.from(ns).sort();
    return {
      ns,
      sortedNs,
      cycles: concat(results.map((r) => r.samples.cycles)),
      candidates: concat(results.map((r) => r.samples.candidates)),
      stoppedBy: 'budget',
      precision: relativePrecision(sortedNs, budget.confidence),
      elapsedMs: wallMs,
      counters: mergeCounters(results.map((r) => r.counters)),
      timer: results[0]!.timer,
      throughput: { keys, loopNs: Math.max(...results.map((r) => r.totalNs)) },
      allCpus: true,
    };
  };
}

/** The series joined end to end; null when any part is missing. */
function concat(parts: readonly (Float64Array | null)[]): Float64Array | null {
  if (parts.some((p) => p === null)) return null;
  const out = new Float64Array(parts.reduce((n, p) => n + p!.length, 0));
  let offset = 0;
  for (const p of parts as Float64Array[]) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Why a case stopped sampling: its precision if every block reached it, else why the first short one stopped. */
function stopReason(blocks: readonly BlockOutcome[]): StopReason {
  return blocks.find((b) => b.stoppedBy !== 'precision')?.stoppedBy ?? 'precision';
}

export interface CaseMeasurement {
  readonly key: CaseKey;
  readonly parameters: CaseParameters;
  /** False once the case was skipped or errored: it takes no more blocks. */
  readonly open: boolean;
  /** How many blocks it has measured. */
  readonly blocks: number;
  /**
   * Measures one more block and returns it, or null when it kept none (no samples, the case errored or is
   * skipped). Throws only when the signal aborts it (an error of the case is its result).
   */
  measureBlock(context: BlockContext): Promise<BlockOutcome | null>;
  /** The case as measured so far (errored, skipped, or completed from its blocks). */
  result(): CaseResult;
}

/** Starts measuring a case; `budget` is the whole case's (its confidence is the summaries'). */
export function openCase(suite: string, definition: CaseDefinition, budget: ResolvedCaseBudget): CaseMeasurement {
  const key = caseKey(suite, definition);
  const parameters = caseParameters(definition);
  if (definition.skip) {
    const skipped: CaseResult = { state: 'skipped', key, parameters, reason: definition.skip };
    return { key, parameters, open: false, blocks: 0, measureBlock: async () => null, result: () => skipped };
  }
  const sampler = definition.kind === 'native' ? nativeSampler(definition) : definition.kind === 'js' ? jsSampler(key, definition) : throughputSampler(definition);
  const blocks: BlockOutcome[] = [];
  const cpus: (number | null)[] = [];
  let failure: CaseResult | null = null;
  return {
    key,
    parameters,
    get open() {
      return failure === null;
    },
    get blocks() {
      return blocks.length;
    },
    async measureBlock(context) {
      if (failure) return null;
      try {
        const outcome = await sampler(context);
        // A block with no samples (a budget spent before the first one) has nothing to say: it is not kept.
        if (outcome.ns.length === 0) return null;
        blocks.push(outcome);
        cpus.push(blockCpu(outcome, context.cpu));
        return outcome;
      } catch (error) {
        if (context.signal?.aborted) throw error;
        const code = error instanceof KeyscopeError ? error.code : 'KS_CASE_FAILED';
        const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        failure = { state: 'errored', key, parameters, error: { code, message } };
        return null;
      }
    },
    result() {
      if (failure) return failure;
      if (blocks.length === 0) {
        return { state: 'errored', key, parameters, error: { code: 'KS_CASE_FAILED', message: 'the case took no samples (the run ended before its first block)' } };
      }
      return joinBlocks(key, parameters, blocks, cpus, budget);
    },
  };
}

/** The CPU a block is recorded on: its round's, or none when it ran on every CPU (throughput). */
export function blockCpu(outcome: BlockOutcome, cpu: number | null): number | null {
  return outcome.allCpus ? null : cpu;
}

/** A completed case from its blocks (at least one), in order, with the CPU each ran on. */
export function joinBlocks(key: CaseKey, parameters: CaseParameters, blocks: readonly BlockOutcome[], cpus: readonly (number | null)[], budget: ResolvedCaseBudget): CaseResult {
  const ns = concat(blocks.map((b) => b.ns))!;
  const sortedNs = Float64Array.from(ns).sort();
  const outcome: AdaptiveOutcome = {
    ns,
    sortedNs,
    cycles: concat(blocks.map((b) => b.cycles)),
    candidates: concat(blocks.map((b) => b.candidates)),
    stoppedBy: stopReason(blocks),
    precision: relativePrecision(sortedNs, budget.confidence),
    elapsedMs: blocks.reduce((ms, b) => ms + b.elapsedMs, 0),
  };
  const caseBlocks: CaseBlock[] = blocks.map((b, i) => ({ samples: b.ns.length, cpu: cpus[i] ?? null }));
  const timer = blocks.findLast((b) => b.timer !== null)?.timer ?? { ns: 0, cycles: 0, samples: 0 };
  const throughputs = blocks.flatMap((b) => (b.throughput ? [b.throughput] : []));
  // Throughput: keys per second of all threads together, over the blocks' longest-thread loops.
  const throughput = throughputs.length > 0 ? (throughputs.reduce((n, t) => n + t.keys, 0) / throughputs.reduce((n, t) => n + t.loopNs, 0)) * 1e9 : undefined;
  return completeCase(key, parameters, outcome, caseBlocks, budget, {
    counters: mergeCounters(blocks.map((b) => b.counters)),
    timer,
    ...(throughput === undefined ? {} : { throughput }),
  });
}

/** Measures a case in one block (tests, and callers that need no spread); an abort throws the signal's reason. */
export async function runCase(
  suite: string,
  definition: CaseDefinition,
  budget: ResolvedCaseBudget,
  onProgress?: (progress: AdaptiveProgress) => void,
  signal?: AbortSignal,
): Promise<CaseResult> {
  const measurement = openCase(suite, definition, budget);
  await measurement.measureBlock({ budget, cpu: null, handicap: null, ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) });
  return measurement.result();
}
