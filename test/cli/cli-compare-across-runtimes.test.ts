/**
 * `keyscope compare --across-runtimes` on real runs of one VM under Node 20 (OpenSSL 3.0) and Node 24 (OpenSSL 3.5):
 * the runtime heading and each RSA case's explanation in text, markdown and JSON; exit 1 only for a case slower on
 * the candidate's runtime; --strict that refuses other machines and other addon builds but not the runtimes; named
 * baselines of the same machine under another runtime; and the refusals, exit 2 with one line.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import type { RunComparison } from '../../src/compare/types.js';
import { openStore } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import { editedExport, node20File, node24File, runtimeRuns } from '../support/runtime-fixtures.js';

const env = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' };
const compare = (...args: string[]) => runCli(['compare', ...args], { env });
const runtimesLine = 'runtimes: Node v20.20.2 (OpenSSL 3.0.19) -> Node v24.22.3 (OpenSSL 3.5.9), same machine (AMD EPYC, 2 cores, linux x64)';
const rsaLine =
  "  runtimes/keygen keyscope-native rsa-2048: 72% less time per key (0.28x, 0.23..0.34) = 1.03x candidates per key (0.87..1.23: the search's luck) x 0.27x time per candidate (0.25..0.29): each candidate costs less";

const elsewhere = editedExport(node24File, 'node24-elsewhere.json', (run) => {
  run.environment.cpuModel = 'Intel Xeon Platinum 8375C';
});
const prebuild = editedExport(node24File, 'node24-prebuild.json', (run) => {
  run.environment.addonBuild = 'prebuild';
});

describe('keyscope compare --across-runtimes', () => {
  it('frames the comparison as one of runtimes, and explains each RSA case', async () => {
    const result = await compare(node20File, node24File, '--across-runtimes');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^keyscope compare across runtimes: threshold 5%, confidence 99%/);
    expect(lines).toContain(runtimesLine);
    expect(result.stdout).not.toMatch(/WARNING/);
    expect(lines).toContain(rsaLine);
    expect(result.stdout).toMatch(/\nRSA, where the change of mean time per key came from: mean time per key = mean prime candidates per key x time per candidate/);
    expect(result.stdout).toMatch(/\n {2}runtimes\/keygen-seeded keyscope-native rsa-2048: 74% less time per key .*: seeded keys searched differently\) .*: each candidate costs less\n/);
    // ec-p256 has no prime search to explain.
    expect(result.stdout).not.toMatch(/ec-p256: .*per key/);
  });

  it('puts the runtimes and the explanations in JSON and markdown', async () => {
    const json = await compare(node20File, node24File, '--across-runtimes', '--format', 'json');
    expect(json.status).toBe(0);
    const comparison = JSON.parse(json.stdout) as RunComparison;
    expect(comparison.runtimes).toMatchObject({ baseline: { node: 'v20.20.2', openssl: '3.0.19' }, candidate: { node: 'v24.22.3', openssl: '3.5.9' }, differ: true });
    const rsa = comparison.cases.find((c) => c.key.case === 'keygen' && c.key.algorithm === 'rsa-2048');
    if (rsa?.state !== 'compared' || !rsa.search) throw new Error('rsa-2048 has no explanation');
    expect(rsa.search).toMatchObject({ keys: 'independent', searchChanged: false, cause: 'per-candidate', resampled: 'blocks', reading: rsaLine.replace(/^ {2}runtimes\/keygen keyscope-native rsa-2048: /, '') });
    expect(rsa.search.perKey.estimate).toBeCloseTo(rsa.search.candidatesPerKey.estimate * rsa.search.perCandidate.estimate, 12);
    expect(rsa.search.baseline).toMatchObject({ keys: 60, meanCandidates: expect.closeTo(877.47, 2) });
    expect(rsa.search.candidate).toMatchObject({ keys: 213, meanCandidates: expect.closeTo(907.35, 2) });
    const ec = comparison.cases.find((c) => c.key.algorithm === 'ec-p256');
    expect(ec).toMatchObject({ state: 'compared', search: null });

    const markdown = await compare(node20File, node24File, '--across-runtimes', '--format', 'md');
    expect(markdown.stdout).toMatch(/^### keyscope across runtimes: /);
    expect(markdown.stdout).toMatch(/\n\*\*Runtimes compared:\*\* Node v20\.20\.2 \\\(OpenSSL 3\.0\.19\\\) -\\> Node v24\.22\.3/);
    expect(markdown.stdout).toMatch(/\n- runtimes\/keygen keyscope-native rsa-2048: 72% less time per key \\\(0\.28x, 0\.23\.\.0\.34\\\) = /);
  });

  it('exits 1 when a case is slower on the candidate runtime and gates, so CI can ask "is Node 24 no slower?"', async () => {
    // Node 20 as the candidate: RSA-2048 3.6 times slower. Its blocks scatter more than 5% (unstable), so only --strict gates on it.
    const slower = await compare(node24File, node20File, '--across-runtimes', '--strict');
    expect(slower.stderr).toBe('');
    expect(slower.status).toBe(1);
    expect(slower.stdout).toMatch(/\n2 regressed, 0 improved, 0 unchanged, 1 inconclusive\n$/);
    expect(slower.stdout).toMatch(/runtimes\/keygen keyscope-native rsa-2048: 3\.62 times the time per key \(\d\.\d\d\.\.\d\.\d\d\) = 0\.97x candidates per key \(.*: the search's luck\) x 3\.74x time per candidate \(.*\): each candidate costs more\n/);
    const faster = await compare(node20File, node24File, '--across-runtimes', '--strict');
    expect(faster.status).toBe(0);
    expect(faster.stdout).toMatch(/\n0 regressed, 2 improved, 0 unchanged, 1 inconclusive\n$/);
  });

  it('--strict refuses other software without the opt-in, and with it only what is not the runtime', async () => {
    const strict = await compare(node20File, node24File, '--strict');
    expect(strict.status).toBe(2);
    expect(strict.stderr.trim()).toBe('keyscope: error KS_ENVIRONMENT_MISMATCH: --strict: the runs were measured with different software (node, openssl differ); refusing to gate');
    const otherBuild = await compare(node20File, prebuild, '--across-runtimes', '--strict');
    expect(otherBuild.status).toBe(2);
    expect(otherBuild.stderr.trim()).toBe('keyscope: error KS_ENVIRONMENT_MISMATCH: --strict: the runs were measured with different software besides the runtime (addonBuild differ); refusing to gate');
    const warned = await compare(node20File, prebuild, '--across-runtimes');
    expect(warned.status).toBe(0);
    expect(warned.stdout).toMatch(/\nWARNING: besides the runtime, the runs differ in addonBuild; timings may differ for that reason too\n/);
  });

  it('refuses runs of two machines with one line and exit 2, --strict or not', async () => {
    for (const extra of [[], ['--strict']]) {
      const result = await compare(node20File, elsewhere, '--across-runtimes', ...extra);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        'keyscope: error KS_ENVIRONMENT_MISMATCH: across runtimes: the runs were measured on different machines (cpuModel differ); a comparison of runtimes needs both runs from one machine\n',
      );
    }
  });

  it('says when both runs used one runtime, and compares them all the same', async () => {
    const result = await compare(node20File, node20File, '--across-runtimes');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\nNOTE: across runtimes: both runs used Node v20\.20\.2 \(OpenSSL 3\.0\.19\), so no runtime differs; compared as two runs of one runtime\n/);
    expect(result.stdout).toMatch(/\nruntimes: Node v20\.20\.2 \(OpenSSL 3\.0\.19\) on both sides, same machine/);
    expect(result.stdout).toMatch(/rsa-2048: 0\.0% slower per key \(1\.00x, .*\) = 1\.00x candidates per key .* x 1\.00x time per candidate/);
  });

  it('refuses what it cannot mean: a branch history, or --cross-testbed beside it', async () => {
    const branch = await compare('--baseline-branch', 'main', node24File, '--across-runtimes');
    expect(branch.status).toBe(2);
    expect(branch.stderr).toMatch(/^keyscope: error KS_USAGE: --across-runtimes compares two runs, and a branch's history is kept per testbed, one runtime/);
    const cross = await compare('--baseline', 'v1', '--cross-testbed', '--across-runtimes', node24File);
    expect(cross.status).toBe(2);
    expect(cross.stderr).toMatch(/^keyscope: error KS_USAGE: --across-runtimes already takes a baseline from another testbed of the same machine; --cross-testbed would take other machines too/);
  });
});

describe('keyscope compare --baseline NAME --across-runtimes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-runtimes-store-'));
  const db = join(dir, 'store.duckdb');
  const named = (...args: string[]) => compare(...args, '--db', db);

  beforeAll(async () => {
    const { node20, node24 } = await runtimeRuns();
    const store = await openStore(db);
    try {
      // Baseline v1 saved under Node 20, and again under Node 24 (the candidate's testbed), on this machine; "far"
      // only on another machine.
      await store.saveRun({ ...node20, label: 'v1' });
      await store.saveRun({ ...node24, id: '0e24bb00-0000-4000-8000-000000000001', label: 'v1', startedAt: '2026-12-07T23:36:00.000Z' });
      await store.saveRun({ ...node20, id: '0e24bb00-0000-4000-8000-000000000002', label: 'far', testbed: 'far-box', environment: { ...node20.environment, cpuModel: 'Intel Xeon Platinum 8375C' } });
      await store.saveRun(node24);
    } finally {
      await store.close();
    }
  });

  it('takes the baseline of this machine under another runtime', async () => {
    const result = await named('--baseline', 'v1', '--across-runtimes', 'node24');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\nbaseline {3}8b55972c {2}label v1 /);
    expect(result.stdout).toMatch(/\nNOTE: baseline "v1" is from testbed 75cc5dda, the candidate from e8dbc793: compared across runtimes on one machine, as asked \(--across-runtimes\)\n/);
    expect(result.stdout.split('\n')).toContain(runtimesLine);
    // Without the opt-in, v1 of the candidate's own testbed (Node 24) is the baseline, as for any named baseline.
    const plain = await named('--baseline', 'v1', 'node24');
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/\nbaseline {3}0e24bb00 {2}label v1 /);
  });

  it('refuses a baseline measured only on other machines', async () => {
    const result = await named('--baseline', 'far', '--across-runtimes', 'node24');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'keyscope: error KS_BASELINE_TESTBED: baseline "far" was measured on testbed far-box (1 run), none of them on the candidate\'s machine (AMD EPYC, 2 cores); --across-runtimes compares runtimes of one machine only\n',
    );
  });
});
