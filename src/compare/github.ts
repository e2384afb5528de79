/**
 * GitHub Actions integration: the markdown table goes to the job's step summary, and each regression becomes an
 * `::error` annotation, so that a failing gate says why on the pull request page without opening the log.
 */
import { appendFile } from 'node:fs/promises';

import { formatChange, formatInterval, formatMarkdown } from './format/index.js';
import { caseLabel } from './format/cells.js';
import type { RunComparison } from './types.js';

/** Workflow-command escaping (see actions/toolkit's command.ts): data and property values differ. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function regressionAnnotations(comparison: RunComparison): string[] {
  const lines: string[] = [];
  for (const c of comparison.cases) {
    if (c.state !== 'compared' || c.verdict !== 'regressed' || (c.unstable && !comparison.strict)) continue;
    const decisive = c.decidedBy === 'per-candidate' && c.perCandidate ? c.perCandidate : c.time;
    const what = c.decidedBy === 'per-candidate' ? 'time per prime candidate' : 'time';
    const message = `${caseLabel(comparison, c)}: ${what} ${formatChange(decisive.ratio.estimate)} (${formatInterval(decisive.ratio, decisive)}), beyond the ${formatChange(1 + comparison.settings.threshold)} threshold`;
    lines.push(`::error title=${escapeProperty(`keyscope regression: ${caseLabel(comparison, c)}`)}::${escapeData(message)}`);
  }
  return lines;
}

export interface GithubReport {
  annotations: string[];
  wroteSummary: boolean;
}

/** Does nothing outside GitHub Actions. */
export async function reportToGithub(comparison: RunComparison, env: NodeJS.ProcessEnv, write: (line: string) => void): Promise<GithubReport> {
  if (env.GITHUB_ACTIONS !== 'true') return { annotations: [], wroteSummary: false };
  const annotations = regressionAnnotations(comparison);
  for (const line of annotations) write(`${line}\n`);
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (summaryFile) await appendFile(summaryFile, `${formatMarkdown(comparison)}\n`);
  return { annotations, wroteSummary: Boolean(summaryFile) };
}

/**
 * A candidate that was not judged (compare --allow-no-history with no history yet): a `::notice` annotation and
 * a line in the step summary, so that a passing job still says it gated nothing. Does nothing outside GitHub Actions.
 */
export async function reportNotJudgedToGithub(message: string, env: NodeJS.ProcessEnv, write: (line: string) => void): Promise<GithubReport> {
  if (env.GITHUB_ACTIONS !== 'true') return { annotations: [], wroteSummary: false };
  const annotation = `::notice title=${escapeProperty('keyscope: not judged')}::${escapeData(message)}`;
  write(`${annotation}\n`);
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (summaryFile) await appendFile(summaryFile, `### keyscope: not judged\n\n${message}\n`);
  return { annotations: [annotation], wroteSummary: Boolean(summaryFile) };
}
