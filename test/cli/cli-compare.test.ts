import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import type { RunComparison } from '../../src/compare/types.js';
import { openStore } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import { runPair, scaleCase } from '../support/compare-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-compare-'));
const db = join(dir, 'store.duckdb');
const { baseline, candidate } = runPair();
const slower = { ...scaleCase(candidate, 'ed25519', 1.12), id: '5e1f0000-0000-4000-8000-000000000001', label: 'slow', startedAt: '2026-11-22T10:00:00.000Z' };
const exported = join(dir, 'baseline.json');

beforeAll(async () => {
  const store = await openStore(db);
  try {
    await store.saveRun(baseline);
    await store.saveRun(candidate);
    await store.saveRun(slower);
    await store.exportRun(baseline.id, exported);
  } finally {
    await store.close();
  }
});

const compare = (...args: string[]) => runCli(['compare', ...args, '--db', db], { env: { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' } });

describe('keyscope compare', () => {
  it('exits 0 when nothing regressed, comparing runs named by label', async () => {
    const result = await compare('baseline', 'pr-42');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/threshold 5%, confidence 99%/);
    expect(result.stdout).toMatch(/keygen\/ed25519 keyscope-native ed25519 .* unchanged/);
    expect(result.stdout).toMatch(/0 regressed/);
  });

  it('exits 1 on a regression; by default the latest run against the latest "baseline" run', async () => {
    const result = await compare();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`baseline +${baseline.id.slice(0, 8)}`));
    expect(result.stdout).toMatch(new RegExp(`candidate +${slower.id.slice(0, 8)}`));
    expect(result.stdout).toMatch(/ed25519 .*\+1[0-4]\.?\d*% .* regressed/);
    expect(result.stdout).toMatch(/1 regressed/);
  });

  it('takes an id prefix and an exported file, and prints JSON', async () => {
    const result = await compare(exported, slower.id.slice(0, 8), '--format', 'json');
    expect(result.status).toBe(1);
    const comparison = JSON.parse(result.stdout) as RunComparison;
    expect(comparison.baseline).toMatchObject({ id: baseline.id, source: exported });
    expect(comparison.candidate).toMatchObject({ id: slower.id, source: 'store' });
    expect(comparison.counts.regressed).toBe(1);
    const ed = comparison.cases.find((c) => c.key.case === 'ed25519');
    expect(ed).toMatchObject({ state: 'compared', verdict: 'regressed' });
  });

  it('prints markdown, and in GitHub Actions writes the step summary and ::error annotations', async () => {
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const result = await runCli(['compare', 'baseline', 'slow', '--format', 'md', '--db', db], { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^### keyscope: 1 regressed/m);
    expect(result.stdout).toMatch(/\| keygen\/ed25519 keyscope-native ed25519 \|.*\*\*regressed\*\*/);
    expect(result.stdout).not.toMatch(/::error/);
    const annotations = result.stderr.split('\n').filter((line) => line.startsWith('::error'));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(/^::error title=keyscope regression%3A keygen\/ed25519 keyscope-native ed25519::keygen\/ed25519 .*time \+1\d/);
    const written = readFileSync(summary, 'utf8');
    expect(written.startsWith('# earlier step\n')).toBe(true);
    expect(written).toMatch(/### keyscope: 1 regressed/);
  });

  it('warns about a different machine, and --strict refuses to gate across it (exit 2)', async () => {
    const elsewhere = join(dir, 'elsewhere.json');
    const moved = { ...slower, id: '5e1f0000-0000-4000-8000-000000000002', environment: { ...slower.environment, cpuModel: 'Intel Xeon Platinum 8375C' } };
    const store = await openStore(db);
    try {
      await store.saveRun(moved);
      await store.exportRun(moved.id, elsewhere);
      await store.deleteRun(moved.id);
    } finally {
      await store.close();
    }
    const warned = await compare('baseline', elsewhere);
    expect(warned.stdout).toMatch(/WARNING: the runs were measured on different machines/);
    expect(warned.stdout).toMatch(/! cpuModel: AMD EPYC 7B13 64-Core Processor {2}-> {2}Intel Xeon Platinum 8375C/);
    const strict = await compare('baseline', elsewhere, '--strict');
    expect(strict.status).toBe(2);
    expect(strict.stderr.trim()).toMatch(/^keyscope: error KS_ENVIRONMENT_MISMATCH: --strict: the runs were measured on different machines \(cpuModel differ/);
    expect(strict.stdout).toBe('');
  });

  it('exits 2 with one line for every bad input, never 1', async () => {
    const cases: [string[], RegExp][] = [
      [['baseline', 'nonesuch'], /KS_RUN_NOT_FOUND: no run with id or label "nonesuch"/],
      [['baseline', join(dir, 'missing.json')], /KS_IMPORT_INVALID: .*missing\.json is not a keyscope run export: it does not exist/],
      [['baseline', 'pr-42', '--threshold', 'lots'], /KS_USAGE: --threshold must be a percentage like 5% or a fraction like 0.05, from 0% below 100%; got "lots"/],
      [['baseline', 'pr-42', '--confidence', '30%'], /KS_USAGE: --confidence must be above 50% below 100% \(a percentage like 5% or a fraction like 0.05\); got "30%"/],
      [['baseline', 'pr-42', '--format', 'xml'], /KS_USAGE: .*xml/],
    ];
    for (const [args, message] of cases) {
      const result = await compare(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    const noStore = await runCli(['compare', '--db', join(dir, 'absent.duckdb')]);
    expect(noStore.status).toBe(2);
    expect(noStore.stderr).toMatch(/KS_STORE_NOT_FOUND/);
  });

  it('needs two runs when it has to pick them itself', async () => {
    const lonely = join(dir, 'lonely.duckdb');
    const store = await openStore(lonely);
    try {
      await store.saveRun({ ...baseline, label: null });
    } finally {
      await store.close();
    }
    const result = await runCli(['compare', '--db', lonely]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/KS_COMPARE_NEEDS_RUNS: only one run in .*: name a baseline/);
  });
});
