/**
 * The comparison that carries the noise between runs: each run measured a case in several blocks spread across
 * its length, on alternating CPUs, and the spread of block locations within a CPU is the noise a second run
 * would meet. What the measurements on this project's VMs showed, and why the model is this:
 * - One vCPU at a time ran OpenSSL's key generation up to 38% slower, for tens of seconds (a pure-ALU probe on
 *   it slowed by 3% at most): interference only adds time, so each side is judged on its faster CPU (the CPU
 *   whose blocks have the lowest median location), and a side pinned to one CPU has only that one.
 * - JS cases drifted with the heap's history (each block now starts from a collected heap) and with the JIT:
 *   what is left shows as spread between blocks.
 * A block's location is the log of its median time. The estimate is the difference of the two sides' mean block
 * locations on their chosen CPUs; its standard error comes from the within-CPU variance pooled over every block
 * of both sides (a CPU whose state changed within the run inflates it: the interval widens rather than lies),
 * with Student's t on the pooled degrees of freedom.
 */
import { studentTQuantile } from '../../stats/index.js';
import type { CaseBlock } from '../../model/index.js';
import type { RatioInterval } from '../types.js';

export interface BlockSide {
  /** Blocks on the chosen CPU. */
  used: number;
  /** Every block the side has. */
  blocks: number;
  /** The CPU judged on (null: not pinned). */
  cpu: number | null;
}

export interface BlockComparison {
  ratio: RatioInterval;
  baseline: BlockSide;
  candidate: BlockSide;
  /** Pooled within-CPU standard deviation of block locations (log scale: 0.01 is about 1%). */
  spread: number;
  degreesOfFreedom: number;
}

interface Located {
  cpu: number | null;
  location: number;
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Each block's location: the log of its median time. */
export function blockLocations(samples: Float64Array, blocks: readonly CaseBlock[]): Located[] {
  const out: Located[] = [];
  let offset = 0;
  for (const block of blocks) {
    const part = samples.subarray(offset, offset + block.samples);
    offset += block.samples;
    if (part.length > 0) out.push({ cpu: block.cpu, location: Math.log(median(part)) });
  }
  return out;
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** The side's blocks grouped by CPU, and the group it is judged on: the fastest with at least two blocks. */
function chooseCpu(located: readonly Located[]): { groups: number[][]; chosen: number[]; cpu: number | null } {
  const byCpu = new Map<number | null, number[]>();
  for (const { cpu, location } of located) byCpu.set(cpu, [...(byCpu.get(cpu) ?? []), location]);
  const candidates = [...byCpu.entries()].filter(([, group]) => group.length >= 2);
  const pool = candidates.length > 0 ? candidates : [...byCpu.entries()];
  pool.sort((a, b) => median(Float64Array.from(a[1])) - median(Float64Array.from(b[1])));
  return { groups: [...byCpu.values()], chosen: pool[0]![1], cpu: pool[0]![0] };
}

/**
 * Null when the blocks cannot carry a comparison: fewer than two blocks on a side, or no degrees of freedom
 * left for the spread (every CPU group a single block).
 */
export function compareBlocks(
  baseline: { samples: Float64Array; blocks: readonly CaseBlock[] },
  candidate: { samples: Float64Array; blocks: readonly CaseBlock[] },
  confidence: number,
): BlockComparison | null {
  const a = blockLocations(baseline.samples, baseline.blocks);
  const b = blockLocations(candidate.samples, candidate.blocks);
  if (a.length < 2 || b.length < 2) return null;
  const sideA = chooseCpu(a);
  const sideB = chooseCpu(b);
  let squares = 0;
  let count = 0;
  let groups = 0;
  for (const group of [...sideA.groups, ...sideB.groups]) {
    const m = mean(group);
    for (const v of group) squares += (v - m) ** 2;
    count += group.length;
    groups++;
  }
  const degreesOfFreedom = count - groups;
  if (degreesOfFreedom < 1) return null;
  const spread = Math.sqrt(squares / degreesOfFreedom);
  const difference = mean(sideB.chosen) - mean(sideA.chosen);
  const standardError = spread * Math.sqrt(1 / sideA.chosen.length + 1 / sideB.chosen.length);
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, degreesOfFreedom) * standardError;
  return {
    ratio: { estimate: Math.exp(difference), low: Math.exp(difference - halfWidth), high: Math.exp(difference + halfWidth), confidence },
    baseline: { used: sideA.chosen.length, blocks: a.length, cpu: sideA.cpu },
    candidate: { used: sideB.chosen.length, blocks: b.length, cpu: sideB.cpu },
    spread,
    degreesOfFreedom,
  };
}
