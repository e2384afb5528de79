/**
 * generateKeyPairSync at the limit (issue 17, section 5): per repetition of N keys, the per-key median of
 *  - bare:        the bare C++ loop of EVP_PKEY_keygen on a reused context (the limit the targets are held to);
 *  - js-call:     the same keygen behind one JS call per key, keys held until the repetition ends: what any
 *                 keygen called from JavaScript costs at the least;
 *  - keyscope:    generateKeyPairSync(id), the KeyPair dropped, as a caller's loop drops it;
 *  - node:crypto: generateKeyPairSync with the same curve, KeyObjects dropped.
 * Each round measures every side once, in a rotating order, and divides by that round's bare loop. Targets for
 * keyscope: median repetition within 1.10x the bare loop, worst within 1.25x.
 *
 * A process's first keys grow the malloc heap that holds the keys waiting for collection (every dropped key
 * stays allocated until a collection finds its KeyPair dead), and growing it costs page faults: about a quarter
 * more per key until the heap has room for the keys of two collections. Warm-up rounds run until then; they are
 * reported beside the measured ones, not hidden.
 *
 * Usage: npm run bench:sync [-- --quick] [-- --algorithms id,id] [-- --cpu N | --no-pin]. Writes
 * reports/bench-sync-limit-node<major>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';

import { generateKeyPairSync, listAlgorithms, opensslInfo } from '../src/index.js';
import { pinToCpu } from '../src/bench/pin-cpu.js';
import { bareLoop, bareLoopTargets } from './bare-loop.js';
import { nodeCryptoKeygen } from './node-crypto-equivalents.js';
import { median } from './summary.js';

const quick = process.argv.includes('--quick');
const flag = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const keysPerRep = quick ? 1000 : 2000;
const measuredRounds = quick ? 5 : 15;
const warmupRounds = quick ? 6 : 12;

type Side = 'bare' | 'js-call' | 'keyscope' | 'node:crypto';
const sides: Side[] = ['bare', 'js-call', 'keyscope', 'node:crypto'];

/** Per-key median of `keys` calls of fn, each timed alone, as profile() times from JavaScript. */
function perKeyMedian(keys: number, fn: () => unknown): number {
  const ns = new Float64Array(keys);
  for (let i = 0; i < keys; i++) {
    const start = process.hrtime.bigint();
    fn();
    ns[i] = Number(process.hrtime.bigint() - start);
  }
  return median(ns);
}

function measureSide(side: Side, id: keyof typeof bareLoopTargets, nodeKeygen: () => unknown): number {
  const { keyType, group } = bareLoopTargets[id];
  switch (side) {
    case 'bare':
      return median(bareLoop.bareKeygenLoopSync(keyType, group, keysPerRep));
    case 'js-call': {
      bareLoop.bareKeygenPrepare(keyType, group);
      const result = perKeyMedian(keysPerRep, bareLoop.bareKeygenCall);
      bareLoop.bareKeygenDrop();
      return result;
    }
    case 'keyscope':
      return perKeyMedian(keysPerRep, () => generateKeyPairSync(id));
    case 'node:crypto':
      return perKeyMedian(keysPerRep, nodeKeygen);
  }
}

interface SideSummary {
  /** Per-key median of each round, ns. */
  perKeyNs: number[];
  /** That round's value over its bare loop. */
  ratios: number[];
  medianRatio: number;
  worstRatio: number;
}

/** Rounds of every side, the order rotating each round; a macrotask between rounds lets collections finish. */
async function rounds(id: keyof typeof bareLoopTargets, count: number): Promise<Record<Side, SideSummary>> {
  const nodeKeygen = nodeCryptoKeygen(id);
  const perKey: Record<Side, number[]> = { bare: [], 'js-call': [], keyscope: [], 'node:crypto': [] };
  for (let round = 0; round < count; round++) {
    for (let k = 0; k < sides.length; k++) {
      const side = sides[(round + k) % sides.length]!;
      perKey[side].push(measureSide(side, id, nodeKeygen));
      await nextTurn();
    }
  }
  const summary = {} as Record<Side, SideSummary>;
  for (const side of sides) {
    const ratios = perKey[side].map((ns, round) => ns / perKey.bare[round]!);
    summary[side] = { perKeyNs: perKey[side], ratios, medianRatio: median(Float64Array.from(ratios)), worstRatio: Math.max(...ratios) };
  }
  return summary;
}

const us = (ns: number): string => `${(ns / 1000).toFixed(2)} µs`;
const x = (ratio: number): string => `${ratio.toFixed(3)}x`;

async function main(): Promise<void> {
  const cpuFlag = flag('--cpu');
  const pin = process.argv.includes('--no-pin') ? ({ pinned: false, reason: '--no-pin' } as const) : pinToCpu(cpuFlag === undefined ? undefined : Number(cpuFlag));
  const openssl = opensslInfo();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`generateKeyPairSync at the limit${quick ? ' (quick)' : ''}: Node ${process.version}, OpenSSL ${openssl.version}, ${cpu}, ${pin.pinned ? `pinned to CPU ${pin.cpu}` : `not pinned (${pin.reason})`}`);
  console.log(`${warmupRounds} warm-up and ${measuredRounds} measured rounds of ${keysPerRep} keys a side; ratios are to each round's bare loop\n`);

  const supported = new Set(listAlgorithms().filter((a) => a.supported).map((a) => a.id));
  const asked = flag('--algorithms')?.split(',');
  const ids = (Object.keys(bareLoopTargets) as (keyof typeof bareLoopTargets)[]).filter((id) => supported.has(id) && (asked?.includes(id) ?? true));
  const results: Record<string, { warmup: Record<Side, SideSummary>; measured: Record<Side, SideSummary> }> = {};
  for (const id of ids) {
    const warmup = await rounds(id, warmupRounds);
    const measured = await rounds(id, measuredRounds);
    results[id] = { warmup, measured };
    const k = measured.keyscope;
    const meets = k.medianRatio <= 1.1 && k.worstRatio <= 1.25;
    console.log(`${id}: bare loop ${us(median(Float64Array.from(measured.bare.perKeyNs)))} a key`);
    console.log(`  keyscope     median ${x(k.medianRatio)}  worst ${x(k.worstRatio)}  (targets 1.10x, 1.25x: ${meets ? 'met' : 'NOT met'})  warm-up median ${x(warmup.keyscope.medianRatio)} worst ${x(warmup.keyscope.worstRatio)}`);
    console.log(`  js-call      median ${x(measured['js-call'].medianRatio)}  worst ${x(measured['js-call'].worstRatio)}`);
    const nodeOverKeyscope = median(Float64Array.from(measured['node:crypto'].perKeyNs.map((ns, i) => ns / k.perKeyNs[i]!)));
    console.log(`  node:crypto  median ${x(measured['node:crypto'].medianRatio)}  worst ${x(measured['node:crypto'].worstRatio)}  (${nodeOverKeyscope.toFixed(2)}x keyscope's time)\n`);
    await nextTurn();
  }

  mkdirSync(new URL('../reports/', import.meta.url), { recursive: true });
  const major = process.versions.node.split('.')[0];
  const report = {
    date: new Date().toISOString(),
    quick,
    environment: { node: process.version, openssl: openssl.version, cpu, cores: os.cpus().length, pin },
    keysPerRep,
    warmupRounds,
    measuredRounds,
    results,
  };
  const file = `reports/bench-sync-limit-node${major}.json`;
  writeFileSync(new URL(`../${file}`, import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

await main();
