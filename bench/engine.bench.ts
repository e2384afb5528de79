/**
 * The bench engine's own cost (issue 3), pinned to one CPU, alternating with the bare EVP_PKEY_keygen loop:
 *  - while sampling: wall time per key of the adaptive harness (batches of measureKeygen with counters, the
 *    timer probe, the gated precision checks) against wall time per key of the bare loop (keygen + free,
 *    nothing else). Target: under 0.5% per ec-p256 key. The target precision is 0 so that every round runs to
 *    its budget; a case that can reach its target runs one to three checks, each a sort of its samples.
 *  - after sampling: summaries and HDR histograms of the case, reported per sample.
 * Usage: npx tsx bench/engine.bench.ts [--quick]
 */
import { sampleAdaptively } from '../src/bench/adaptive.js';
import { resolveCaseBudget } from '../src/bench/case-budget.js';
import { completeCase } from '../src/bench/complete-case.js';
import { pinToCpu } from '../src/bench/pin-cpu.js';
import { measureKeygen } from '../src/index.js';
import { bareLoop } from './bare-loop.js';
import { median } from './summary.js';

const quick = process.argv.includes('--quick');
const pin = pinToCpu();
const rounds = quick ? 4 : 10;
// precision 0: a case can only stop on its time budget, so every round does the same kind of work.
const budget = { ...resolveCaseBudget('ec-p256', [], false), precision: 0, maxTimeMs: quick ? 500 : 2000 };

const ratios: number[] = [];
const postNsPerSample: number[] = [];
for (let round = 0; round < rounds; round++) {
  // The same batches runCase takes for a native case.
  let warm = false;
  const outcome = await sampleAdaptively(async (count) => {
    const result = await measureKeygen('ec-p256', {
      iterations: count,
      warmup: warm ? 0 : Math.min(10, count),
      counters: { hardware: true, software: true, rusage: true, memory: false },
    });
    warm = true;
    return { ns: result.samples.ns, cycles: result.samples.cycles, candidates: result.samples.candidates };
  }, budget);
  const keys = outcome.ns.length;
  const post = performance.now();
  completeCase({ suite: 'engine', case: 'keygen', implementation: 'keyscope-native', algorithm: 'ec-p256' }, {}, outcome, [{ samples: keys, cpu: null }], budget, {
    counters: {},
    timer: { ns: 0, cycles: 0, samples: 0 },
  });
  postNsPerSample.push(((performance.now() - post) * 1e6) / keys);

  const bareStarted = performance.now();
  await bareLoop.bareKeygenLoop('EC', 'P-256', keys);
  const bareMs = performance.now() - bareStarted;
  const harnessNs = (outcome.elapsedMs * 1e6) / keys;
  const bareNs = (bareMs * 1e6) / keys;
  ratios.push(harnessNs / bareNs);
  console.log(`round ${round + 1}: ${keys} keys; sampling ${harnessNs.toFixed(0)} ns/key, bare loop ${bareNs.toFixed(0)} ns/key`);
}
console.log(
  `\n${pin.pinned ? `pinned to CPU ${pin.cpu}` : 'not pinned'}; harness overhead while sampling: ${((median(ratios) - 1) * 100).toFixed(2)}% per ec-p256 key ` +
    `(median of ${rounds} rounds; target < 0.5%); summaries and histograms afterwards: ${median(postNsPerSample).toFixed(0)} ns per sample`,
);
