/**
 * Adaptive sampling: take batches until the median's confidence interval is as tight as the budget asks, or
 * the time budget is spent, or the sample cap is reached. Batches grow geometrically so that the precision
 * checks (a sort of everything so far) cost little next to the measuring itself.
 */
import { relativePrecision } from '../stats/median-interval.js';
import type { ResolvedCaseBudget } from './case-budget.js';
import type { StopReason } from './types.js';

export interface Batch {
  ns: Float64Array;
  cycles?: Float64Array | null;
  candidates?: Float64Array | null;
}

export interface AdaptiveOutcome {
  ns: Float64Array;
  /** The same samples sorted, kept up to date batch by batch (summaries reuse it). */
  sortedNs: Float64Array;
  cycles: Float64Array | null;
  candidates: Float64Array | null;
  stoppedBy: StopReason;
  precision: number;
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

/** Merges a sorted array with a sorted batch: linear, where re-sorting everything would be n log n a batch. */
function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
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
    sorted = mergeSorted(sorted, Float64Array.from(batch.ns).sort());
    const elapsedMs = performance.now() - started;

    if (total >= budget.minSamples) {
      precision = relativePrecision(sorted, budget.confidence);
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

  return {
    ns: concat(ns),
    sortedNs: sorted,
    cycles: cycles.length === ns.length ? concat(cycles) : null,
    candidates: candidates.length === ns.length ? concat(candidates) : null,
    stoppedBy,
    precision,
    elapsedMs: performance.now() - started,
  };
}
