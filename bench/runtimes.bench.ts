/**
 * Every algorithm on two runtimes, side by side (issue 17, section 4): one child process per runtime (Node 20,
 * the Node running this; Node 24 from .runtimes/, fetched by `bash scripts/node-runtime.sh 24`), both pinned to
 * the same CPU, measured in alternating rounds (measureKeygen: the keygen alone, on a libuv thread), the first
 * runtime of each round swapping. Per algorithm: the per-key medians, their ratio (second runtime over first)
 * with a 95% bootstrap interval; for RSA also the split of the change of the mean time per key into candidates
 * per key and time per candidate (src/compare/statistics/search-decomposition.ts), each round a block.
 *
 * Usage: npm run bench:runtimes [-- --quick] [-- --second PATH/TO/node] [-- --algorithms id,id] [-- --cpu N].
 * Writes reports/bench-runtimes.json and prints the markdown table the README shows.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

import { decomposeSearch } from '../src/compare/statistics/search-decomposition.js';
import { bootstrapRatioInterval, formatNs, median } from './summary.js';

const quick = process.argv.includes('--quick');
const flag = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};

interface Hello {
  node: string;
  openssl: string;
  supported: string[];
}
interface Samples {
  ns: number[];
  candidates: number[] | null;
}

class Runtime {
  readonly #child: ChildProcess;
  /** Answers are in request order: one waiter per request sent. */
  readonly #waiting: { resolve: (message: unknown) => void; reject: (error: Error) => void }[] = [];
  readonly hello: Promise<Hello>;

  constructor(readonly nodePath: string, cpu: number) {
    this.#child = fork(fileURLToPath(new URL('./runtimes-child.ts', import.meta.url)), {
      execPath: nodePath,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, KEYSCOPE_BENCH_CPU: String(cpu) },
    });
    this.#child.on('message', (message: { error?: string }) => {
      const waiter = this.#waiting.shift();
      if (message.error) waiter?.reject(new Error(`${nodePath}: ${message.error}`));
      else waiter?.resolve(message);
    });
    this.#child.on('exit', (code) => {
      for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error(`${nodePath} exited (${code})`));
    });
    this.hello = this.#next<Hello>();
  }

  #next<T>(): Promise<T> {
    return new Promise((resolve, reject) => this.#waiting.push({ resolve: resolve as (message: unknown) => void, reject }));
  }

  measure(id: string, keys: number): Promise<Samples> {
    const answer = this.#next<Samples>();
    this.#child.send({ id, keys });
    return answer;
  }

  close(): void {
    this.#child.kill();
  }
}

/** Rounds and keys a round: RSA by its known cost (its luck wants rounds), the rest about 40 ms of keys a round. */
async function planFor(id: string, probe: Runtime): Promise<{ rounds: number; perRound: number }> {
  const rsa: Record<string, [number, number]> = { 'rsa-2048': [10, 4], 'rsa-3072': [8, 2], 'rsa-4096': [8, 1] };
  let [rounds, perRound] = rsa[id] ?? [0, 0];
  if (rounds === 0) {
    const sample = await probe.measure(id, 3);
    rounds = 10;
    perRound = Math.min(2000, Math.max(2, Math.round(40e6 / median(Float64Array.from(sample.ns)))));
  }
  return quick ? { rounds: Math.max(4, rounds / 2), perRound: Math.max(1, Math.round(perRound / 4)) } : { rounds, perRound };
}

interface Row {
  id: string;
  first: { medianNs: number; keys: number } | null;
  second: { medianNs: number; keys: number } | null;
  ratio: number | null;
  interval: [number, number] | null;
  search: ReturnType<typeof decomposeSearch> | null;
}

