/** The terminal format: an aligned table, environment differences first and loud, one summary line last. */
import { createRequire } from 'node:module';

import type picocolors from 'picocolors';

import type { RunComparison, Verdict } from '../types.js';
import { caseLabels, caseMeasures, comparisonLegend, formatPercent, judgedAgainstLine, runLabel, summaryLine, verdictDetail } from './cells.js';
import { environmentLines } from './environment-lines.js';
import { searchLines } from './search-reading.js';

const columns = ['case', 'measure', 'baseline', 'candidate', 'medians', 'estimate', 'interval', 'p99', 'verdict'] as const;

const require = createRequire(import.meta.url);
type Colors = ReturnType<typeof picocolors.createColors>;
let colors: Colors | undefined;

/**
 * picocolors decides colour support when it loads, by reading process.stdout.isTTY; touching process.stdout
 * makes a piped stdout non-blocking, so a host that imports keyscope could get EAGAIN from its own
 * fs.writeSync(1, ...). It is loaded on the first coloured table instead, with colour on: the caller decided.
 */
function pc(): Colors {
  return (colors ??= (require('picocolors') as typeof picocolors).createColors(true));
}

function paint(verdict: Verdict, text: string, color: boolean): string {
  if (!color) return text;
  if (verdict === 'regressed') return pc().bold(pc().red(text));
  if (verdict === 'improved') return pc().green(text);
  if (verdict === 'inconclusive') return pc().yellow(text);
  return text;
}

export function formatText(comparison: RunComparison, { color = false }: { color?: boolean } = {}): string {
  const { settings } = comparison;
  const lines = [
    `keyscope ${comparison.against.kind === 'interleaved' ? 'ab' : comparison.runtimes ? 'compare across runtimes' : 'compare'}: threshold ${formatPercent(settings.threshold)}, confidence ${formatPercent(settings.confidence)} for the run (each case ${formatPercent(comparison.caseConfidence)}); every change is candidate vs baseline time (positive = slower)`,
    comparisonLegend,
    judgedAgainstLine(comparison),
    ...comparison.notices.map((notice) => `NOTE: ${notice}`),
    `baseline   ${comparison.against.kind === 'history' ? 'newest past run ' : ''}${runLabel(comparison.baseline)}`,
    `candidate  ${runLabel(comparison.candidate)}`,
  ];
  const environment = environmentLines(comparison);
  if (environment.runtimes || environment.warning) lines.push('');
  if (environment.runtimes) lines.push(color ? pc().bold(`runtimes: ${environment.runtimes}`) : `runtimes: ${environment.runtimes}`);
  if (environment.warning) {
    const heading = `WARNING: ${environment.warning}`;
    lines.push(color ? pc().bold(pc().yellow(heading)) : heading);
  }
  for (const d of environment.differences) {
    lines.push(`  ${d.significant ? '!' : ' '} ${d.field}: ${d.baseline}  ->  ${d.candidate}`);
  }

  type Row = Record<(typeof columns)[number], string> & { verdictOf: Verdict | null; detail: string };
  const empty = { measure: '', baseline: '', candidate: '', medians: '', estimate: '', interval: '', p99: '' };
  const rows: Row[] = [];
  const labels = caseLabels(comparison.cases);
  for (const [index, c] of comparison.cases.entries()) {
    if (c.state === 'unmatched') {
      rows.push({ case: labels[index]!, ...empty, verdict: 'unmatched', verdictOf: null, detail: c.reason });
      continue;
    }
    // One verdict per row: the case's row shows the measure the verdict rests on; RSA's other measure follows
    // under it, with its own figures and no verdict of its own.
    const [first, ...others] = caseMeasures(c);
    // An unstable case that does not gate is painted as a doubt, not an alarm.
    const paintAs = c.unstable && !comparison.strict && c.verdict !== 'unchanged' ? 'inconclusive' : c.verdict;
    rows.push({ case: labels[index]!, measure: first!.name, ...first!.cells, verdict: c.verdict, verdictOf: paintAs, detail: verdictDetail(c, comparison.strict, { against: comparison.against, threshold: settings.threshold }) });
    for (const other of others) rows.push({ case: '', measure: other.name, ...other.cells, verdict: '', verdictOf: null, detail: '' });
    for (const note of c.notes) rows.push({ case: `  note: ${note}`, ...empty, verdict: '', verdictOf: null, detail: '' });
  }
  const header: Record<(typeof columns)[number], string> = {
    case: 'case', measure: 'measure', baseline: 'baseline median', candidate: 'candidate median', medians: 'medians',
    estimate: 'estimate', interval: `${formatPercent(comparison.caseConfidence)} interval of the estimate`, p99: 'p99 change', verdict: 'verdict',
  };
  // Notes span the row; they do not widen the case column.
  const width = (column: (typeof columns)[number]) =>
    Math.max(header[column].length, ...rows.filter((r) => !r.case.startsWith('  note:')).map((r) => r[column].length));
  const widths = Object.fromEntries(columns.map((column) => [column, width(column)])) as Record<(typeof columns)[number], number>;
  const render = (cells: Record<(typeof columns)[number], string>) =>
    columns.map((column) => (column === 'case' || column === 'measure' || column === 'verdict' ? cells[column].padEnd(widths[column]) : cells[column].padStart(widths[column]))).join('  ');
  lines.push('', render(header).trimEnd());
  for (const row of rows) {
    if (row.case.startsWith('  note:')) {
      lines.push(row.case);
      continue;
    }
    const rendered = render(row).trimEnd();
    const text = row.detail ? `${rendered}  (${row.detail})` : rendered;
    lines.push(row.verdictOf ? paint(row.verdictOf, text, color) : text);
  }
  const search = searchLines(comparison);
  if (search.length > 0) lines.push('', ...search.map((line, i) => (i === 0 ? line : `  ${line}`)));
  lines.push('', summaryLine(comparison));
  return `${lines.join('\n')}\n`;
}
