/**
 * How far the regression gate can be trusted, measured on real runs of this machine (not simulated noise).
 *
 * Runs `keyscope bench` in fresh processes, alternately honest (A) and handicapped (B: KEYSCOPE_BENCH_HANDICAP,
 * every measured operation made slower by a known fraction inside its timed region), A1 B1 A2 B2 … A(n+1), into a
 * private store, and compares with `keyscope compare` as CI would:
 * - A/A: each pair of consecutive honest runs (A1 A2, A2 A3, …; n pairs). A false positive is a pair where any
 *   case gates (verdict regressed, not unstable): the whole-run false-positive rate.
 * - A/B: each A(i) against B(i): the power, per case, to call the known slowdown a regression.
 * Every rate comes with its Clopper-Pearson interval. Each comparison's result is appended to a JSON-lines file
 * as it comes (`--out`), so an interrupted run keeps what it measured and `--summarize FILE` reprints the table.
 *
 * Usage: npx tsx bench/validity.bench.ts [--pairs N] [--handicap 10%] [--full] [--suites "default"]
 *                                        [--threshold 5%] [--out FILE] [--store DIR [--compare-only]] [--summarize FILE]
 *   --pairs: A/A and A/B pairs each (default 20); --full: the default suite's full budgets instead of --quick.
 *   --store: keep the runs in DIR (default: a temporary folder, removed at the end); --compare-only: measure
 *   nothing, compare the runs an earlier --store kept (to judge them again after a change to compare).
 *
 * History mode (`--history --store DIR`, after a measuring run): judges the same runs as compare
 * --baseline-branch would, each against the honest runs before it. A/A: every honest run with at least 5 honest
 * runs before it, against them (the newest --lookback); A/B: every handicapped run against the honest runs before
 * it. The same false-positive rate and power, for thresholds learned from history. It goes through the library
 * (compareWithHistory), not the CLI, because a handicapped run is on a testbed of its own: compare would rightly
 * refuse to judge it against an honest history.
 *
 * Interleaved mode (`--interleaved`): sessions of `keyscope ab`, this checkout against itself, alternately A/B
 * (the candidate handicapped) and A/A, each judged as `ab` judges (judgeSession). Each session's two runs are
 * kept as JSON in --store DIR (default: a temporary folder), so that `--interleaved --compare-only --store DIR`
 * judges them again, e.g. at another --threshold. Give --threshold 2% (ab's default) and --handicap 3%;
 * --forks N: worker processes per build (default 4, as ab).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { type InterleavedSession, runInterleaved, thisBuild } from '../src/bench/index.js';
import { judgeSession } from '../src/cli/ab-command.js';
import { compareWithHistory, referenceOf, type RunComparison } from '../src/compare/index.js';
import type { RunOverview } from '../src/model/index.js';
import { openStore } from '../src/store/index.js';
import { clopperPearson, quantileSorted, sortedCopy } from '../src/stats/index.js';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '20' },
    handicap: { type: 'string', default: '10%' },
    full: { type: 'boolean', default: false },
    suites: { type: 'string', default: 'default' },
    threshold: { type: 'string', default: '5%' },
    out: { type: 'string' },
    summarize: { type: 'string' },
    store: { type: 'string' },
    'compare-only': { type: 'boolean', default: false },
    history: { type: 'boolean', default: false },
    lookback: { type: 'string', default: '30' },
    interleaved: { type: 'boolean', default: false },
    forks: { type: 'string', default: '4' },
  },
});

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repoRoot, 'bin', 'keyscope.js');

/** What one comparison said, reduced to what the summary needs. */
interface PairResult {
  kind: 'aa' | 'ab';
  pair: number;
  /** Cases that gate (regressed and not unstable). */
  gating: string[];
  cases: { name: string; verdict: string; unstable: boolean; estimate: number; low: number; high: number }[];
}

function caseName(c: RunComparison['cases'][number]): string {
  const threads = c.parameters.threads === undefined ? '' : ` ${String(c.parameters.threads)}t`;
  return `${c.key.case} ${c.key.implementation} ${c.key.algorithm}${threads}`;
}

function reduce(kind: PairResult['kind'], pair: number, comparison: RunComparison): PairResult {
  const cases = comparison.cases.flatMap((c) => {
    if (c.state !== 'compared') return [];
    const decisive = c.decidedBy === 'per-candidate' && c.perCandidate ? c.perCandidate : c.time;
    return [{ name: caseName(c), verdict: c.verdict, unstable: c.unstable, estimate: decisive.ratio.estimate, low: decisive.ratio.low, high: decisive.ratio.high }];
  });
  return { kind, pair, gating: cases.filter((c) => c.verdict === 'regressed' && !c.unstable).map((c) => c.name), cases };
}

