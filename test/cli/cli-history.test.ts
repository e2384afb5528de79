/**
 * `keyscope history` through the real CLI: main has three runs on testbed ci-large, then 33 on the fixtures'
 * testbed (its newest run's, so the default), and a feature branch one run of its own. Expected thresholds are
 * worked out here from the medians the runs were built around. One store serves every test, and no command may
 * change it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import type { CaseHistory } from '../../src/compare/case-history.js';
import { historyLimit } from '../../src/compare/statistics/index.js';
import { formatNs } from '../../src/model/index.js';
import type { RunRecord } from '../../src/model/types.js';
import { runCli } from '../support/cli.js';
import { commitOf, ecP256, ed25519, historyTestbed, lognormalMedians, pastRuns, runOf, noCiEnv, saveRunsTo, storeFingerprint } from '../support/history-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-history-'));
const db = join(dir, 'store.duckdb');
const T = historyTestbed;

const edMedians = lognormalMedians(41, 36, 20_000, 0.02);
const ecMedians = lognormalMedians(42, 36, 50_000, 0.03);
// Days 1..36 of March (and early April) 2025; the first three measured on another testbed.
const main = pastRuns([
  { spec: { key: ed25519 }, medians: edMedians },
  { spec: { key: ecP256 }, medians: ecMedians },
]).map((run, index): RunRecord => (index < 3 ? { ...run, testbed: 'ci-large' } : run));
const feature = runOf({ day: 37, cases: [{ key: ed25519, median: 40_000 }], branch: 'feature' });
/** The newest 30 runs of main on T: days 7..36. */
const window = { runs: main.slice(6), ed: edMedians.slice(6), ec: ecMedians.slice(6) };

const fingerprint = () => storeFingerprint(db);
let before: ReturnType<typeof fingerprint>;

beforeAll(async () => {
  before = await saveRunsTo(db, [...main, feature]);
});

// No CI variables, and a directory outside any git checkout, so nothing but --branch names a branch.
const env = noCiEnv;
const history = (...args: string[]) => runCli(['history', ...args, '--db', db], { env, cwd: dir });

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
function heading(label: string, medians: readonly number[], confidence = 0.99): string {
  const taught = historyLimit(medians, confidence);
  return `${label}: typical ${formatNs(Math.exp(taught.mean))}, run-to-run spread ${percent(Math.expm1(taught.deviation))}; a run of unchanged code stays within ±${percent(Math.expm1(taught.halfWidth))} (${percent(confidence)}, one case)`;
}
const edLabel = 'keygen/ed25519 keyscope-native ed25519';
const ecLabel = 'keygen/ec-p256 node:crypto ec-p256';
/** The rows under one case's heading: one per run, each starting with its start time. */
function rowsUnder(stdout: string, label: string): string[] {
  const sections = stdout.split('\n\n');
  const section = sections.find((s) => s.startsWith(`${label}:`));
  if (!section) throw new Error(`no section for ${label} in:\n${stdout}`);
  return section.split('\n').filter((line) => /^ {2}\d{4}-/.test(line));
}

