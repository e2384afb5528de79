/**
 * The table printed after a run: per case the median, p99, the precision reached, the samples, and the ratio
 * to node:crypto's sync generation of the same algorithm (above 1 means slower than node:crypto).
 */
import { formatNs, formatPrecision } from './format.js';
import type { CaseResult, CompletedCase, RunRecord } from './types.js';

function baselineFor(result: CompletedCase, cases: readonly CaseResult[]): CompletedCase | undefined {
  return cases.find(
    (c): c is CompletedCase =>
      c.state === 'completed' &&
      c.key.suite === result.key.suite &&
      c.key.case === result.key.case &&
      c.key.implementation === 'node:crypto' &&
      c.key.algorithm === result.key.algorithm,
  );
}

function caseLabel(result: CaseResult): string {
  const threads = result.parameters['threads'];
  return `${result.key.suite}/${result.key.case}${threads === undefined ? '' : ` x${threads}`}`;
}

export function summaryTable(run: RunRecord): string {
  const header = ['case', 'implementation', 'algorithm', 'median', 'p99', 'precision', 'samples', 'ops/s', 'vs node:crypto'];
  const rows: string[][] = [header];
  // Skips and errors put their reason after the columns, so that a long reason does not widen them.
  const notes = new Map<number, string>();
  for (const result of run.cases) {
    const base = [caseLabel(result), result.key.implementation, result.key.algorithm];
    if (result.state !== 'completed') {
      notes.set(rows.length, result.state === 'skipped' ? `skipped: ${result.reason}` : `error ${result.error.code}: ${result.error.message}`);
      rows.push([...base, '', '', '', '', '', '']);
      continue;
    }
    const node = baselineFor(result, run.cases);
    const ratio = node && node !== result ? `${(result.summary.ns.median / node.summary.ns.median).toFixed(2)}x` : '';
    const precision = `${formatPrecision(result.precision.reached)}${result.precision.stoppedBy === 'precision' ? '' : ` (${result.precision.stoppedBy})`}`;
    rows.push([...base, formatNs(result.summary.ns.median), formatNs(result.summary.ns.p99), precision, String(result.summary.ns.count), result.throughput.toFixed(0), ratio]);
  }
  const widths = header.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row, index) => {
      const line = row.map((cell, column) => (column >= 3 && column !== 5 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
      const note = notes.get(index);
      return (note ? `${row.slice(0, 3).map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}  ${note}` : line).trimEnd();
    })
    .join('\n');
}