function keyscope(args: string[], env: NodeJS.ProcessEnv): string {
  // compare exits 1 on a regression: that is a result here, not a failure.
  try {
    return execFileSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    if (failed.status === 1 && failed.stdout) return failed.stdout;
    throw new Error(`keyscope ${args.join(' ')} failed (${String(failed.status)}): ${failed.stderr ?? ''}`);
  }
}

function measure(pairs: number, out: string): PairResult[] {
  const store = values.store ?? mkdtempSync(join(tmpdir(), 'keyscope-validity-'));
  mkdirSync(store, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, KEYSCOPE_DB: join(store, 'runs.duckdb'), KEYSCOPE_HOME: store };
  delete env.KEYSCOPE_BENCH_HANDICAP;
  const bench = (label: string, handicap: string | null) => {
    const started = performance.now();
    const args = ['bench', ...values.suites.split(/\s+/), ...(values.full ? [] : ['--quick']), '--quiet', '--label', label];
    keyscope(args, handicap === null ? env : { ...env, KEYSCOPE_BENCH_HANDICAP: handicap });
    process.stderr.write(`${label} measured in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  };
  const compare = (kind: PairResult['kind'], pair: number, baseline: string, candidate: string) => {
    const comparison = JSON.parse(keyscope(['compare', baseline, candidate, '--format', 'json', '--threshold', values.threshold], env)) as RunComparison;
    const result = reduce(kind, pair, comparison);
    appendFileSync(out, `${JSON.stringify(result)}\n`);
    process.stderr.write(`${kind} ${pair}: ${result.gating.length === 0 ? 'no case gates' : `gates on ${result.gating.join(', ')}`}\n`);
    return result;
  };
  const results: PairResult[] = [];
  const measuring = !values['compare-only'];
  try {
    if (measuring) bench('a1', null);
    for (let i = 1; i <= pairs; i++) {
      if (measuring) bench(`b${i}`, values.handicap);
      results.push(compare('ab', i, `a${i}`, `b${i}`));
      if (measuring) bench(`a${i + 1}`, null);
      results.push(compare('aa', i, `a${i}`, `a${i + 1}`));
    }
  } finally {
    if (values.store === undefined) rmSync(store, { recursive: true, force: true });
  }
  return results;
}

/** A session as JSON (typed arrays as arrays) and back. */
function saveSession(path: string, session: InterleavedSession): void {
  writeFileSync(path, JSON.stringify(session, (_key, value: unknown) => (value instanceof Float64Array ? Array.from(value) : value)));
}

function loadSession(path: string): InterleavedSession {
  const session = JSON.parse(readFileSync(path, 'utf8'), (key, value: unknown) => (['ns', 'cycles', 'candidates'].includes(key) && Array.isArray(value) ? Float64Array.from(value as number[]) : value)) as InterleavedSession;
  // Sessions saved before forks ran one process a build.
  return { ...session, forks: session.forks ?? 1 };
}

/** Interleaved mode (see the header): A/B and A/A sessions of this checkout against itself. */
async function measureInterleaved(pairs: number, out: string): Promise<PairResult[]> {
  const store = values.store ?? mkdtempSync(join(tmpdir(), 'keyscope-validity-ab-'));
  mkdirSync(store, { recursive: true });
  const honest: NodeJS.ProcessEnv = { ...process.env, KEYSCOPE_HOME: store };
  delete honest.KEYSCOPE_BENCH_HANDICAP;
  const settings = { threshold: Number.parseFloat(values.threshold) / 100, confidence: 0.99, strict: false };
  const judge = (kind: PairResult['kind'], pair: number, session: InterleavedSession) => {
    const result = reduce(kind, pair, judgeSession(session, settings));
    appendFileSync(out, `${JSON.stringify(result)}\n`);
    process.stderr.write(`${kind} ${pair}: ${result.gating.length === 0 ? 'no case gates' : `gates on ${result.gating.join(', ')}`}\n`);
    return result;
  };
  const results: PairResult[] = [];
  if (values['compare-only']) {
    for (const file of readdirSync(store).filter((f) => /^session-(aa|ab)\d+\.json$/.test(f)).sort()) {
      const [, kind, pair] = /^session-(aa|ab)(\d+)/.exec(file)!;
      results.push(judge(kind as PairResult['kind'], Number(pair), loadSession(join(store, file))));
    }
    return results;
  }
  const suites = values.suites.split(/\s+/);
  for (let i = 1; i <= pairs; i++) {
    for (const kind of ['ab', 'aa'] as const) {
      const started = performance.now();
      const candidate = kind === 'ab' ? { ...honest, KEYSCOPE_BENCH_HANDICAP: values.handicap } : honest;
      const session = await runInterleaved({ dir: thisBuild, env: honest }, { dir: thisBuild, env: candidate }, { patterns: suites, quick: !values.full, cpus: [0, 1], forks: Number(values.forks) });
      saveSession(join(store, `session-${kind}${i}.json`), session);
      process.stderr.write(`${kind} ${i} measured in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
      results.push(judge(kind, i, session));
    }
  }
  return results;
}

