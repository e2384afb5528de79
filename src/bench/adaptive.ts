/**
 * Adaptive sampling: take batches until the median's confidence interval is as tight as the budget asks, or
 * the time budget is spent, or the sample cap is reached. Batches grow geometrically, and a precision check (a
 * sort of everything so far) runs only once the 1/sqrt(n) narrowing of the interval says it could pass.
 */
import { relativePrecision } from '../stats/index.js';
import type { ResolvedCaseBudget } from './case-budget.js';
import type { StopReason } from '../model/index.js';

export interface Batch {
  ns: Float64Array;
  cycles?: Float64Array | null;
  candidates?: Float64Array | null;
}

export interface AdaptiveOutcome {
  ns: Float64Array;
  /** The same samples, sorted (summaries reuse it). */
  sortedNs: Float64Array;
  cycles: Float64Array | null;
  candidates: Float64Array | null;
  stoppedBy: StopReason;
  precision: number;
  /** Wall time spent sampling (batches and the checks between them), before the final sort. */
  elapsedMs: number;
}

export interface AdaptiveProgress {
  samples: number;
  elapsedMs: number;
  precision: number;
}

/** Batches aim at this much wall time once the cost of one sample is known. */
const TARGET_BATCH_MS = 250;
/** Each batch adds at least this fraction of what was gathered so far. */
const GROWTH = 0.5;

/** A check runs once the predicted precision is within this factor of the target. */
const CHECK_MARGIN = 1.25;

function sortedSoFar(parts: Float64Array[]): Float64Array {
  return concat(parts).sort();
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export async function sampleAdaptively(
  takeBatch: (count: number) => Promise<Batch>,
  budget: ResolvedCaseBudget,
  onProgress?: (progress: AdaptiveProgress) => void,
  signal?: AbortSignal,
): Promise<AdaptiveOutcome> {
  const started = performance.now();
  const ns: Float64Array[] = [];
  const cycles: Float64Array[] = [];
  const candidates: Float64Array[] = [];
  let sorted: Float64Array = new Float64Array(0);
  let checkedAt = 0;
  let total = 0;
  let precision = Number.POSITIVE_INFINITY;
  let stoppedBy: StopReason = 'budget';
  let next = Math.min(budget.minSamples, budget.maxSamples);

  for (;;) {
    signal?.throwIfAborted();
    const batch = await takeBatch(next);
    ns.push(batch.ns);
    if (batch.cycles) cycles.push(batch.cycles);
    if (batch.candidates) candidates.push(batch.candidates);
    total += batch.ns.length;
    const elapsedMs = performance.now() - started;

    // The median's interval narrows as 1/sqrt(n): a check that cannot pass yet is skipped, which keeps the
    // sort-and-merge off most batches of a long case.
    const predicted = Number.isFinite(precision) ? precision * Math.sqrt(checkedAt / total) : 0;
    if (total >= budget.minSamples && predicted <= budget.precision * CHECK_MARGIN) {
      sorted = sortedSoFar(ns);
      precision = relativePrecision(sorted, budget.confidence);
      checkedAt = total;
      if (precision <= budget.precision) stoppedBy = 'precision';
    }
    onProgress?.({ samples: total, elapsedMs, precision });
    if (stoppedBy === 'precision') break;
    if (total >= budget.maxSamples) {
      stoppedBy = 'iterations';
      break;
    }
    const remainingMs = budget.maxTimeMs - elapsedMs;
    if (remainingMs <= 0) {
      stoppedBy = 'budget';
      break;
    }
    const perSampleMs = elapsedMs / total;
    const byTime = Math.floor(Math.min(TARGET_BATCH_MS, remainingMs) / Math.max(perSampleMs, 1e-6));
    next = Math.max(1, Math.min(Math.max(byTime, Math.ceil(total * GROWTH)), budget.maxSamples - total));
    // Never plan far past the time budget: the last batch is trimmed to what the remaining time allows.
    next = Math.max(1, Math.min(next, Math.ceil(remainingMs / Math.max(perSampleMs, 1e-6))));
  }

  const samplingMs = performance.now() - started;
  const all = concat(ns);
  // The precision reported is that of every sample, even where the last batches went unchecked.
  if (sorted.length !== all.length) {
    sorted = Float64Array.from(all).sort();
    precision = relativePrecision(sorted, budget.confidence);
  }
  return {
    ns: all,
    sortedNs: sorted,
    cycles: cycles.length === ns.length ? concat(cycles) : null,
    candidates: candidates.length === ns.length ? concat(candidates) : null,
    stoppedBy,
    precision,
    elapsedMs: samplingMs,
  };
}
