/** Medians, alternating rounds and ratios for the foundation benchmarks. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

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

export interface PairedRatio {
  /** Median over rounds of median(a) / median(b). */
  ratio: number;
  /** The smallest and largest round ratios. */
  low: number;
  high: number;
  aMedian: number;
  bMedian: number;
  samplesPerSide: number;
}

export function pairedRatio(rounds: readonly Round[]): PairedRatio {
  const ratios = rounds.map(({ a, b }) => median(a) / median(b)).sort((x, y) => x - y);
  const pooledA = rounds.flatMap((r) => Array.from(r.a));
  const pooledB = rounds.flatMap((r) => Array.from(r.b));
  return {
    ratio: median(ratios),
    low: ratios[0]!,
    high: ratios[ratios.length - 1]!,
    aMedian: median(pooledA),
    bMedian: median(pooledB),
    samplesPerSide: pooledA.length,
  };
}

export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}
