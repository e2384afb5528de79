/**
 * The table printed after a run. Every column says its unit and which way is better; the speed-up is
 * node:crypto's median time over this case's (as the README's tables have it: above 1× is faster than
 * node:crypto). RSA keys vary several-fold in time with the luck of the prime search, so a native RSA case also
 * gets a row of time per prime candidate (src/core/measure.ts counts them), the measure that stays steady; and an
 * interval too wide to read as ±% is printed as its bounds, one that cannot be bounded as how many more samples
 * it needs.
 */
import { type CaseResult, type CompletedCase, describeMedianInterval, formatNs, formatPrecision, type RunRecord, type SampleSummary } from '../model/index.js';

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

/** `default/keygen`, or `default/throughput, 4 threads` for a thread-scaling row. */
export function caseLabel(result: Pick<CaseResult, 'key' | 'parameters'>): string {
  const threads = result.parameters['threads'];
  const name = `${result.key.suite}/${result.key.case}`;
  return threads === undefined ? name : `${name}, ${String(threads)} ${threads === 1 ? 'thread' : 'threads'}`;
}

/** An interval of a median: ±% where that reads true (narrow), else its bounds, else what is missing. */
function intervalCell(summary: SampleSummary): string {
  const described = describeMedianInterval(summary);
  if (described.state === 'unbounded') return described.text;
  return described.relative <= 0.1 ? formatPrecision(described.relative) : `${formatNs(described.low)} .. ${formatNs(described.high)}`;
}

const percent = (confidence: number) => `${Number((confidence * 100).toPrecision(4))}%`;

/**
 * Two header lines: the column, then its unit and which way is better. The interval's level is the one the data
 * has (a suite's budget sets it): in the header when every case shares it, else on each cell.
 */
function headerFor(levels: ReadonlySet<number>): string[][] {
  const [only] = levels;
  const interval = levels.size === 1 ? `${percent(only!)} interval` : 'interval';
  return [
    ['case', 'implementation', 'algorithm', 'median', interval, 'p99', '', 'keys/s', 'speed-up vs node:crypto'],
    ['', '', '', '(lower is better)', 'of the median', '(lower is better)', 'samples', '(higher is better)', '(×, higher is better)'],
  ];
}
/** Columns of numbers, aligned right. */
const numeric = new Set([3, 4, 5, 6, 7, 8]);

export function summaryTable(run: RunRecord): string {
  const completed = run.cases.filter((c): c is CompletedCase => c.state === 'completed');
  const levels = new Set(completed.flatMap((c) => [c.summary.ns, ...(c.summary.nsPerCandidate ? [c.summary.nsPerCandidate] : [])]).map((s) => s.medianInterval.confidence));
  const cell = (summary: SampleSummary) => (levels.size > 1 ? `${intervalCell(summary)} (${percent(summary.medianInterval.confidence)})` : intervalCell(summary));
  const header = headerFor(levels.size === 0 ? new Set([0.99]) : levels);
  const rows: string[][] = [...header];
  // Skips and errors put their reason after the first columns, so that a long reason does not widen the others.
  const notes = new Map<number, string>();
  let perCandidateRows = false;
  for (const result of run.cases) {
    const base = [caseLabel(result), result.key.implementation, result.key.algorithm];
    if (result.state !== 'completed') {
      notes.set(rows.length, result.state === 'skipped' ? `skipped: ${result.reason}` : `error ${result.error.code}: ${result.error.message}`);
      rows.push(base);
      continue;
    }
    const node = baselineFor(result, run.cases);
    const speedUp = !node ? '' : node === result ? 'the reference' : `${(node.summary.ns.median / result.summary.ns.median).toFixed(2)}×`;
    const { ns } = result.summary;
    rows.push([...base, formatNs(ns.median), cell(ns), formatNs(ns.p99), String(ns.count), result.throughput.toFixed(0), speedUp]);
    const perCandidate = result.summary.nsPerCandidate;
    if (perCandidate) {
      perCandidateRows = true;
      rows.push(['  ↳ per prime candidate', '', '', formatNs(perCandidate.median), cell(perCandidate), formatNs(perCandidate.p99), String(perCandidate.count), '', '']);
    }
  }
  const widths = header[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row, index) => {
    const note = notes.get(index);
    if (note) return `${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}  ${note}`.trimEnd();
    return row.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  });
  if (perCandidateRows) {
    lines.push('', 'RSA: time per key varies several-fold with the luck of the prime search; time per prime candidate is the steady measure (compare gates on both).');
  }
  return lines.join('\n');
}
