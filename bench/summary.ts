/** Alternating rounds, ratios and bootstrap intervals for the foundation benchmarks. */
import { median } from '../src/stats/quantile.js';
import { seededRandom } from '../src/stats/seeded-random.js';

export { median };

export interface Round {
  a: Float64Array;
  b: Float64Array;
}

/**
 * Measures two sides in alternating rounds, swapping which goes first each round, so that both see the same
 * slow drifts of a shared VM and neither always inherits the other's cache and frequency state.
 */
export async function alternate(rounds: number, sideA: () => Promise<Float64Array>, sideB: () => Promise<Float64Array>): Promise<Round[]> {
  const out: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      const a = await sideA();
      out.push({ a, b: await sideB() });
    } else {
      const b = await sideB();
      out.push({ a: await sideA(), b });
    }
  }
  return out;
}

function resampleMedian(values: Float64Array, random: () => number): number {
  const resampled = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) resampled[i] = values[Math.floor(random() * values.length)]!;
  return median(resampled);
}

/**
 * 95% percentile-bootstrap interval of median(a) / median(b), resampling each side's pooled samples. RSA keys
 * vary several-fold with the luck of the prime search, so a ratio of RSA medians means little without it.
 */
export function bootstrapRatioInterval(a: Float64Array, b: Float64Array, resamples = 2000): [number, number] {
  const random = seededRandom(0x6b657973);
  const ratios = new Float64Array(resamples);
  for (let i = 0; i < resamples; i++) ratios[i] = resampleMedian(a, random) / resampleMedian(b, random);
  ratios.sort();
  return [ratios[Math.floor(resamples * 0.025)]!, ratios[Math.ceil(resamples * 0.975) - 1]!];
}

export interface PairedRatio {
  /** median(a) / median(b) over the pooled samples of every round. */
  ratio: number;
  /** Its 95% bootstrap interval. */
  interval: [number, number];
  /** Median, smallest and largest of the per-round ratios: how much the ratio moved as the VM drifted. */
  rounds: { median: number; low: number; high: number };
  aMedian: number;
  bMedian: number;
  samplesPerSide: number;
}

export function pairedRatio(rounds: readonly Round[]): PairedRatio {
  const ratios = rounds.map(({ a, b }) => median(a) / median(b)).sort((x, y) => x - y);
  const pooledA = Float64Array.from(rounds.flatMap((r) => Array.from(r.a)));
  const pooledB = Float64Array.from(rounds.flatMap((r) => Array.from(r.b)));
  const aMedian = median(pooledA);
  const bMedian = median(pooledB);
  return {
    ratio: aMedian / bMedian,
    interval: bootstrapRatioInterval(pooledA, pooledB),
    rounds: { median: median(ratios), low: ratios[0]!, high: ratios[ratios.length - 1]! },
    aMedian,
    bMedian,
    samplesPerSide: pooledA.length,
  };
}

export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}
