/**
 * A completed case's block medians, computed from its samples as the local store computes them in DuckDB
 * (store/run-overviews.ts), so that a history read from the server is the history the same runs give locally:
 * each block is its span of samples in order; its median is the middle sample, or the mean of the middle two
 * ((a + b) / 2, which is what DuckDB's median returns for doubles, checked against it in the tests); the median
 * per candidate only where every sample of the block counted candidates and none counted zero. A block without
 * samples has no median and is left out.
 */
import type { BlockMedian, CaseOverview, CaseResult, CompletedCase } from '../model/index.js';

function medianOf(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function blockMedians(c: CompletedCase): BlockMedian[] {
  const medians: BlockMedian[] = [];
  let start = 0;
  for (const block of c.blocks) {
    const end = start + block.samples;
    if (block.samples > 0) {
      const ns = c.samples.ns.subarray(start, end);
      const candidates = c.samples.candidates?.subarray(start, end) ?? null;
      let perCandidate: number | null = null;
      if (candidates !== null && candidates.every((value) => value > 0)) perCandidate = medianOf(ns.map((value, i) => value / candidates[i]!));
      medians.push({ median: medianOf(ns), medianPerCandidate: perCandidate, cpu: block.cpu });
    }
    start = end;
  }
  return medians;
}

export function caseOverview(c: CaseResult): CaseOverview {
  const completed = c.state === 'completed';
  return {
    state: c.state,
    key: c.key,
    parameters: c.parameters,
    summary: completed ? c.summary : null,
    blockMedians: completed ? blockMedians(c) : [],
  };
}