function rate(k: number, n: number): string {
  if (n === 0) return '-';
  const { low, high } = clopperPearson(k, n, 0.95);
  return `${k}/${n} = ${((100 * k) / n).toFixed(0)}% (95% CI ${(100 * low).toFixed(1)}–${(100 * high).toFixed(1)}%)`;
}

function percent(ratio: number): string {
  return `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;
}

function summarize(results: PairResult[]): string {
  const aa = results.filter((r) => r.kind === 'aa');
  const ab = results.filter((r) => r.kind === 'ab');
  const lines = [`A/A whole-run false positives (any case gates): ${rate(aa.filter((r) => r.gating.length > 0).length, aa.length)}`, ''];
  const names = [...new Set(results.flatMap((r) => r.cases.map((c) => c.name)))];
  lines.push('| case | A/A gated | A/A unstable | A/A median \\|change\\| | A/B called regressed (power) | A/B unstable | A/B median change |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const name of names) {
    const of = (set: PairResult[]) => set.flatMap((r) => r.cases.filter((c) => c.name === name));
    const a = of(aa);
    const b = of(ab);
    const medianOf = (xs: number[]) => (xs.length === 0 ? Number.NaN : quantileSorted(sortedCopy(xs), 0.5));
    const aaChange = medianOf(a.map((c) => Math.abs(Math.log(c.estimate))));
    lines.push(
      `| ${name} | ${a.filter((c) => c.verdict === 'regressed' && !c.unstable).length}/${a.length} | ${a.filter((c) => c.unstable).length}/${a.length} | ${(100 * Math.expm1(aaChange)).toFixed(1)}% | ${rate(b.filter((c) => c.verdict === 'regressed' && !c.unstable).length, b.length)} | ${b.filter((c) => c.unstable).length}/${b.length} | ${percent(medianOf(b.map((c) => c.estimate)))} |`,
    );
  }
  return lines.join('\n');
}

/** History mode: each run against the honest runs before it (see the header). */
async function judgeHistories(out: string): Promise<PairResult[]> {
  if (values.store === undefined) throw new Error('--history judges the runs of --store DIR');
  const lookback = Number(values.lookback);
  const store = await openStore(join(values.store, 'runs.duckdb'));
  try {
    const all = (await store.findRunOverviews({ status: 'complete' })).reverse();
    const honest = (run: RunOverview) => /^a\d+$/.test(run.label ?? '');
    const results: PairResult[] = [];
    let pair = 0;
    for (const [index, run] of all.entries()) {
      const past = all.slice(0, index).filter(honest).reverse().slice(0, lookback);
      if (past.length < 5 || !/^[ab]\d+$/.test(run.label ?? '')) continue;
      const candidate = (await store.getRun(run.id, { cycles: false }))!;
      const newest = (await store.getRun(past[0]!.id, { cycles: false }))!;
      const comparison = compareWithHistory(
        { run: candidate, reference: referenceOf({ run: candidate, source: 'store' }) },
        { branch: 'validity', testbed: past[0]!.testbed, lookback, runs: past, newest: { run: newest, reference: referenceOf({ run: newest, source: 'store' }) } },
        { threshold: values.threshold as `${number}%`, confidence: 0.99 },
      );
      const result = reduce(honest(run) ? 'aa' : 'ab', ++pair, comparison);
      appendFileSync(out, `${JSON.stringify(result)}\n`);
      process.stderr.write(`${run.label} against ${past.length} honest runs before it: ${result.gating.length === 0 ? 'no case gates' : `gates on ${result.gating.join(', ')}`}\n`);
      results.push(result);
    }
    return results;
  } finally {
    await store.close();
  }
}

if (values.interleaved) {
  const out = values.out ?? join(tmpdir(), `keyscope-validity-ab-${Date.now()}.jsonl`);
  process.stderr.write(`validity (interleaved): ${values.pairs} A/B and A/A sessions (handicap ${values.handicap}, threshold ${values.threshold}); results appended to ${out}\n`);
  console.log(summarize(await measureInterleaved(Number(values.pairs), out)));
} else if (values.history) {
  const out = values.out ?? join(tmpdir(), `keyscope-validity-history-${Date.now()}.jsonl`);
  console.log(summarize(await judgeHistories(out)));
} else if (values.summarize) {
  const results = readFileSync(values.summarize, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as PairResult);
  console.log(summarize(results));
} else {
  const pairs = Number(values.pairs);
  if (!Number.isInteger(pairs) || pairs < 1) throw new Error(`--pairs wants a whole number from 1, got ${values.pairs}`);
  const out = values.out ?? join(tmpdir(), `keyscope-validity-${Date.now()}.jsonl`);
  process.stderr.write(`validity: ${pairs} A/A and ${pairs} A/B pairs (handicap ${values.handicap}), ${values.full ? 'full' : 'quick'} runs of ${values.suites}; results appended to ${out}\n`);
  console.log(summarize(measure(pairs, out)));
}
