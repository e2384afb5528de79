/** The markdown format: for pull-request comments and $GITHUB_STEP_SUMMARY. */
import type { RunComparison } from '../types.js';
import { caseLabels, caseMeasures, comparisonLegend, formatPercent, judgedAgainstLine, runLabel, summaryLine, verdictDetail } from './cells.js';
import { environmentLines } from './environment-lines.js';
import { searchLines } from './search-reading.js';

/** Case names come from suites people write: keep them from breaking the table or injecting markup. */
function cell(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

const verdictMark = { regressed: '**regressed**', improved: 'improved', unchanged: 'unchanged', inconclusive: '_inconclusive_' } as const;

export function formatMarkdown(comparison: RunComparison): string {
  const { settings } = comparison;
  const lines = [
    `### keyscope${comparison.runtimes ? ' across runtimes' : ''}: ${summaryLine(comparison)}`,
    '',
    `Threshold ${formatPercent(settings.threshold)}, confidence ${formatPercent(settings.confidence)} for the run (each case ${formatPercent(comparison.caseConfidence)}); changes are candidate vs baseline (positive = slower).`,
    '',
    comparisonLegend,
    '',
    cell(judgedAgainstLine(comparison)),
    ...comparison.notices.flatMap((notice) => ['', `> [!NOTE]\n> ${cell(notice)}`]),
    '',
    `- baseline: ${comparison.against.kind === 'history' ? 'newest past run ' : ''}${cell(runLabel(comparison.baseline))}`,
    `- candidate: ${cell(runLabel(comparison.candidate))}`,
  ];
  const environment = environmentLines(comparison);
  if (environment.runtimes) lines.push('', `**Runtimes compared:** ${cell(environment.runtimes)}`);
  if (environment.warning) lines.push('', `> [!WARNING]\n> ${cell(environment.warning.charAt(0).toUpperCase() + environment.warning.slice(1))}.`);
  if (environment.differences.length > 0) {
    lines.push('', '| environment | baseline | candidate |', '|---|---|---|');
    for (const d of environment.differences) lines.push(`| ${d.significant ? '**' + d.field + '**' : d.field} | ${cell(d.baseline)} | ${cell(d.candidate)} |`);
  }
  lines.push(
    '',
    `| case | measure | baseline median | candidate median | medians | estimate | ${formatPercent(comparison.caseConfidence)} interval of the estimate | p99 change | verdict |`,
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
  );
  const labels = caseLabels(comparison.cases);
  for (const [index, c] of comparison.cases.entries()) {
    if (c.state === 'unmatched') {
      lines.push(`| ${cell(labels[index]!)} | | | | | | | | unmatched: ${cell(c.reason)} |`);
      continue;
    }
    const [first, ...others] = caseMeasures(c);
    const detail = verdictDetail(c, comparison.strict, { against: comparison.against, threshold: settings.threshold });
    const cells = (m: NonNullable<typeof first>) => `${m.name} | ${m.cells.baseline} | ${m.cells.candidate} | ${m.cells.medians} | ${m.cells.estimate} | ${m.cells.interval} | ${m.cells.p99}`;
    lines.push(`| ${cell(labels[index]!)} | ${cells(first!)} | ${c.unstable && !comparison.strict ? c.verdict : verdictMark[c.verdict]}${detail ? ` (${cell(detail)})` : ''} |`);
    for (const other of others) lines.push(`| ↳ | ${cells(other)} | |`);
    for (const note of c.notes) lines.push(`| ↳ note: ${cell(note)} | | | | | | | | |`);
  }
  const [legend, ...explained] = searchLines(comparison);
  if (legend) lines.push('', cell(legend), '', ...explained.map((line) => `- ${cell(line)}`));
  return `${lines.join('\n')}\n`;
}
