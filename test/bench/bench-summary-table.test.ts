/**
 * The table after a run, over a real quick run: every column says its unit and which way is better, the
 * speed-up is node:crypto's time over the case's (above 1× is faster, as in the README), RSA shows its time per
 * prime candidate, an interval that cannot be bounded says how many samples it lacks, and thread-scaling rows
 * say their thread count.
 */
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { summaryTable } from '../../src/bench/summary-table.js';
import type { CompletedCase, RunRecord } from '../../src/model/types.js';
import { readRunExport } from '../../src/store/index.js';
import { runPair } from '../support/compare-fixtures.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const run: RunRecord = await readRunExport(fixture('quick-run-b.parquet'));
const table = summaryTable(run);
const lines = table.split('\n');
const completed = (implementation: string, algorithm: string) =>
  run.cases.find((c): c is CompletedCase => c.state === 'completed' && c.key.case === 'keygen' && c.key.implementation === implementation && c.key.algorithm === algorithm)!;
const rowOf = (implementation: string, algorithm: string) => lines.find((line) => new RegExp(`^default/keygen\\s+${implementation}\\s+${algorithm}\\s`).test(line))!;

describe('the summary table of a real quick run', () => {
  it('labels every column with its unit or direction', () => {
    expect(lines[0]).toMatch(/median\s+99% interval\s+p99\s+keys\/s\s+speed-up vs node:crypto$/);
    expect(lines[1]).toMatch(/\(lower is better\)\s+of the median\s+\(lower is better\)\s+samples\s+\(higher is better\)\s+\(×, higher is better\)$/);
  });

  it("names the interval's level as the data has it: in the header when shared, on each cell when not", () => {
    const at = (confidence: number, c: CompletedCase): CompletedCase => ({
      ...c,
      summary: { ...c.summary, ns: { ...c.summary.ns, medianInterval: { ...c.summary.ns.medianInterval, confidence } }, nsPerCandidate: null },
    });
    const ec = completed('keyscope-native', 'ec-p256');
    const ed = completed('keyscope-native', 'ed25519');
    expect(summaryTable({ ...run, cases: [at(0.95, ec), at(0.95, ed)] }).split('\n')[0]).toMatch(/median\s+95% interval\s+p99/);
    const mixed = summaryTable({ ...run, cases: [at(0.95, ec), at(0.99, ed)] }).split('\n');
    expect(mixed[0]).toMatch(/median\s+interval\s+p99/);
    expect(mixed.find((line) => line.includes('ec-p256'))).toMatch(/ \(95%\)/);
    expect(mixed.find((line) => line.includes('ed25519'))).toMatch(/ \(99%\)/);
  });

  it('gives the speed-up over node:crypto, not a time ratio', () => {
    const native = completed('keyscope-native', 'ec-p256');
    const node = completed('node:crypto', 'ec-p256');
    expect(rowOf('keyscope-native', 'ec-p256').trimEnd().endsWith(`${(node.summary.ns.median / native.summary.ns.median).toFixed(2)}×`)).toBe(true);
    expect(rowOf('node:crypto', 'ec-p256')).toMatch(/the reference$/);
  });

  it('shows RSA per prime candidate, and an interval it cannot bound as the samples it lacks', () => {
    const index = lines.indexOf(rowOf('keyscope-native', 'rsa-2048'));
    expect(lines[index]).toMatch(/too few samples: \d+ more needed/);
    expect(lines[index]).not.toMatch(/[±+-]\d{3}\.\d%/);
    expect(lines[index + 1]).toMatch(/^ {2}↳ per prime candidate\s+\d+(\.\d+)? µs\s+too few samples: \d+ more needed/);
    expect(table).toMatch(/time per prime candidate is the steady measure/);
  });

  it('names each thread-scaling row by its thread count', () => {
    expect(lines.filter((line) => line.startsWith('default/throughput')).map((line) => line.split(/\s{2,}/)[0])).toEqual(['default/throughput, 1 thread', 'default/throughput, 2 threads']);
  });
});

describe('a run whose RSA case has an interval', () => {
  it('prints an interval too wide to read as ±% as its bounds, and a narrow one as ±%', () => {
    const rows = summaryTable(runPair().baseline).split('\n');
    const rsa = rows.findIndex((line) => /^keygen\/rsa-2048.*keyscope-native\s+rsa-2048/.test(line));
    expect(rows[rsa]).toMatch(/\d+\.\d+ ms \.\. \d+\.\d+ ms/);
    expect(rows[rsa + 1]).toMatch(/^ {2}↳ per prime candidate\s+[\d.]+ µs\s+±\d\.\d+%/);
  });
});
