/**
 * The comparison that carries the noise between runs. Each run measured a case in several blocks spread across
 * its length, on alternating CPUs; a block's location is the log of its median time, and how block locations
 * scatter within a run is the noise a second run would meet.
 *
 * What the measurements on this project's 2-vCPU VMs showed, and why the model is this:
 * - Most blocks of a case sit within about 1% of each other; a few sit far above (10-60%): a vCPU that, for a
 *   few seconds to a minute, ran OpenSSL's key generation up to 38% slower (a pure-ALU probe on it slowed by 3%
 *   at most), a collection or a JIT tier-up inside a JS block, a first block that was still warming up.
 *   Interference only adds time, and it is rare: a mean and standard deviation over blocks would let one slow
 *   block set the verdict. So each side is summarised by Yuen's trimmed mean (20% of the blocks trimmed from
 *   each end) with its Winsorized variance, and the two sides are compared by Yuen's two-sample interval
 *   (Student's t with Welch-style degrees of freedom): published (Yuen 1974; Wilcox, Introduction to Robust
 *   Estimation and Hypothesis Testing), and it keeps its confidence when a fifth of the blocks are wild.
 * - A vCPU can stay slow for a whole run: half the blocks then sit high, more than trimming absorbs. When one
 *   CPU's blocks are slower than another's by more than chance (one-sided 95%, the same interval), that side is
 *   judged on its fastest CPU's blocks alone.
 */
import { median, studentTQuantile } from '../../stats/index.js';
import type { CaseBlock } from '../../model/index.js';
import type { BlockComparison } from '../types.js';

/** The fraction of blocks trimmed from each end. */
const trimming = 0.2;
/** How sure the comparison must be that a CPU is slower before it drops that CPU's blocks (one-sided). */
const cpuSeparation = 0.95;

