/**
 * What analytics costs the keygen hot path (issue 5). Target: with every scope on, generateKeyPairSync('ed25519')
 * throughput within 2% of analytics off. "On" is what a consenting process runs: the native performance spool
 * open with mask 15 (usage, performance, errors, security) in a temporary directory, and the instrumentation
 * hooks installed.
 *  1. ed25519 generateKeyPairSync throughput, off vs on, in interleaved rounds (the side that goes first swaps
 *     every round), compared as the median of per-round ratios and the ratio of median round throughputs;
 *  2. rsa-2048 generateKeyPair (4 in flight on libuv threads), the same way, for sanity;
 *  3. the cost of one api.call record written from JS (clock read, id check and the mapped-file store).
 * Usage: tsx bench/analytics-overhead.bench.ts [--quick] [--cpu N | --no-pin]. Writes reports/bench-analytics-overhead.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import { openNativeSpool, spoolHooks, type NativeSpool } from '../src/analytics/capture/native-spool.js';
import { generateKeyPair, generateKeyPairSync, opensslInfo } from '../src/index.js';
import { setInstrumentation } from '../src/core/instrumentation.js';
import { pinToCpu } from '../src/bench/pin-cpu.js';
import { median } from './summary.js';

const quick = process.argv.includes('--quick');
const cpuFlag = process.argv.indexOf('--cpu');
const everyScope = 1 | 2 | 4 | 8;
const spoolRoot = mkdtempSync(join(os.tmpdir(), 'keyscope-overhead-'));

/** Analytics on for one round: a fresh spool (so the round's files can be deleted after) and the hooks. */
function analyticsOn(): NativeSpool {
  const spool = openNativeSpool({ dir: join(spoolRoot, 'spool'), installId: 'bench', sessionId: 'bench', keyscopeVersion: 'bench' });
  spool.setScopeMask(everyScope);
  setInstrumentation({ ...spoolHooks(spool), weakParameters: () => {} });
  return spool;
}

function analyticsOff(spool: NativeSpool): void {
  setInstrumentation(null);
  spool.close();
  // A round on writes ~10 MB of records; keep the temporary directory small.
  rmSync(join(spoolRoot, 'spool'), { recursive: true, force: true });
}

/** Keys a second for `ms` of generateKeyPairSync('ed25519'); keys are released at once, as a careful caller would. */
function ed25519Throughput(ms: number): number {
  let keys = 0;
  const start = performance.now();
  const end = start + ms;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 64; i++) generateKeyPairSync('ed25519').release();
    keys += 64;
    now = performance.now();
  }
  return (keys * 1000) / (now - start);
}

/** Keys a second for `ms` of generateKeyPair('rsa-2048') with `inFlight` calls outstanding. */
async function rsaThroughput(ms: number, inFlight: number): Promise<number> {
  let keys = 0;
  const start = performance.now();
  const end = start + ms;
  const lane = async () => {
    while (performance.now() < end) {
      (await generateKeyPair('rsa-2048')).release();
      keys++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return (keys * 1000) / (performance.now() - start);
}

interface Comparison {
  rounds: number;
  offMedian: number;
  onMedian: number;
  /** median(on) / median(off) of the round throughputs. */
  ratioOfMedians: number;
  /** Median of the per-round on/off ratios (each round measures both sides back to back). */
  medianRoundRatio: number;
  roundRatioRange: [number, number];
  /** 1 - medianRoundRatio: the throughput analytics costs. */
  overhead: number;
}

async function compare(rounds: number, measure: () => Promise<number> | number): Promise<Comparison> {
  const off: number[] = [];
  const on: number[] = [];
  const measureOn = async () => {
    const spool = analyticsOn();
    try {
      on.push(await measure());
    } finally {
      analyticsOff(spool);
    }
  };
  const measureOff = async () => {
    off.push(await measure());
  };
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      await measureOff();
      await measureOn();
    } else {
      await measureOn();
      await measureOff();
    }
  }
  const ratios = on.map((value, i) => value / off[i]!).sort((a, b) => a - b);
  const offMedian = median(Float64Array.from(off));
  const onMedian = median(Float64Array.from(on));
  const medianRoundRatio = median(Float64Array.from(ratios));
  return {
    rounds,
    offMedian,
    onMedian,
    ratioOfMedians: onMedian / offMedian,
    medianRoundRatio,
    roundRatioRange: [ratios[0]!, ratios[ratios.length - 1]!],
    overhead: 1 - medianRoundRatio,
  };
}

