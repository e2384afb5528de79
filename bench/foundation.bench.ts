/**
 * The foundation benchmarks (issue 2), measured side by side in one run on Node's own OpenSSL:
 *  1. measureKeygen's per-key median against a bare C++ EVP_PKEY_keygen loop (target: within 3%);
 *  2. generateKeyPairSync against node:crypto's generateKeyPairSync for every algorithm
 *     (target: at least 2x faster for ec-p256, no slower for any other);
 *  3. the timer's own cost on an empty operation (target: under 50 ns).
 * Usage: npm run bench:foundation [-- --quick] [-- --cpu N | --no-pin] [-- --algorithms id,id]. Writes
 * reports/bench-foundation.json. On Node 24 (OpenSSL 3.5) it covers the post-quantum algorithms too.
 * Every comparison alternates its two sides in short rounds on one pinned CPU (see pin-cpu.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

import { type AlgorithmId, generateKeyPairSync, listAlgorithms, measureKeygen, opensslInfo, profile } from '../src/index.js';
import { bareLoop, bareLoopTargets } from './bare-loop.js';
import { nodeCryptoKeygen } from './node-crypto-equivalents.js';
import { pinToCpu } from '../src/bench/pin-cpu.js';
import { alternate, formatNs, type PairedRatio, pairedRatio } from './summary.js';

const quick = process.argv.includes('--quick');
const cpuFlag = process.argv.indexOf('--cpu');

const algorithmsFlag = process.argv.indexOf('--algorithms');
/** The algorithms asked for with --algorithms, or null for every supported one. */
const onlyAlgorithms = algorithmsFlag > 0 ? new Set((process.argv[algorithmsFlag + 1] ?? '').split(',')) : null;

/**
 * Rounds and keys per round, by cost: RSA keys take milliseconds to seconds (and their luck wants rounds), the
 * rest from 30 us to a quarter of a second (SLH-DSA's small-signature sets build a whole tree per key), so a
 * round holds about 50 ms of keys, at least 2 and at most 400.
 */
async function planFor(id: AlgorithmId): Promise<{ rounds: number; perRound: number }> {
  let full: [number, number];
  if (id.startsWith('rsa-')) full = id === 'rsa-4096' ? [8, 3] : id === 'rsa-3072' ? [10, 4] : [12, 10];
  else {
    const probe = await profile(`probe ${id}`, () => generateKeyPairSync(id), { iterations: 3, warmup: 1, counters: false });
    const perKeyNs = [...probe.samples.ns].sort((a, b) => a - b)[1]!;
    full = [16, Math.min(400, Math.max(2, Math.round(50e6 / perKeyNs)))];
  }
  const [rounds, perRound] = quick ? [Math.max(4, full[0] / 2), Math.max(1, Math.round(full[1] / 4))] : full;
  return { rounds, perRound };
}

async function measureKeygenVsBareLoop(id: keyof typeof bareLoopTargets): Promise<PairedRatio> {
  const { keyType, group } = bareLoopTargets[id];
  const perRound = quick ? 500 : 1500;
  const rounds = await alternate(
    quick ? 8 : 24,
    async () => (await measureKeygen(id, { iterations: perRound, warmup: 20, counters: false })).samples.ns,
    () => bareLoop.bareKeygenLoop(keyType, group, perRound),
  );
  return pairedRatio(rounds);
}

async function nodeCryptoVsKeyscope(id: AlgorithmId): Promise<PairedRatio> {
  const { rounds, perRound } = await planFor(id);
  const nodeKeygen = nodeCryptoKeygen(id);
  const budget = { iterations: perRound, warmup: 1, counters: false };
  // a = node:crypto, b = keyscope: the ratio reads as keyscope's speed-up.
  return pairedRatio(
    await alternate(
      rounds,
      async () => (await profile(`node:crypto ${id}`, nodeKeygen, budget)).samples.ns,
      async () => (await profile(`keyscope ${id}`, () => generateKeyPairSync(id), budget)).samples.ns,
    ),
  );
}

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
}

async function main(): Promise<void> {
  const openssl = opensslInfo();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const pin = process.argv.includes('--no-pin')
    ? ({ pinned: false, reason: '--no-pin' } as const)
    : pinToCpu(cpuFlag > 0 ? Number(process.argv[cpuFlag + 1]) : undefined);
  const pinText = pin.pinned ? `pinned to CPU ${pin.cpu}` : `not pinned (${pin.reason})`;
  console.log(`keyscope foundation benchmarks${quick ? ' (quick)' : ''}: Node ${process.version}, OpenSSL ${openssl.version}, ${cpu}, ${os.cpus().length} cores, ${pinText}`);

  const timerProbe = await measureKeygen('ed25519', { iterations: 100, counters: false });
  const jsTimer = (await profile('empty', () => {}, { iterations: 1000, counters: false })).timer;
  console.log(`\ntimer cost on an empty operation: native loop ${timerProbe.timer.ns.toFixed(0)} ns (${timerProbe.timer.cycles.toFixed(0)} cycles), profile() from JS ${jsTimer.ns.toFixed(0)} ns`);

  console.log('\nmeasureKeygen vs a bare EVP_PKEY_keygen loop (per-key medians, both on a libuv worker thread):');
  const vsBare: Record<string, PairedRatio> = {};
  const supported = new Set(listAlgorithms().filter((a) => a.supported && (onlyAlgorithms?.has(a.id) ?? true)).map((a) => a.id));
  for (const id of (Object.keys(bareLoopTargets) as (keyof typeof bareLoopTargets)[]).filter((target) => supported.has(target))) {
    const r = (vsBare[id] = await measureKeygenVsBareLoop(id));
    const [low, high] = r.interval;
    console.log(`  ${id.padEnd(10)} measureKeygen ${formatNs(r.aMedian)}  bare ${formatNs(r.bMedian)}  ratio ${r.ratio.toFixed(4)} (95% interval ${low.toFixed(4)}..${high.toFixed(4)}, ${r.samplesPerSide} keys a side)`);
  }

  console.log('\ngenerateKeyPairSync: keyscope vs node:crypto (per-key medians, JS thread, alternating rounds):');
  const widths = [18, 12, 12, 9, 14, 6];
  console.log(row(['algorithm', 'node:crypto', 'keyscope', 'speed-up', '95% interval', 'keys'], widths));
  const vsNode: Record<string, PairedRatio> = {};
  const ids = [...supported];
  for (const id of ids) {
    const r = (vsNode[id] = await nodeCryptoVsKeyscope(id));
    const [low, high] = r.interval;
    console.log(row([id, formatNs(r.aMedian), formatNs(r.bMedian), `${r.ratio.toFixed(2)}x`, `${low.toFixed(2)}..${high.toFixed(2)}`, String(r.samplesPerSide)], widths));
  }

  mkdirSync(new URL('../reports/', import.meta.url), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    quick,
    environment: { node: process.version, openssl: openssl.version, cpu, cores: os.cpus().length, pin, cycleCounter: timerProbe.clock.cycles },
    timer: { native: timerProbe.timer, profile: jsTimer },
    measureKeygenVsBareLoop: vsBare,
    generateKeyPairSyncVsNodeCrypto: vsNode,
  };
  writeFileSync(new URL('../reports/bench-foundation.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.log('\nwrote reports/bench-foundation.json');
}

await main();