async function compareOne(id: string, runtimes: [Runtime, Runtime], supported: [boolean, boolean]): Promise<Row> {
  const only = supported[0] ? runtimes[0] : runtimes[1];
  const { rounds, perRound } = await planFor(id, only);
  const pooled: [Samples & { blocks: number[] }, Samples & { blocks: number[] }] = [
    { ns: [], candidates: [], blocks: [] },
    { ns: [], candidates: [], blocks: [] },
  ];
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? [0, 1] : [1, 0]) {
      if (!supported[side]) continue;
      const samples = await runtimes[side]!.measure(id, perRound);
      const into = pooled[side]!;
      into.ns.push(...samples.ns);
      into.blocks.push(samples.ns.length);
      if (samples.candidates && into.candidates) into.candidates.push(...samples.candidates);
      else into.candidates = null;
    }
  }
  const summary = (side: 0 | 1) => (supported[side] ? { medianNs: median(Float64Array.from(pooled[side].ns)), keys: pooled[side].ns.length } : null);
  const [first, second] = [summary(0), summary(1)];
  if (!first || !second) return { id, first, second, ratio: null, interval: null, search: null };
  const [a, b] = pooled;
  const search =
    a.candidates && b.candidates && a.candidates.length > 0
      ? decomposeSearch({ ns: a.ns, candidates: a.candidates, blocks: a.blocks }, { ns: b.ns, candidates: b.candidates!, blocks: b.blocks }, { confidence: 0.95 })
      : null;
  return { id, first, second, ratio: second.medianNs / first.medianNs, interval: bootstrapRatioInterval(Float64Array.from(b.ns), Float64Array.from(a.ns)), search };
}

const times = (ratio: number): string => `${ratio.toFixed(2)}x`;
const withInterval = (r: { estimate: number; low: number; high: number }): string => `${times(r.estimate)} (${r.low.toFixed(2)}–${r.high.toFixed(2)})`;

function markdown(rows: Row[], first: Hello, second: Hello): string {
  const lines = [
    `| algorithm | Node ${first.node} (OpenSSL ${first.openssl}) | Node ${second.node} (OpenSSL ${second.openssl}) | ratio | 95% interval | RSA: candidates per key × time per candidate |`,
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const cell = (side: Row['first']) => (side ? formatNs(side.medianNs) : 'not supported');
    const ratio = row.ratio === null ? '' : `**${times(row.ratio)}**`;
    const interval = row.interval ? `${row.interval[0].toFixed(2)}–${row.interval[1].toFixed(2)}` : '';
    const s = row.search;
    const split = s
      ? `mean ${times(s.perKey.estimate)} = ${withInterval(s.candidatesPerKey)} × ${withInterval(s.perCandidate)}`
      : '';
    lines.push(`| ${row.id} | ${cell(row.first)} | ${cell(row.second)} | ${ratio} | ${interval} | ${split} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const secondPath = flag('--second') ?? fileURLToPath(new URL('../.runtimes/node-24/bin/node', import.meta.url));
  if (!existsSync(secondPath)) throw new Error(`no second runtime at ${secondPath}: run "bash scripts/node-runtime.sh 24" first, or pass --second PATH`);
  const cpu = Number(flag('--cpu') ?? os.cpus().length - 1);
  const runtimes: [Runtime, Runtime] = [new Runtime(process.execPath, cpu), new Runtime(secondPath, cpu)];
  try {
    const hellos = (await Promise.all(runtimes.map((r) => r.hello))) as [Hello, Hello];
    console.log(`every algorithm on two runtimes${quick ? ' (quick)' : ''}: Node ${hellos[0].node} (OpenSSL ${hellos[0].openssl}) and Node ${hellos[1].node} (OpenSSL ${hellos[1].openssl}), ${os.cpus()[0]?.model ?? 'unknown CPU'}, both pinned to CPU ${cpu}, alternating rounds`);
    const asked = flag('--algorithms')?.split(',');
    const ids = [...new Set([...hellos[0].supported, ...hellos[1].supported])].filter((id) => asked?.includes(id) ?? true);
    const rows: Row[] = [];
    for (const id of ids) {
      const row = await compareOne(id, runtimes, [hellos[0].supported.includes(id), hellos[1].supported.includes(id)]);
      rows.push(row);
      console.log(`  ${id.padEnd(20)} ${row.first ? formatNs(row.first.medianNs) : '-'} -> ${row.second ? formatNs(row.second.medianNs) : '-'}${row.ratio ? `  ${times(row.ratio)}` : ''}`);
    }
    console.log(`\n${markdown(rows, hellos[0], hellos[1])}\n`);
    mkdirSync(new URL('../reports/', import.meta.url), { recursive: true });
    writeFileSync(new URL('../reports/bench-runtimes.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), quick, cpu, runtimes: hellos.map(({ node, openssl }) => ({ node, openssl })), rows }, null, 2)}\n`);
    console.log('wrote reports/bench-runtimes.json');
  } finally {
    for (const runtime of runtimes) runtime.close();
  }
}

await main();