/** ns per call of recordExport with the usage scope on, minus the same calls with it off (the JS call itself). */
function recordCostNs(): { onNs: number; offNs: number; perRecordNs: number } {
  const calls = quick ? 100_000 : 500_000;
  const time = (spool: NativeSpool) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) spool.recordExport('exportPublicKey', 'ed25519', 'pem', false);
    return Number(process.hrtime.bigint() - start) / calls;
  };
  const offs: number[] = [];
  const ons: number[] = [];
  for (let r = 0; r < 5; r++) {
    const spool = openNativeSpool({ dir: join(spoolRoot, 'spool'), installId: 'bench', sessionId: 'bench', keyscopeVersion: 'bench' });
    spool.setScopeMask(0);
    offs.push(time(spool));
    spool.setScopeMask(1);
    ons.push(time(spool));
    analyticsOff(spool);
  }
  const onNs = median(Float64Array.from(ons));
  const offNs = median(Float64Array.from(offs));
  return { onNs, offNs, perRecordNs: onNs - offNs };
}

function describeComparison(name: string, c: Comparison, unit: string): void {
  const [low, high] = c.roundRatioRange;
  console.log(
    `  ${name}: off ${c.offMedian.toFixed(0)} ${unit}, on ${c.onMedian.toFixed(0)} ${unit}; on/off median of round ratios ${c.medianRoundRatio.toFixed(4)} ` +
      `(rounds ${low.toFixed(4)}..${high.toFixed(4)}), ratio of medians ${c.ratioOfMedians.toFixed(4)}; overhead ${(c.overhead * 100).toFixed(2)}%`,
  );
}

async function main(): Promise<void> {
  const pin = process.argv.includes('--no-pin')
    ? ({ pinned: false, reason: '--no-pin' } as const)
    : pinToCpu(cpuFlag > 0 ? Number(process.argv[cpuFlag + 1]) : undefined);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `keyscope analytics overhead${quick ? ' (quick)' : ''}: Node ${process.version}, OpenSSL ${opensslInfo().version}, ${cpu}, ` +
      `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}, ${pin.pinned ? `pinned to CPU ${pin.cpu}` : `not pinned (${pin.reason})`}`,
  );
  // Warm up both paths (contexts, the cycle counter's calibration on the first open, JIT).
  ed25519Throughput(200);
  analyticsOff(analyticsOn());
  const warm = analyticsOn();
  ed25519Throughput(200);
  analyticsOff(warm);

  const roundMs = quick ? 500 : 2000;
  console.log(`\nthroughput, analytics off vs every scope on (${quick ? 6 : 20} interleaved rounds of ${roundMs} ms a side):`);
  const ed25519 = await compare(quick ? 6 : 20, () => ed25519Throughput(roundMs));
  describeComparison('ed25519 generateKeyPairSync', ed25519, 'keys/s');
  const perKeyNs = 1e9 / ed25519.onMedian - 1e9 / ed25519.offMedian;
  console.log(`    per key: off ${(1e9 / ed25519.offMedian).toFixed(0)} ns, on ${(1e9 / ed25519.onMedian).toFixed(0)} ns (difference of medians ${perKeyNs.toFixed(0)} ns)`);
  const rsa = await compare(quick ? 2 : 6, () => rsaThroughput(roundMs, 4));
  describeComparison('rsa-2048 generateKeyPair x4 in flight', rsa, 'keys/s');

  const record = recordCostNs();
  console.log(
    `\none api.call record from JS (recordExport): ${record.onNs.toFixed(0)} ns with usage on, ${record.offNs.toFixed(0)} ns off: ` +
      `${record.perRecordNs.toFixed(0)} ns for the clock read, id check and mapped-file store`,
  );

  const pass = ed25519.overhead < 0.02;
  console.log(`\ned25519 overhead ${(ed25519.overhead * 100).toFixed(2)}% against a 2% budget: ${pass ? 'PASS' : 'FAIL'}`);
  mkdirSync(new URL('../reports/', import.meta.url), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    quick,
    environment: { node: process.version, openssl: opensslInfo().version, cpu, cores: os.cpus().length, load: os.loadavg(), pin },
    ed25519,
    ed25519PerKeyNs: perKeyNs,
    rsa2048Async: rsa,
    recordFromJs: record,
    pass,
  };
  writeFileSync(new URL('../reports/bench-analytics-overhead.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.log('wrote reports/bench-analytics-overhead.json');
  rmSync(spoolRoot, { recursive: true, force: true });
  if (!pass) process.exitCode = 1;
}

await main();