/** A block's CPU and location (the log of its median time). */
export interface Located {
  cpu: number | null;
  location: number;
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

/** A sample summarised for Yuen's interval: trimmed mean, squared standard error, and the count left after trimming. */
export interface Trimmed {
  mean: number;
  /** (n - 1) s²_w / (h (h - 1)): the squared standard error of the trimmed mean. */
  variance: number;
  /** h = n - 2g, the values the trimmed mean keeps. */
  kept: number;
  /** The Winsorized standard deviation s_w. */
  winsorizedSd: number;
}

/** Yuen's summary of `values` (at least 2), trimming floor(0.2 n) from each end. */
export function trimmedSummary(values: readonly number[]): Trimmed {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const g = Math.floor(trimming * n);
  const kept = n - 2 * g;
  let sum = 0;
  for (let i = g; i < n - g; i++) sum += sorted[i]!;
  const mean = sum / kept;
  // Winsorize: the g lowest become the lowest kept value, the g highest the highest kept value.
  const winsorized = Array.from(sorted, (v, i) => (i < g ? sorted[g]! : i >= n - g ? sorted[n - g - 1]! : v));
  const winsorizedMean = winsorized.reduce((s, v) => s + v, 0) / n;
  const squares = winsorized.reduce((s, v) => s + (v - winsorizedMean) ** 2, 0);
  const winsorizedVariance = squares / (n - 1);
  return { mean, variance: ((n - 1) * winsorizedVariance) / (kept * Math.max(1, kept - 1)), kept, winsorizedSd: Math.sqrt(winsorizedVariance) };
}

/** Yuen's interval for b - a: the difference of trimmed means ± t × its standard error. Null without degrees of freedom. */
export function yuenInterval(a: Trimmed, b: Trimmed, confidence: number, sided: 'two' | 'one' = 'two'): { difference: number; halfWidth: number; degreesOfFreedom: number } | null {
  if (a.kept < 2 || b.kept < 2) return null;
  const variance = a.variance + b.variance;
  const difference = b.mean - a.mean;
  if (variance === 0) return { difference, halfWidth: 0, degreesOfFreedom: a.kept + b.kept - 2 };
  const degreesOfFreedom = variance ** 2 / (a.variance ** 2 / (a.kept - 1) + b.variance ** 2 / (b.kept - 1));
  const p = sided === 'two' ? 1 - (1 - confidence) / 2 : confidence;
  return { difference, halfWidth: studentTQuantile(p, degreesOfFreedom) * Math.sqrt(variance), degreesOfFreedom };
}

/**
 * The blocks a side is judged on: all of them, unless one of its CPUs (with at least two blocks) is slower than
 * its fastest by more than chance; then the fastest CPU's alone.
 */
function chooseBlocks(located: readonly Located[]): { chosen: number[]; cpu: number | null | 'all' } {
  const byCpu = new Map<number | null, number[]>();
  for (const { cpu, location } of located) byCpu.set(cpu, [...(byCpu.get(cpu) ?? []), location]);
  const all = located.map((l) => l.location);
  if (byCpu.size === 1) return { chosen: all, cpu: [...byCpu.keys()][0]! };
  const groups = [...byCpu.entries()].filter(([, group]) => group.length >= 2).map(([cpu, group]) => ({ cpu, group, summary: trimmedSummary(group) }));
  if (groups.length < 2) return { chosen: all, cpu: 'all' };
  groups.sort((x, y) => x.summary.mean - y.summary.mean);
  const [fastest, ...others] = groups;
  const slower = others.some((other) => {
    const interval = yuenInterval(fastest!.summary, other.summary, cpuSeparation, 'one');
    return interval !== null && interval.difference > interval.halfWidth;
  });
  return slower ? { chosen: fastest!.group, cpu: fastest!.cpu } : { chosen: all, cpu: 'all' };
}

/**
 * One side on its own: the trimmed mean of the block locations it would be judged on (its fastest CPU's when
 * another of its CPUs was slower), as the comparison of two runs places it. With one block, that block's. What a
 * run contributes to a history (compare-history.ts); null without blocks.
 */
export function sideLocation(located: readonly Located[]): { location: number; cpu: number | null | 'all'; used: number } | null {
  if (located.length === 0) return null;
  if (located.length === 1) return { location: located[0]!.location, cpu: located[0]!.cpu, used: 1 };
  const side = chooseBlocks(located);
  return { location: trimmedSummary(side.chosen).mean, cpu: side.cpu, used: side.chosen.length };
}

/** Null when the blocks cannot carry a comparison: fewer than two blocks judged on, on either side. */
export function compareBlocks(
  baseline: { samples: Float64Array; blocks: readonly CaseBlock[] },
  candidate: { samples: Float64Array; blocks: readonly CaseBlock[] },
  confidence: number,
): BlockComparison | null {
  const a = blockLocations(baseline.samples, baseline.blocks);
  const b = blockLocations(candidate.samples, candidate.blocks);
  if (a.length < 2 || b.length < 2) return null;
  const sideA = chooseBlocks(a);
  const sideB = chooseBlocks(b);
  if (sideA.chosen.length < 2 || sideB.chosen.length < 2) return null;
  const trimmedA = trimmedSummary(sideA.chosen);
  const trimmedB = trimmedSummary(sideB.chosen);
  const interval = yuenInterval(trimmedA, trimmedB, confidence);
  if (!interval) return null;
  const { difference, halfWidth, degreesOfFreedom } = interval;
  const noise = yuenInterval(trimmedA, trimmedB, 0.95)!.halfWidth;
  return {
    ratio: { estimate: Math.exp(difference), low: Math.exp(difference - halfWidth), high: Math.exp(difference + halfWidth), confidence },
    baseline: { used: sideA.chosen.length, blocks: a.length, cpu: sideA.cpu },
    candidate: { used: sideB.chosen.length, blocks: b.length, cpu: sideB.cpu },
    spread: Math.sqrt((trimmedA.winsorizedSd ** 2 + trimmedB.winsorizedSd ** 2) / 2),
    degreesOfFreedom,
    noise,
  };
}
