/**
 * Where one run puts a case: the typical block time its comparison would use (statistics/block-interval.ts:
 * the trimmed mean of its blocks' log medians, on its fastest CPU when another of its CPUs was slower). A
 * history is a series of these. Not the run's overall median: on these VMs a vCPU can run key generation a
 * third slower for minutes, so a run's median moves with how much of it fell on that vCPU (measured: 9 to 18%
 * from run to run, where locations move a few percent).
 */
import type { CaseOverview, CompletedCase } from '../model/index.js';
import { blockLocations, type Located, sideLocation } from './statistics/index.js';

export interface CaseLocation {
  /** ns per operation. */
  time: number;
  /** RSA: ns per prime candidate; null elsewhere. */
  perCandidate: number | null;
}

function located(locations: readonly Located[]): number | null {
  const side = sideLocation(locations.filter((l) => Number.isFinite(l.location)));
  return side === null ? null : Math.exp(side.location);
}

/** From a whole run's case (its samples and blocks). */
export function caseLocation(c: CompletedCase): CaseLocation | null {
  const time = located(blockLocations(c.samples.ns, c.blocks));
  if (time === null) return null;
  const { ns, candidates } = c.samples;
  const perCandidateSamples = candidates && candidates.length === ns.length && candidates.every((k) => k > 0) ? ns.map((v, i) => v / candidates[i]!) : null;
  return { time, perCandidate: perCandidateSamples ? located(blockLocations(perCandidateSamples, c.blocks)) : null };
}

/** From a run's overview (its blocks' medians, no samples). */
export function overviewLocation(c: CaseOverview): CaseLocation | null {
  if (c.summary === null) return null;
  const time = located(c.blockMedians.filter((b) => b.median > 0).map((b) => ({ cpu: b.cpu, location: Math.log(b.median) })));
  if (time === null) return null;
  const perCandidate = c.blockMedians.every((b) => b.medianPerCandidate !== null && b.medianPerCandidate > 0)
    ? located(c.blockMedians.map((b) => ({ cpu: b.cpu, location: Math.log(b.medianPerCandidate!) })))
    : null;
  return { time, perCandidate };
}
