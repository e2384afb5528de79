/**
 * `keyscope changes` through the real CLI: main has 20 runs on the fixtures' testbed, ed25519 flat throughout,
 * ec-p256 30% slower from run 11 on, and RSA 20% slower per prime candidate from run 11 on while its time per
 * key carries the luck of the prime search. Expected steps are worked out here from the medians the runs were
 * built around. One store serves every test, and no command may change it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import type { CaseChanges } from '../../src/compare/case-changes.js';
import { formatNs } from '../../src/model/index.js';
import { median } from '../../src/stats/index.js';
import { runCli } from '../support/cli.js';
import { commitOf, ecP256, ed25519, historyTestbed, lognormalMedians, pastRuns, rsa2048, noCiEnv, saveRunsTo, storeFingerprint } from '../support/history-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-changes-'));
const db = join(dir, 'store.duckdb');
const T = historyTestbed;

const edMedians = lognormalMedians(51, 20, 20_000, 0.02);
const ecMedians = lognormalMedians(52, 20, 50_000, 0.03).map((m, i) => (i >= 10 ? m * 1.3 : m));
const rsaPerCandidate = lognormalMedians(53, 20, 100_000, 0.02).map((m, i) => (i >= 10 ? m * 1.2 : m));
// Days 1..20 of March 2025 on T; run d's commit is commitOf(d).
const main = pastRuns([
  { spec: { key: ed25519 }, medians: edMedians },
  { spec: { key: ecP256 }, medians: ecMedians },
  // RSA's time per key is candidates · per candidate, the candidates drawn at random: its median is ignored.
  { spec: { key: rsa2048 }, medians: edMedians.map(() => 0), perCandidate: rsaPerCandidate },
]);

/** The change's numbers as the medians of the runs either side of it give them, within runs from..20. */
function expectedStep(medians: readonly number[], from = 1) {
  const typicalBefore = median(medians.slice(from - 1, 10));
  const typicalAfter = median(medians.slice(10));
  return { typicalBefore, typicalAfter, step: typicalAfter / typicalBefore - 1 };
}
const signed = (fraction: number) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;

const fingerprint = () => storeFingerprint(db);
let before: ReturnType<typeof fingerprint>;

beforeAll(async () => {
  before = await saveRunsTo(db, main);
});

// No CI variables, and a directory outside any git checkout, so nothing but --branch names a branch.
const env = noCiEnv;
const changes = (...args: string[]) => runCli(['changes', ...args, '--db', db], { env, cwd: dir });

const edLabel = 'keygen/ed25519 keyscope-native ed25519';
const ecLabel = 'keygen/ec-p256 node:crypto ec-p256';
const rsaLabel = 'keygen/rsa-2048 keyscope-native rsa-2048';
/** The line keyscope changes prints for a change between runs 10 and 11. */
function changeLine({ typicalBefore, typicalAfter, step }: ReturnType<typeof expectedStep>, pValue: string): string {
  return `  ${signed(step)}  ${formatNs(typicalBefore)} -> ${formatNs(typicalAfter)}  between ${commitOf(10).slice(0, 10)} (2025-03-10T02:00Z) and ${commitOf(11).slice(0, 10)} (2025-03-11T02:00Z)  p = ${pValue}`;
}

interface ChangesJson {
  branch: string;
  testbed: string;
  runs: number;
  limit: number;
  significance: number;
  method: string;
  cases: CaseChanges[];
}

