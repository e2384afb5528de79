/**
 * `keyscope compare`'s text and markdown over a real A/A pair of quick runs (test/fixtures): each row shows the
 * estimate its verdict rests on beside the medians it comes from (they can disagree: a typical ratio over 3 vs 3
 * RSA keys is not the ratio of the medians), one verdict per row, every row named uniquely (the thread-scaling
 * rows included), and an interval that cannot be bounded said in words, never as -100% or ?.
 */
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { compareRuns } from '../../src/compare/compare-runs.js';
import { formatChange, formatMarkdown, formatText } from '../../src/compare/format/index.js';
import { referenceOf } from '../../src/compare/resolve-runs.js';
import { readRunExport } from '../../src/store/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const [a, b] = await Promise.all([readRunExport(fixture('quick-run-a.parquet')), readRunExport(fixture('quick-run-b.parquet'))]);
const comparison = compareRuns({ run: a, reference: referenceOf({ run: a, source: 'a.parquet' }) }, { run: b, reference: referenceOf({ run: b, source: 'b.parquet' }) });
const text = formatText(comparison);
const lines = text.split('\n');
const compared = comparison.cases.filter((c) => c.state === 'compared');
const verdicts = /\b(regressed|improved|unchanged|inconclusive)\b/g;

describe('compare text over a real A/A quick pair', () => {
  const tableStart = lines.findIndex((line) => line.startsWith('case '));
  const rows = lines.slice(tableStart + 1, lines.indexOf('', tableStart + 1));

  it('prints the medians, their change and the estimate the verdict rests on, on the same row', () => {
    expect(lines[tableStart]).toMatch(/^case\s+measure\s+baseline median\s+candidate median\s+medians\s+estimate\s+99\.95% interval of the estimate\s+p99 change\s+verdict$/);
    expect(text).toContain('estimate: the change the verdict rests on');
    // The RSA case where they disagree in sign: both figures are printed, each labelled by its column.
    const disagreeing = compared.filter((c) => Math.sign(c.candidate.median / c.baseline.median - 1) !== Math.sign(c.time.ratio.estimate - 1));
    expect(disagreeing.length).toBeGreaterThan(0);
    for (const c of compared) {
      const row = rows.find((line) => line.startsWith(`${c.key.suite}/${c.key.case}`) && line.includes(` ${c.key.implementation} ${c.key.algorithm} `) && (c.parameters.threads === undefined || line.includes(`, ${String(c.parameters.threads)} thread`)))!;
      const decisive = c.decidedBy === 'per-candidate' ? c.perCandidate! : c.time;
      const [baseline, candidate] = c.decidedBy === 'per-candidate' ? [c.baseline.medianPerCandidate!, c.candidate.medianPerCandidate!] : [c.baseline.median, c.candidate.median];
      const cells = row.split(/\s{2,}/);
      expect(cells).toContain(formatChange(candidate / baseline));
      expect(cells).toContain(formatChange(decisive.ratio.estimate));
    }
  });

  it('gives one verdict per row and names every row uniquely', () => {
    for (const row of rows) expect((row.match(verdicts) ?? []).length, row).toBeLessThanOrEqual(1);
    const named = rows.filter((row) => row.startsWith('default/')).map((row) => row.split(/\s{2,}/)[0]);
    expect(named).toHaveLength(comparison.cases.length);
    expect(new Set(named).size).toBe(named.length);
    expect(named).toContain('default/throughput, 1 thread keyscope-native ec-p256');
    expect(named).toContain('default/throughput, 2 threads keyscope-native ec-p256');
    // RSA's second measure sits under its case with its own figures and no verdict.
    const rsa = rows.findIndex((row) => row.startsWith('default/keygen keyscope-native rsa-2048'));
    expect(rows[rsa + 1]).toMatch(/^\s+time per prime candidate\s+\d/);
    expect(rows[rsa + 1]!.match(verdicts)).toBeNull();
  });

  it('says an interval it cannot bound in words', () => {
    const rsaRows = rows.filter((row) => row.includes('rsa-2048') || row.includes('per prime candidate'));
    expect(rsaRows.length).toBeGreaterThanOrEqual(7);
    for (const row of rsaRows) expect(row).toMatch(/too few samples: \d+ more needed/);
    expect(text).not.toMatch(/-100(\.0)?%|\?/);
  });
});

describe('compare markdown over the same pair', () => {
  const markdown = formatMarkdown(comparison);
  const rows = markdown.split('\n').filter((line) => line.startsWith('| default/') || line.startsWith('| ↳ |'));

  it('has the same columns, unique names, one verdict per row and no made-up bounds', () => {
    expect(markdown).toContain('| case | measure | baseline median | candidate median | medians | estimate | 99.95% interval of the estimate | p99 change | verdict |');
    const named = rows.filter((row) => row.startsWith('| default/')).map((row) => row.split(' | ')[0]);
    expect(new Set(named).size).toBe(comparison.cases.length);
    for (const row of rows) expect((row.match(verdicts) ?? []).length, row).toBeLessThanOrEqual(1);
    expect(markdown).toMatch(/\| ↳ \| time per prime candidate \| [\d.]+ µs \| [\d.]+ µs \| [+-][\d.]+% \| [+-][\d.]+% \| too few samples: \d+ more needed \| - \| \|/);
    expect(markdown).not.toMatch(/-100(\.0)?%|\?/);
  });
});
