/**
 * Runs one case of any kind: native cases through measureKeygen batches, JS cases through tinybench batches,
 * throughput cases as concurrent native loops on several libuv worker threads.
 */
import { Bench, hrtimeNow } from 'tinybench';

import { counterMask, type Counters, KeyscopeError, measureKeygen, native, type TimerOverhead, toCounters } from '../core/index.js';
import { relativePrecision } from '../stats/index.js';
import { type AdaptiveProgress, sampleAdaptively } from './adaptive.js';
import type { ResolvedCaseBudget } from './case-budget.js';
import { withAllCpus } from './pin-cpu.js';
import { completeCase } from './complete-case.js';
import type { CaseDefinition, JsCaseDefinition, NativeCaseDefinition, ThroughputCaseDefinition } from './define-suite.js';
import { mergeCounters } from './merge-counters.js';
import type { CaseKey, CaseParameters, CaseResult } from '../model/index.js';

export function caseKey(suite: string, definition: CaseDefinition): CaseKey {
  const implementation = definition.kind === 'js' ? definition.implementation : 'keyscope-native';
  return { suite, case: definition.name, implementation, algorithm: definition.algorithm };
}

/**
 * A case's recorded parameters: its own, plus the thread count of a throughput case and the seed of a seeded
 * native case (the compare step pairs keys only when both runs carry the same seed).
 */
function caseParameters(definition: CaseDefinition): CaseParameters {
  if (definition.kind === 'throughput') return { threads: definition.threads, ...definition.parameters };
  if (definition.kind === 'native' && definition.seed !== undefined) return { ...definition.parameters, seed: definition.seed };
  return definition.parameters ?? {};
}

/** Memory counters (RSS, peak RSS, malloc heap) around a whole case, read on the JS thread. */
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

async function runNative(key: CaseKey, definition: NativeCaseDefinition, budget: ResolvedCaseBudget, onProgress?: (p: AdaptiveProgress) => void, signal?: AbortSignal) {
  const counters: Counters[] = [];
  let timer: TimerOverhead = { ns: 0, cycles: 0, samples: 0 };
  let warm = false;
  // Seeded, each batch continues the stream where the last one stopped: the case's keys are keys 0..n-1.
  let taken = 0;
  const sample = () =>
    sampleAdaptively(
    async (count) => {
      const result = await measureKeygen(definition.algorithm, {
        iterations: count,
        warmup: warm ? 0 : Math.min(10, count),
        // Memory is process-wide and its heap reading walks every malloc arena: taken once per case below.
        counters: { hardware: true, software: true, rusage: true, memory: false },
        allowWeak: definition.allowWeak ?? false,
        ...(definition.seed === undefined ? {} : { seed: definition.seed, firstKey: taken }),
      });
      taken += result.iterations;
      warm = true;
      counters.push(result.counters);
      timer = result.timer;
      return { ns: result.samples.ns, cycles: result.samples.cycles, candidates: result.samples.candidates };
    },
    budget,
    onProgress,
    signal,
  );
  const { value: outcome, memory } = await withMemoryCounters(sample);
  return completeCase(key, caseParameters(definition), outcome, budget, { counters: { ...mergeCounters(counters), ...memory }, timer });
}

async function runJs(key: CaseKey, definition: JsCaseDefinition, budget: ResolvedCaseBudget, onProgress?: (p: AdaptiveProgress) => void, signal?: AbortSignal) {
  let first = true;
  const outcome = await sampleAdaptively(
    async (count) => {
      // One tinybench run per batch: it owns warmup (first batch only), timing and the retained samples.
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
      bench.add(key.case, definition.fn);
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
  return completeCase(key, definition.parameters ?? {}, outcome, budget, {
    counters: {},
    timer: { ns: 0, cycles: 0, samples: 0 },
  });
}

async function runThroughput(key: CaseKey, definition: ThroughputCaseDefinition, budget: ResolvedCaseBudget, onProgress?: (p: AdaptiveProgress) => void) {
  const durationMs = Math.min(definition.durationMs ?? 1000, budget.maxTimeMs);
  // N concurrent measureKeygen calls each get a libuv worker thread of their own (the pool has 4 by default).
  const started = performance.now();
  const results = await withAllCpus(() =>
    Promise.all(Array.from({ length: definition.threads }, () => measureKeygen(definition.algorithm, { timeMs: durationMs, warmup: 1, allowWeak: definition.allowWeak ?? false }))),
  );
  const wallMs = performance.now() - started;
  const keys = results.reduce((n, r) => n + r.iterations, 0);
  const concat = (pick: (r: (typeof results)[number]) => Float64Array | null) => {
    const parts = results.map(pick);
    if (parts.some((p) => p === null)) return null;
    const out = new Float64Array(keys);
    let offset = 0;
    for (const p of parts as Float64Array[]) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  };
  const ns = concat((r) => r.samples.ns)!;
  onProgress?.({ samples: keys, elapsedMs: wallMs, precision: Number.NaN });
  const sortedNs = Float64Array.from(ns).sort();
  const outcome = {
    ns,
    sortedNs,
    cycles: concat((r) => r.samples.cycles),
    candidates: concat((r) => r.samples.candidates),
    stoppedBy: 'budget' as const,
    precision: relativePrecision(sortedNs, budget.confidence),
    elapsedMs: wallMs,
  };
  // Keys per second of all threads together, over the longest thread's loop.
  const loopNs = Math.max(...results.map((r) => r.totalNs));
  return completeCase(key, caseParameters(definition), outcome, budget, {
    counters: mergeCounters(results.map((r) => r.counters)),
    timer: results[0]!.timer,
    throughput: (keys / loopNs) * 1e9,
  });
}

/** Runs a case; an AbortSignal stops it between batches by throwing the signal's reason. */
export async function runCase(
  suite: string,
  definition: CaseDefinition,
  budget: ResolvedCaseBudget,
  onProgress?: (progress: AdaptiveProgress) => void,
  signal?: AbortSignal,
): Promise<CaseResult> {
  const key = caseKey(suite, definition);
  const parameters = caseParameters(definition);
  if (definition.skip) return { state: 'skipped', key, parameters, reason: definition.skip };
  try {
    if (definition.kind === 'native') return await runNative(key, definition, budget, onProgress, signal);
    if (definition.kind === 'js') return await runJs(key, definition, budget, onProgress, signal);
    return await runThroughput(key, definition, budget, onProgress);
  } catch (error) {
    if (signal?.aborted) throw error;
    const code = error instanceof KeyscopeError ? error.code : 'KS_CASE_FAILED';
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return { state: 'errored', key, parameters, error: { code, message } };
  }
}