describe('keyscope changes', () => {
  it('names the one step in ec-p256 by its size and the commits either side, and no change in the flat case', async () => {
    const result = await changes('--branch', 'main');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const ec = expectedStep(ecMedians);
    expect(signed(ec.step)).toMatch(/^\+3\d\.\d%$/);
    const rsa = expectedStep(rsaPerCandidate);
    expect(result.stdout).toBe(
      [
        `history of main on testbed ${T}: 20 runs (newest 100 at most), 2025-03-01 to 2025-03-20`,
        'change points by E-Divisive means, each kept at p <= 0.05 (199 permutations); 2 found',
        '',
        `${edLabel}: no change in 20 runs`,
        '',
        `${ecLabel}: 1 change in 20 runs`,
        changeLine(ec, '0.005'),
        '',
        `${rsaLabel}: 1 change in 20 runs, on time per prime candidate`,
        changeLine(rsa, '0.005'),
        '',
      ].join('\n'),
    );
  });

  it("prints JSON: the method, and each case's changes with their index, the runs either side, step and p-value", async () => {
    const result = await changes('--branch', 'main', '--json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const parsed = JSON.parse(result.stdout) as ChangesJson;
    expect({ ...parsed, cases: parsed.cases.map((c) => c.label) }).toEqual({
      branch: 'main', testbed: T, runs: 20, limit: 100, significance: 0.05, method: 'e-divisive-means', cases: [edLabel, ecLabel, rsaLabel],
    });
    const [ed, ec, rsa] = parsed.cases;
    expect(ed).toMatchObject({ key: ed25519, measure: 'time', runs: 20, changes: [] });
    expect(ec).toMatchObject({ key: ecP256, measure: 'time', runs: 20 });
    expect(rsa).toMatchObject({ key: rsa2048, measure: 'per-candidate', runs: 20 });
    for (const [found, medians] of [[ec!, ecMedians], [rsa!, rsaPerCandidate]] as const) {
      expect(found.changes).toHaveLength(1);
      const change = found.changes[0]!;
      const expected = expectedStep(medians);
      expect(change.index).toBe(10);
      expect(change.before).toEqual({ runId: main[9]!.id, startedAt: '2025-03-10T02:00:00.000Z', commit: commitOf(10) });
      expect(change.after).toEqual({ runId: main[10]!.id, startedAt: '2025-03-11T02:00:00.000Z', commit: commitOf(11) });
      expect(change.step).toBeCloseTo(expected.step, 6);
      expect(change.typicalBefore).toBeCloseTo(expected.typicalBefore, 3);
      expect(change.typicalAfter).toBeCloseTo(expected.typicalAfter, 3);
      expect(change.pValue).toBeLessThanOrEqual(0.05);
    }
  });

  it('shows only the cases whose name contains a filter', async () => {
    const result = await changes('NODE:CRYPTO', '--branch', 'main');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`\n\n${ecLabel}: 1 change in 20 runs\n`);
    expect(result.stdout).toContain('; 1 found\n');
    expect(result.stdout).not.toContain(edLabel);
    expect(result.stdout).not.toContain(rsaLabel);
  });

  it('looks only at the newest runs --limit allows, placing the step within them', async () => {
    const result = await changes('ec-p256', '--branch', 'main', '--limit', '14');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`history of main on testbed ${T}: 14 runs (newest 14 at most), 2025-03-07 to 2025-03-20`);
    expect(lines).toContain(`${ecLabel}: 1 change in 14 runs`);
    expect(lines).toContain(changeLine(expectedStep(ecMedians, 7), '0.005'));

    const parsed = JSON.parse((await changes('ec-p256', '--branch', 'main', '--limit', '14', '--json')).stdout) as ChangesJson;
    expect(parsed.runs).toBe(14);
    expect(parsed.cases[0]!.changes.map((c) => c.index)).toEqual([4]);
  });

  it('keeps only changes as significant as asked: at 0.5%, the smallest a permutation test of 199 can give', async () => {
    const result = await changes('--branch', 'main', '--significance', '0.5%', '--json');
    expect(result.status).toBe(0);
    const parsed = JSON.parse(result.stdout) as ChangesJson;
    expect(parsed.significance).toBeCloseTo(0.005, 12);
    for (const c of parsed.cases) for (const change of c.changes) expect(change.pValue).toBeLessThanOrEqual(0.005);
    expect(parsed.cases.find((c) => c.label === ecLabel)!.changes.map((c) => c.index)).toEqual([10]);
  });

  const failures: [string[], string][] = [
    [[], 'KS_USAGE: this directory is on no git branch: say which branch with --branch NAME'],
    [['--branch', 'main', '--significance', '60%'], 'KS_USAGE: --significance must be above 0% up to 50% (a percentage like 5% or a fraction like 0.05); got "60%"'],
    [['--branch', 'main', '--significance', 'abc'], 'KS_USAGE: --significance must be a percentage like 5% or a fraction like 0.05, above 0% up to 50%; got "abc"'],
    [['--branch', 'main', '--significance', '0.1%'], 'KS_USAGE: --significance must be at least 0.5%: 199 permutations give no p-value below 1/200; got "0.1%"'],
    [['--branch', 'main', '--limit', '0'], 'KS_USAGE: --limit must be a whole number of runs from 1 to 10000, got "0"'],
    [['--branch', 'nonesuch'], `KS_NO_HISTORY: no complete run of branch nonesuch in ${db}`],
    [['--branch', 'main', '--testbed', 'ci-small'], `KS_NO_HISTORY: branch main has no complete run on testbed ci-small in ${db}`],
    [['x448', '--branch', 'main'], `KS_NO_HISTORY: no case matching "x448" in the history of main on testbed ${T} in ${db}; its cases include ${edLabel}, ${ecLabel}, ${rsaLabel}`],
  ];

  it('refuses a bad input or a missing history with one coded line on stderr, nothing on stdout, and exit 2', async () => {
    for (const [args, message] of failures) {
      const result = await changes(...args);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr, args.join(' ')).toBe(`keyscope: error ${message}\n`);
      expect(result.status, args.join(' ')).toBe(2);
    }
  });

  it('leaves the store as it found it, byte for byte', () => {
    expect(fingerprint()).toEqual(before);
  });
});
