/**
 * `keyscope compare --baseline-branch B` and `--baseline NAME` through the real CLI: a candidate judged against
 * eight past runs of main on its testbed (one case steady, one noisy enough to teach a threshold of its own), a
 * branch with too few runs, branches with no runs here, and named baselines on this and another testbed. One
 * store serves every test, and no command may change it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { historyLimit } from '../../src/compare/statistics/index.js';
import type { CaseComparison, RunComparison } from '../../src/compare/types.js';
import type { RunRecord } from '../../src/model/types.js';
import { runCli } from '../support/cli.js';
import { type CaseSpec, commitOf, ecP256, ed25519, historyTestbed, lognormalMedians, pastRuns, runOf, noCiEnv, saveRunsTo, storeFingerprint } from '../support/history-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-compare-history-'));
const db = join(dir, 'store.duckdb');

const typicalEd = 20_000;
const typicalEc = 50_000;
// ed25519 steady (its history teaches less than 5%), ec-p256 noisy (it teaches more).
const edMedians = lognormalMedians(31, 8, typicalEd, 0.005);
const ecMedians = lognormalMedians(32, 8, typicalEc, 0.025);
const main = pastRuns([
  { spec: { key: ed25519 }, medians: edMedians },
  { spec: { key: ecP256 }, medians: ecMedians },
]); // days 1..8 of March 2025, branch main, on historyTestbed

const cases = (ed: number, ec: number): CaseSpec[] => [{ key: ed25519, median: ed }, { key: ecP256, median: ec }];
const on = (run: RunRecord, testbed: string): RunRecord => ({ ...run, testbed });

const short = [9, 10, 11].map((day) => runOf({ day, cases: cases(typicalEd, typicalEc), branch: 'short' }));
const elsewhere = ([[12, 'ci-large'], [13, 'ci-large'], [14, 'ci-small']] as const).map(([day, testbed]) => on(runOf({ day, cases: cases(typicalEd, typicalEc), branch: 'elsewhere' }), testbed));
const golden = runOf({ day: 15, cases: cases(typicalEd, typicalEc), branch: 'release', label: 'golden' });
const remote = on(runOf({ day: 16, cases: cases(typicalEd, typicalEc), branch: 'release', label: 'remote' }), 'ci-large');
// Newer than `golden` and of the same name, but on another testbed: --baseline golden must not take it.
const goldenElsewhere = on(runOf({ day: 17, cases: cases(typicalEd, typicalEc), branch: 'release', label: 'golden' }), 'ci-large');
const prSlow = runOf({ day: 20, cases: cases(typicalEd, typicalEc * 1.3), branch: 'feature', label: 'pr-slow' });
const prLike = runOf({ day: 21, cases: cases(typicalEd, typicalEc), branch: 'feature', label: 'pr-like' }); // the newest run

const all = [...main, ...short, ...elsewhere, golden, remote, goldenElsewhere, prSlow, prLike];
const T = historyTestbed;
// The fixtures' run ids all start 00000000: a run is told by its branch, commit and start as runLabel prints them.
const shown = (run: RunRecord) => `${run.id.slice(0, 8)}  ${run.label ? `label ${run.label}  ` : ''}${run.git!.branch}@${run.git!.commit.slice(0, 10)}  ${run.startedAt}`;
const fingerprint = () => storeFingerprint(db);
let before: ReturnType<typeof fingerprint>;

beforeAll(async () => {
  before = await saveRunsTo(db, all);
});

// No CI variables, and a directory outside any git checkout, so nothing but the options names a branch.
const env = noCiEnv;
const compare = (...args: string[]) => runCli(['compare', ...args, '--db', db], { env, cwd: dir });
const compareJson = async (...args: string[]) => {
  const result = await compare(...args, '--format', 'json');
  return { status: result.status, stderr: result.stderr, comparison: JSON.parse(result.stdout) as RunComparison };
};
const caseOf = (comparison: RunComparison, name: string) => {
  const found = comparison.cases.find((c) => c.key.case === name);
  if (found?.state !== 'compared') throw new Error(`${name} was not compared: ${JSON.stringify(found)}`);
  return found as Extract<CaseComparison, { state: 'compared' }>;
};
const geometricMean = (values: readonly number[]) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);

describe('keyscope compare --baseline-branch', () => {
  it('judges the newest run against the eight past runs of main on its testbed, saying so, and exits 0 when it is like them', async () => {
    const result = await compare('--baseline-branch', 'main');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      `judged against the history of main on testbed ${T}: 8 past runs (at most 30), 2025-03-01 to 2025-03-08, commits ${commitOf(1).slice(0, 10)}..${commitOf(8).slice(0, 10)}; ` +
        "each case's threshold is the change its history says a run of unchanged code stays within, or 5% (--threshold) where that is larger",
    );
    expect(result.stdout).toContain(`\nbaseline   newest past run ${shown(main[7]!)}\ncandidate  ${shown(prLike)}\n`);
    // The steady case is held to --threshold; the noisy one to the larger threshold its history taught.
    expect(result.stdout).toMatch(new RegExp(`keygen/ed25519 keyscope-native ed25519 .* unchanged +\\(history: 8 runs of main on testbed ${T}, threshold 5% \\(--threshold; the history taught [1-4](\\.\\d+)?%\\)\\)`));
    expect(result.stdout).toMatch(new RegExp(`keygen/ec-p256 node:crypto ec-p256 .* unchanged +\\(history: 8 runs of main on testbed ${T}, threshold (\\d+(\\.\\d+)?)% \\(learned\\)\\)`));
    expect(result.stdout).toMatch(/\n0 regressed, 0 improved, 2 unchanged, 0 inconclusive\n$/);
  });

  it('reports in JSON what it judged against, and each case the history it learned from', async () => {
    const { status, comparison } = await compareJson('pr-like', '--baseline-branch', 'main');
    expect(status).toBe(0);
    expect(comparison.against).toEqual({
      kind: 'history', branch: 'main', testbed: T, runs: 8, lookback: 30,
      oldest: { startedAt: main[0]!.startedAt, commit: commitOf(1) },
      newest: { startedAt: main[7]!.startedAt, commit: commitOf(8) },
    });
    expect(comparison.notices).toEqual([]);
    expect(comparison.baseline.id).toBe(main[7]!.id);
    expect(comparison.candidate.id).toBe(prLike.id);
    // Two cases share the run's 99%.
    expect(comparison.caseConfidence).toBeCloseTo(0.995, 12);
    const ed = caseOf(comparison, 'ed25519');
    const ec = caseOf(comparison, 'ec-p256');
    expect(ed.time.method).toBe('history');
    expect(ed.time.history).toMatchObject({ runs: 8, thresholdSource: 'setting', threshold: 0.05 });
    expect(ed.time.history!.mean).toBeCloseTo(geometricMean(edMedians), 6);
    expect(ed.time.history!.learnedThreshold).toBeCloseTo(Math.expm1(historyLimit(edMedians, 0.995).halfWidth), 10);
    expect(ec.time.history).toMatchObject({ runs: 8, thresholdSource: 'history' });
    expect(ec.time.history!.threshold).toBeCloseTo(Math.expm1(historyLimit(ecMedians, 0.995).halfWidth), 10);
    expect(ec.time.history!.threshold).toBeGreaterThan(0.05);
    expect([ed.verdict, ec.verdict]).toEqual(['unchanged', 'unchanged']);
  });

  it('exits 1 and names the case when a candidate is 30% slower than the history in it', async () => {
    const result = await compare('pr-slow', '--baseline-branch', 'main');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/keygen\/ec-p256 node:crypto ec-p256 .* regressed +\(history: 8 runs of main/);
    expect(result.stdout).toMatch(/keygen\/ed25519 keyscope-native ed25519 .* unchanged +\(history: 8 runs of main/);
    expect(result.stdout).toMatch(/\n1 regressed, 0 improved, 1 unchanged, 0 inconclusive\n$/);
  });

  it('learns from only the newest runs --lookback allows', async () => {
    const { status, comparison } = await compareJson('pr-like', '--baseline-branch', 'main', '--lookback', '5');
    expect(status).toBe(0);
    expect(comparison.against).toMatchObject({ kind: 'history', runs: 5, lookback: 5, oldest: { startedAt: main[3]!.startedAt }, newest: { startedAt: main[7]!.startedAt } });
    expect(caseOf(comparison, 'ed25519').time.history!.runs).toBe(5);
    expect(caseOf(comparison, 'ec-p256').time.history!.mean).toBeCloseTo(geometricMean(ecMedians.slice(3)), 6);
  });

  it('judges against the newest past run alone by the per-run model when the branch has fewer than five, and says so', async () => {
    const notice = `NOTE: history: only 3 past runs of short on testbed ${T} (5 needed to learn a threshold): judged against the newest of them by the per-run model`;
    const like = await compare('pr-like', '--baseline-branch', 'short');
    expect(like.stderr).toBe('');
    expect(like.status).toBe(0);
    expect(like.stdout).toContain(`\njudged against one run (baseline below) at threshold 5% (--threshold)\n${notice}\n`);
    expect(like.stdout).toContain(`\nbaseline   ${shown(short[2]!)}\ncandidate  ${shown(prLike)}\n`);
    const slow = await compareJson('pr-slow', '--baseline-branch', 'short');
    expect(slow.status).toBe(1);
    expect(slow.comparison.against).toEqual({ kind: 'run' });
    expect(slow.comparison.notices[0]).toBe(notice.slice('NOTE: '.length));
    expect(slow.comparison.baseline.id).toBe(short[2]!.id);
    expect(caseOf(slow.comparison, 'ec-p256')).toMatchObject({ verdict: 'regressed', time: { history: null } });
    expect(caseOf(slow.comparison, 'ed25519').verdict).toBe('unchanged');
  });

  it('refuses a branch with no run before the candidate on its testbed (KS_NO_HISTORY, exit 2), naming the testbeds it has', async () => {
    const cases: [string[], string][] = [
      [['pr-like', '--baseline-branch', 'nonesuch'], `keyscope: error KS_NO_HISTORY: no complete run of branch nonesuch before the candidate in ${db}: run "keyscope bench" on nonesuch first`],
      // main's oldest run has nothing before it.
      [[main[0]!.id, '--baseline-branch', 'main'], `keyscope: error KS_NO_HISTORY: no complete run of branch main before the candidate in ${db}`],
      [['pr-like', '--baseline-branch', 'elsewhere'], `keyscope: error KS_NO_HISTORY: branch elsewhere has no run on testbed ${T} (the candidate's) before it in ${db}; its runs are on testbeds ci-large (2 runs), ci-small (1 run)`],
    ];
    for (const [args, message] of cases) {
      const result = await compare(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr.startsWith(message), `${args.join(' ')}: ${result.stderr}`).toBe(true);
    }
  });

  it('with --allow-no-history, passes a candidate that has no history to be judged by, saying it was not judged', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'keyscope-summary-')), 'summary.md');
    writeFileSync(summary, '');
    const github = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary };
    const reason = `no history of nonesuch on testbed ${T} in ${db} yet: run ${prLike.id.slice(0, 8)} was not judged, and passes (--allow-no-history)`;
    const text = await runCli(['compare', 'pr-like', '--baseline-branch', 'nonesuch', '--allow-no-history', '--db', db], { env: { ...env, ...github }, cwd: dir });
    expect(text.status).toBe(0);
    expect(text.stdout).toBe(`keyscope compare: not judged: ${reason}\n`);
    expect(text.stderr).toBe(`::notice title=keyscope%3A not judged::${reason}\n`);
    expect(readFileSync(summary, 'utf8')).toBe(`### keyscope: not judged\n\n${reason}\n`);

    const json = await compare('pr-like', '--baseline-branch', 'elsewhere', '--allow-no-history', '--format', 'json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ judged: false, reason: `no history of elsewhere on testbed ${T} in ${db} yet: run ${prLike.id.slice(0, 8)} was not judged, and passes (--allow-no-history)` });
    // Only a missing history passes: a history that exists still judges, and other errors still fail.
    expect((await compare('pr-slow', '--baseline-branch', 'main', '--allow-no-history')).status).toBe(1);
    expect((await compare('no-such-run', '--baseline-branch', 'main', '--allow-no-history')).status).toBe(2);
  });

  it('refuses options that do not go together (KS_USAGE, exit 2)', async () => {
    const cases: [string[], string][] = [
      [['--lookback', '5'], '--lookback needs --baseline-branch'],
      [['--cross-testbed'], '--cross-testbed needs --baseline NAME'],
      [['--baseline-branch', 'main', '--cross-testbed'], '--cross-testbed needs --baseline NAME'],
      [['pr-slow', 'pr-like', '--baseline-branch', 'main'], 'with --baseline-branch name only the candidate run, got two runs ("pr-slow", "pr-like")'],
      [['pr-slow', 'pr-like', '--baseline', 'golden'], 'with --baseline name only the candidate run, got two runs ("pr-slow", "pr-like")'],
      [['--baseline-branch', 'main', '--baseline', 'golden'], '--baseline-branch and --baseline both name the baseline: give one of them'],
      [['--baseline-branch', 'main', '--lookback', '0'], '--lookback must be a whole number of runs from 5 (the fewest a threshold is learned from) to 10000, got "0"'],
      [['--baseline-branch', 'main', '--lookback', '4'], '--lookback must be a whole number of runs from 5 (the fewest a threshold is learned from) to 10000, got "4"'],
      [['--lookback', 'abc'], '--lookback needs --baseline-branch'],
      [['--allow-no-history'], '--allow-no-history needs --baseline-branch'],
      [['--baseline', 'golden', '--allow-no-history'], '--allow-no-history needs --baseline-branch'],
    ];
    for (const [args, message] of cases) {
      const result = await compare(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`keyscope: error KS_USAGE: ${message}\n`);
    }
  });
});

describe('keyscope compare --baseline', () => {
  it("uses the run saved under that name on the candidate's testbed, even when a newer one is elsewhere", async () => {
    const result = await compare('--baseline', 'golden');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^judged against one run \(baseline below\) at threshold 5% \(--threshold\)$/m);
    expect(result.stdout).toContain(`\nbaseline   ${shown(golden)}\ncandidate  ${shown(prLike)}\n`);
    expect(result.stdout).not.toMatch(/NOTE:/);
    const slow = await compare('pr-slow', '--baseline', 'golden');
    expect(slow.status).toBe(1);
    expect(slow.stdout).toMatch(/keygen\/ec-p256 node:crypto ec-p256 .* regressed/);
  });

  it('refuses a baseline measured only on another testbed (KS_BASELINE_TESTBED, exit 2)', async () => {
    const result = await compare('--baseline', 'remote');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `keyscope: error KS_BASELINE_TESTBED: baseline "remote" was measured on testbed ci-large (1 run), not on ${T} (the candidate's); compare across testbeds with --cross-testbed\n`,
    );
  });

  it('compares across testbeds with --cross-testbed, and says the testbeds differ', async () => {
    const { status, stderr, comparison } = await compareJson('--baseline', 'remote', '--cross-testbed');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(comparison.baseline.id).toBe(remote.id);
    expect(comparison.candidate.id).toBe(prLike.id);
    expect(comparison.notices).toEqual([`baseline "remote" is from testbed ci-large, the candidate from ${T}: compared across testbeds, as asked (--cross-testbed)`]);
    const text = await compare('--baseline', 'remote', '--cross-testbed');
    expect(text.stdout).toContain(`\nNOTE: baseline "remote" is from testbed ci-large, the candidate from ${T}: compared across testbeds, as asked (--cross-testbed)\n`);
  });

  it('refuses a name no run has (KS_RUN_NOT_FOUND, exit 2)', async () => {
    const result = await compare('--baseline', 'nonesuch');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`keyscope: error KS_RUN_NOT_FOUND: no baseline named "nonesuch" in ${db}: save one with "keyscope bench --save-baseline nonesuch"\n`);
  });
});

describe('keyscope compare against a branch or a name', () => {
  it('leaves the store as it found it, byte for byte', () => {
    expect(fingerprint()).toEqual(before);
  });
});