describe('keyscope history', () => {
  it("lists the branch's newest 30 runs on the testbed of its newest run, each case with the threshold it teaches", async () => {
    const result = await history('--branch', 'main');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`history of main on testbed ${T}: 30 runs (newest 30 at most), 2025-03-07 to 2025-04-05; also on testbed ci-large (3 runs)`);
    expect(lines).toContain(heading(edLabel, window.ed));
    expect(lines).toContain(heading(ecLabel, window.ec));
    // ed25519 first, as the newest run has them.
    expect(result.stdout.indexOf(`${edLabel}:`)).toBeLessThan(result.stdout.indexOf(`${ecLabel}:`));
    const rows = rowsUnder(result.stdout, edLabel);
    expect(rows).toHaveLength(30);
    // Oldest first: day 7 to day 36, each with its commit and its median.
    expect(rows[0]).toMatch(new RegExp(`^ {2}2025-03-07T02:00:00Z {2}00000000 {2}${commitOf(7).slice(0, 10)} +${formatNs(window.ed[0]!)} +${formatNs(window.ed[0]!)} +`));
    expect(rows[29]).toMatch(new RegExp(`^ {2}2025-04-05T02:00:00Z {2}00000000 {2}${commitOf(36).slice(0, 10)} +${formatNs(window.ed[29]!)} +${formatNs(window.ed[29]!)} +`));
    expect(result.stdout).not.toMatch(/2025-03-0[1-6]T/);
    expect(result.stdout).not.toMatch(/2025-04-06T/); // feature's run
  });

  it('takes the branch from the CI when --branch is not given', async () => {
    const result = await runCli(['history', '--limit', '5', '--db', db], { env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: 'main' }, cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`history of main on testbed ${T}: 5 runs (newest 5 at most), 2025-04-01 to 2025-04-05; also on testbed ci-large (3 runs)`);
  });

  it('shows another testbed with --testbed, saying a case with fewer than five runs teaches no threshold', async () => {
    const result = await history('--branch', 'main', '--testbed', 'ci-large');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`history of main on testbed ci-large: 3 runs (newest 30 at most), 2025-03-01 to 2025-03-03; also on testbed ${T} (33 runs)`);
    expect(lines).toContain(`${edLabel}: 3 runs, too few to learn a threshold from (5 needed)`);
    expect(rowsUnder(result.stdout, ecLabel).map((row) => row.slice(2, 12))).toEqual(['2025-03-01', '2025-03-02', '2025-03-03']);
  });

  it('shows only the newest runs --limit allows', async () => {
    const result = await history('--branch', 'main', '--limit', '3');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`history of main on testbed ${T}: 3 runs (newest 3 at most), 2025-04-03 to 2025-04-05; also on testbed ci-large (3 runs)`);
    expect(rowsUnder(result.stdout, edLabel).map((row) => row.slice(2, 12))).toEqual(['2025-04-03', '2025-04-04', '2025-04-05']);
    expect(result.stdout).toContain(`${ecLabel}: 3 runs, too few to learn a threshold from (5 needed)`);
  });

  it('shows only the cases whose name contains a filter, in any case', async () => {
    const one = await history('NODE:CRYPTO', '--branch', 'main');
    expect(one.status).toBe(0);
    expect(one.stdout).toContain(`\n\n${heading(ecLabel, window.ec)}\n`);
    expect(one.stdout).not.toContain(edLabel);
    const both = await history('ec-p256', 'ed25519', '--branch', 'main', '--json');
    expect((JSON.parse(both.stdout) as { cases: CaseHistory[] }).cases.map((c) => c.label)).toEqual([edLabel, ecLabel]);
  });

  it("prints JSON: each case's series, oldest first, and the limit it teaches at the confidence asked", async () => {
    const result = await history('--branch', 'main', '--json');
    expect(result.status).toBe(0);
    const parsed = JSON.parse(result.stdout) as { branch: string; testbed: string; runs: number; limit: number; confidence: number; cases: CaseHistory[] };
    expect({ ...parsed, cases: parsed.cases.length }).toEqual({ branch: 'main', testbed: T, runs: 30, limit: 30, confidence: 0.99, cases: 2 });
    const [ed, ec] = parsed.cases;
    expect(ed!.key).toEqual(ed25519);
    expect(ed!.points.map((p) => p.runId)).toEqual(window.runs.map((run) => run.id));
    expect(ed!.points.map((p) => p.commit)).toEqual(window.runs.map((run) => run.git!.commit));
    ed!.points.forEach((p, i) => expect(p.location).toBeCloseTo(window.ed[i]!, 6));
    const taught = historyLimit(window.ed, 0.99);
    expect(ed!.limit!.confidence).toBe(0.99);
    expect(ed!.limit!.typical).toBeCloseTo(Math.exp(taught.mean), 6);
    expect(ed!.limit!.spread).toBeCloseTo(taught.deviation, 10);
    expect(ed!.limit!.threshold).toBeCloseTo(Math.expm1(taught.halfWidth), 10);
    expect(ec!.limit!.threshold).toBeCloseTo(Math.expm1(historyLimit(window.ec, 0.99).halfWidth), 10);

    const wider = JSON.parse((await history('ec-p256', '--branch', 'main', '--json', '--confidence', '95%')).stdout) as { confidence: number; cases: CaseHistory[] };
    expect(wider.confidence).toBe(0.95);
    expect(wider.cases[0]!.limit!.threshold).toBeCloseTo(Math.expm1(historyLimit(window.ec, 0.95).halfWidth), 10);
    expect(wider.cases[0]!.limit!.threshold).toBeLessThan(ec!.limit!.threshold);
  });

  const usageErrors: [string[], string][] = [
    [[], 'KS_USAGE: this directory is on no git branch: say which branch with --branch NAME'],
    [['--branch', 'main', '--limit', '0'], 'KS_USAGE: --limit must be a whole number of runs from 1 to 10000, got "0"'],
    [['--branch', 'main', '--limit', 'ten'], 'KS_USAGE: --limit must be a whole number of runs from 1 to 10000, got "ten"'],
    [['--branch', 'main', '--confidence', '30%'], 'KS_USAGE: --confidence must be above 50% below 100% (a percentage like 5% or a fraction like 0.05); got "30%"'],
  ];
  const noHistory: [string[], string][] = [
    [['--branch', 'nonesuch'], `KS_NO_HISTORY: no complete run of branch nonesuch in ${db}`],
    [['--branch', 'main', '--testbed', 'ci-small'], `KS_NO_HISTORY: branch main has no complete run on testbed ci-small in ${db}`],
    [['x448', '--branch', 'main'], `KS_NO_HISTORY: no case matching "x448" in the history of main on testbed ${T} in ${db}; its cases include ${edLabel}, ${ecLabel}`],
  ];
  const statuses = new Map<string, number>();

  it('refuses a bad input with one coded line on stderr and nothing on stdout, a usage error with exit 2', async () => {
    for (const [args, message] of [...usageErrors, ...noHistory]) {
      const result = await history(...args);
      statuses.set(args.join(' '), result.status);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr, args.join(' ')).toBe(`keyscope: error ${message}\n`);
      expect(result.status, args.join(' ')).not.toBe(0);
    }
    for (const [args] of usageErrors) expect(statuses.get(args.join(' ')), args.join(' ')).toBe(2);
  });

  it('exits 2, as for any data error, when the branch, testbed or case has no history', () => {
    expect(statuses.size).toBe(usageErrors.length + noHistory.length);
    for (const [args] of noHistory) expect(statuses.get(args.join(' ')), args.join(' ')).toBe(2);
  });

  it('leaves the store as it found it, byte for byte', () => {
    expect(fingerprint()).toEqual(before);
  });
});
