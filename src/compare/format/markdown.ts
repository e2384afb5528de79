/** The markdown format: for pull-request comments and $GITHUB_STEP_SUMMARY. */
import type { RunComparison } from '../types.js';
import { caseLabel, formatPercent, runLabel, sampleRow, summaryLine, verdictDetail } from './cells.js';

/** Case names come from suites people write: keep them from breaking the table or injecting markup. */
function cell(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

const verdictMark = { regressed: '**regressed**', improved: 'improved', unchanged: 'unchanged', inconclusive: '_inconclusive_' } as const;

export function formatMarkdown(comparison: RunComparison): string {
  const { settings } = comparison;
  const lines = [
    `### keyscope: ${summaryLine(comparison)}`,
    '',
    `Threshold ${formatPercent(settings.threshold)}, confidence ${formatPercent(settings.confidence)}; changes are candidate vs baseline (positive = slower).`,
    '',
    `- baseline: ${cell(runLabel(comparison.baseline))}`,
    `- candidate: ${cell(runLabel(comparison.candidate))}`,
  ];
  const differences = comparison.environment.differences;
  if (differences.some((d) => d.significant)) {
    lines.push('', comparison.environment.sameMachine
      ? '> [!WARNING]\n> The runs used different software (Node, OpenSSL or addon build); timings may differ for that reason alone.'
      : '> [!WARNING]\n> The runs were measured on different machines; timings are not comparable.');
  }
  if (differences.length > 0) {
    lines.push('', '| environment | baseline | candidate |', '|---|---|---|');
    for (const d of differences) lines.push(`| ${d.significant ? '**' + d.field + '**' : d.field} | ${cell(d.baseline)} | ${cell(d.candidate)} |`);
  }
  lines.push('', `| case | baseline | candidate | change | ${formatPercent(settings.confidence)} interval | p99 change | verdict |`, '|---|---:|---:|---:|---:|---:|---|');
  for (const c of comparison.cases) {
    if (c.state === 'unmatched') {
      lines.push(`| ${cell(caseLabel(c))} | | | | | | unmatched: ${cell(c.reason)} |`);
      continue;
    }
    const row = sampleRow(c.time, c.baseline.median, c.candidate.median);
    const detail = verdictDetail(c);
    lines.push(`| ${cell(caseLabel(c))} | ${row.baseline} | ${row.candidate} | ${row.change} | ${row.interval} | ${row.p99} | ${verdictMark[c.verdict]}${detail ? ` (${cell(detail)})` : ''} |`);
    if (c.perCandidate) {
      const per = sampleRow(c.perCandidate, c.baseline.medianPerCandidate!, c.candidate.medianPerCandidate!);
      lines.push(`| ↳ per prime candidate | ${per.baseline} | ${per.candidate} | ${per.change} | ${per.interval} | ${per.p99} | ${per.verdict} |`);
    }
    for (const note of c.notes) lines.push(`| ↳ note: ${cell(note)} | | | | | | |`);
  }
  return `${lines.join('\n')}\n`;
}
