/**
 * One meaning of a proportion everywhere: `5%` and `0.05` are the same on the CLI (compare, report), in the API
 * (compareRuns, compareSamples) and in the alert rules file; a bare number above 1 is refused, saying what to
 * write. Before, `--threshold 0.05` meant 0.05% on the CLI while 0.05 meant 5% in the API and the rules file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { compareRuns } from '../../src/compare/compare-runs.js';
import { referenceOf } from '../../src/compare/resolve-runs.js';
import { compareSamples } from '../../src/compare/statistics/index.js';
import type { RunComparison } from '../../src/compare/types.js';
import { ErrorCodes, InvalidArgumentError, KeyscopeError } from '../../src/core/errors.js';
import { parseFraction } from '../../src/core/fraction.js';
import { loadAlertRules } from '../../src/monitor/alerts/index.js';
import { openStore } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import { runPair } from '../support/compare-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-threshold-'));
const db = join(dir, 'store.duckdb');
const { baseline, candidate } = runPair();

beforeAll(async () => {
  const store = await openStore(db);
  try {
    await store.saveRun(baseline);
    await store.saveRun(candidate);
  } finally {
    await store.close();
  }
});

describe('parseFraction', () => {
  const range = { min: 0, max: 1 };
  it('reads 5%, "0.05" and 0.05 as the same fraction', () => {
    for (const written of ['5%', ' 5 % ', '0.05', 0.05, '.05']) expect(parseFraction(written, range)).toEqual({ ok: true, value: 0.05 });
    expect(parseFraction('0.5%', range)).toEqual({ ok: true, value: 0.005 });
  });

  it('refuses a bare 1, which could mean 1% or all of it, saying to write which', () => {
    for (const input of [1, '1', '1.0']) {
      const parsed = parseFraction(input, { min: 0, max: 1, minInclusive: true, maxInclusive: true });
      expect(!parsed.ok && parsed.problem).toBe('is a bare 1: write 1% for 1 percent or 100% for all of it (a bare number is a fraction: 0.05 means 5%)');
    }
    expect(parseFraction('100%', { min: 0, max: 1, minInclusive: true, maxInclusive: true })).toEqual({ ok: true, value: 1 });
  });

  it('refuses a bare number above 1, saying to write it with %', () => {
    for (const written of ['5', 5]) {
      const parsed = parseFraction(written, range);
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.problem).toBe('is a bare number above 1: write 5% for 5 percent (a bare number is a fraction: 0.05 means 5%)');
    }
  });

  it('refuses words and values outside the range, naming the range in percent', () => {
    expect(parseFraction('lots', { min: 0, max: 1, maxInclusive: false })).toEqual({ ok: false, problem: 'must be a percentage like 5% or a fraction like 0.05, from 0% below 100%' });
    expect(parseFraction('150%', range)).toEqual({ ok: false, problem: 'must be from 0% up to 100% (a percentage like 5% or a fraction like 0.05)' });
  });
});

describe('the API', () => {
  const ref = (run: typeof baseline) => ({ run, reference: referenceOf({ run, source: 'store' }) });
  it('compareRuns takes "5%" and 0.05 alike', () => {
    const asPercent = compareRuns(ref(baseline), ref(candidate), { threshold: '5%', confidence: '99%' });
    const asFraction = compareRuns(ref(baseline), ref(candidate), { threshold: 0.05, confidence: 0.99 });
    expect(asPercent.settings).toEqual({ threshold: 0.05, confidence: 0.99 });
    expect(asPercent.cases.map((c) => c.state === 'compared' && c.verdict)).toEqual(asFraction.cases.map((c) => c.state === 'compared' && c.verdict));
  });

  it('compareRuns and compareSamples refuse a bare 5 with the fix in the message', () => {
    const fromRuns = (() => {
      try {
        compareRuns(ref(baseline), ref(candidate), { threshold: 5, confidence: 0.99 });
      } catch (error) {
        return error;
      }
    })();
    expect(fromRuns).toBeInstanceOf(InvalidArgumentError);
    expect((fromRuns as InvalidArgumentError).code).toBe(ErrorCodes.invalidOption);
    expect((fromRuns as Error).message).toBe('compareRuns: threshold is a bare number above 1: write 5% for 5 percent (a bare number is a fraction: 0.05 means 5%), got 5');
    const samples = Float64Array.from([1, 2, 3, 4, 5]);
    expect(() => compareSamples(samples, samples, { threshold: 0.05, confidence: 99 })).toThrow(/compareSamples: confidence is a bare number above 1: write 99% for 99 percent/);
    expect(compareSamples(samples, samples, { threshold: '5%', confidence: '99%' }).verdict).toBe(compareSamples(samples, samples, { threshold: 0.05, confidence: 0.99 }).verdict);
  });
});

describe('the CLI', () => {
  const settingsOf = async (...args: string[]) => {
    const result = await runCli(['compare', 'baseline', 'pr-42', '--format', 'json', '--db', db, ...args], { env: { GITHUB_ACTIONS: '' } });
    expect(result.stderr).toBe('');
    return (JSON.parse(result.stdout) as RunComparison).settings;
  };

  it('compare --threshold 0.05 is --threshold 5%', async () => {
    expect(await settingsOf('--threshold', '0.05')).toEqual({ threshold: 0.05, confidence: 0.99 });
    expect(await settingsOf('--threshold', '5%', '--confidence', '0.99')).toEqual({ threshold: 0.05, confidence: 0.99 });
  });

  it('compare and report refuse --threshold 5 in one line, saying which to write', async () => {
    for (const command of [['compare', 'baseline', 'pr-42'], ['report', 'baseline', '--out', join(dir, 'r.html')]]) {
      const result = await runCli([...command, '--threshold', '5', '--db', db], { env: { GITHUB_ACTIONS: '' } });
      expect(result.status, command[0]).toBe(2);
      expect(result.stderr).toBe('keyscope: error KS_USAGE: --threshold is a bare number above 1: write 5% for 5 percent (a bare number is a fraction: 0.05 means 5%); got "5"\n');
    }
  }, 30_000);
});

describe('the alert rules file', () => {
  const ruleWith = (above: unknown) => {
    const path = join(dir, `rules-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify({ rules: [{ name: 'errors', metric: 'error-rate', above }] }));
    return loadAlertRules(path);
  };

  it('reads above: 0.05, "0.05" and "5%" as the same rate', async () => {
    for (const above of [0.05, '0.05', '5%']) expect((await ruleWith(above)).rules[0]!.threshold).toBe(0.05);
  });

  it('refuses above: 5, saying to write 5%', async () => {
    const error = await ruleWith(5).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeyscopeError);
    expect((error as KeyscopeError).message).toMatch(/rules\[0\]\.above: a rate is a bare number above 1: write 5% for 5 percent .*\(got 5\)$/);
  });
});
