/**
 * How many RSA-2048 keys a side a comparison needs to detect a 2% slowdown: seeded runs compared key by key
 * against independent runs.
 *
 * The candidate is the baseline's own loop with a handicap (bench helper only): every key spins for 2% of its
 * own keygen time inside its timed span, so the truth is known. "Detected" is the verdict `keyscope compare`
 * gives at --threshold 1% --confidence 99%: regressed (the interval lies above 1 and the estimate is at least
 * 1% slower). Both sides run in alternating chunks on one pinned CPU, so drift hits them alike.
 *
 * - Paired: baseline and candidate use the same seed, so key i searches the same primes on both sides.
 * - Independent: the two sides use different seeds, so the luck of the prime search is independent on each
 *   side, exactly as in unseeded runs, while the random generator's cost stays the same as in the paired case.
 *   Independent runs need thousands of keys; past a cap, the figure is the comparison's own estimate of how many
 *   samples would resolve it (samplesToResolve), which the paired rows let us check against measured ones.
 *
 * Usage: npm run bench:seeded [-- --trials 5 --independent-cap 600]
 */
import { parseArgs } from 'node:util';

import { compareSamples } from '../src/compare/statistics/index.js';
import { pinToCpu } from '../src/bench/pin-cpu.js';
import { bareLoop } from './bare-loop.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '5' },
    'paired-cap': { type: 'string', default: '300' },
    'independent-cap': { type: 'string', default: '600' },
    handicap: { type: 'string', default: '0.02' },
  },
});
const trials = Number(values.trials);
const pairedCap = Number(values['paired-cap']);
const independentCap = Number(values['independent-cap']);
const handicap = Number(values.handicap);
const settings = { threshold: 0.01, confidence: 0.99 };
const algorithm = 'rsa-2048';

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

interface Outcome {
  keys: number;
  detected: boolean;
  /** At the last look: the comparison's estimate and its own forecast of the samples needed. */
  estimate: number;
  low: number;
  high: number;
  samplesToResolve: number | null;
  seconds: number;
}

/** Grows both sides chunk by chunk (alternating which goes first) until the comparison says regressed, or the cap. */
async function sequentialDetection(baselineSeed: number, candidateSeed: number, chunk: number, cap: number, paired: boolean): Promise<Outcome> {
  let baseline: Float64Array = new Float64Array(0);
  let candidate: Float64Array = new Float64Array(0);
  const started = process.hrtime.bigint();
  for (let round = 0; baseline.length < cap; round++) {
    const first = baseline.length;
    const runBaseline = async () => (baseline = concat(baseline, (await bareLoop.measureSeeded(algorithm, baselineSeed, first, chunk, 0)).ns));
    const runCandidate = async () => (candidate = concat(candidate, (await bareLoop.measureSeeded(algorithm, candidateSeed, first, chunk, handicap)).ns));
    if (round % 2 === 0) {
      await runBaseline();
      await runCandidate();
    } else {
      await runCandidate();
      await runBaseline();
    }
    const result = compareSamples(baseline, candidate, { ...settings, paired });
    const done = result.verdict === 'regressed' || baseline.length >= cap;
    if (done) {
      return {
        keys: baseline.length,
        detected: result.verdict === 'regressed',
        estimate: result.ratio.estimate,
        low: result.ratio.low,
        high: result.ratio.high,
        samplesToResolve: result.samplesToResolve,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      };
    }
  }
  throw new Error('unreachable');
}

function describe(label: string, o: Outcome): string {
  const interval = `${((o.estimate - 1) * 100).toFixed(2)}% [${((o.low - 1) * 100).toFixed(2)}%, ${((o.high - 1) * 100).toFixed(2)}%]`;
  const verdict = o.detected ? `detected at ${o.keys} keys a side` : `not detected at ${o.keys} keys a side; forecast ${o.samplesToResolve ?? '?'} keys a side`;
  return `${label.padEnd(26)} ${verdict.padEnd(56)} change ${interval}  (${o.seconds.toFixed(0)} s)`;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const pin = pinToCpu();
console.log(`${algorithm}: detecting a ${handicap * 100}% slowdown at threshold 1%, confidence 99%; ${pin.pinned ? `pinned to CPU ${pin.cpu}` : `not pinned (${pin.reason})`}`);

const paired: Outcome[] = [];
for (let trial = 0; trial < trials; trial++) {
  const seed = 7000 + trial;
  const outcome = await sequentialDetection(seed, seed, 5, pairedCap, true);
  paired.push(outcome);
  console.log(describe(`paired, seed ${seed}`, outcome));
}

// Independent runs: one long trial (each needs thousands of keys), judged by the comparison's own forecast past the cap.
const independent = await sequentialDetection(8000, 9000, 25, independentCap, false);
console.log(describe('independent, seeds 8000/9000', independent));

/**
 * Keys a side for the interval to shrink to the known effect (so that it excludes 1 once the estimate sits near
 * the truth): the interval narrows as 1/sqrt(n). Unlike samplesToResolve, which works from the noisy estimate,
 * this uses the slowdown we built in.
 */
function forecastAtKnownEffect(o: Outcome): number {
  const halfWidth = (Math.log(o.high) - Math.log(o.low)) / 2;
  return Math.ceil(o.keys * (halfWidth / Math.log1p(handicap)) ** 2);
}

const pairedKeys = median(paired.map((o) => o.keys));
const independentKeys = independent.detected ? independent.keys : forecastAtKnownEffect(independent);
console.log('');
console.log(`paired (seeded): median ${pairedKeys} keys a side to detect (${paired.filter((o) => o.detected).length}/${paired.length} detected within ${pairedCap})`);
console.log(
  `independent: ${independent.detected ? `${independent.keys} keys a side (measured)` : `~${independentKeys} keys a side (from the spread at ${independent.keys} keys and the known ${handicap * 100}% effect)`}`,
);
console.log(`seeded pairing needs ~${Math.round(independentKeys / pairedKeys)}x fewer keys`);
