/**
 * `keyscope changes [CASE...]`: where each case's history on a branch and testbed moved (E-Divisive means,
 * compare/case-changes.ts), named by the commits either side and the size of the step. Reads only.
 */
import { type CaseChanges, caseChanges } from '../compare/index.js';
import { ErrorCodes, KeyscopeError, parseFraction } from '../core/index.js';
import { formatNs } from '../model/index.js';
import type { CommandIO } from './command-context.js';
import { parseLimit, historyHeadline, readBranchHistories } from './history-command.js';
import type { ServerOption } from './remote-runs.js';
import type { StoreOption } from './runs-command.js';

export interface ChangesCommandOptions extends StoreOption, ServerOption {
  branch?: string;
  testbed?: string;
  limit: string;
  significance: string;
  json?: boolean;
}

/** The smallest p-value 199 permutations can give: 1 / (1 + 199). A smaller significance could keep nothing. */
const smallestPValue = 1 / 200;

function parseSignificance(text: string): number {
  const parsed = parseFraction(text, { min: 0, max: 0.5, minInclusive: false, maxInclusive: true });
  if (!parsed.ok) throw new KeyscopeError(ErrorCodes.usage, `--significance ${parsed.problem}; got "${text}"`);
  if (parsed.value < smallestPValue) throw new KeyscopeError(ErrorCodes.usage, `--significance must be at least 0.5%: 199 permutations give no p-value below 1/200; got "${text}"`);
  return parsed.value;
}

const signed = (fraction: number) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;
const shortCommit = (commit: string | null) => commit?.slice(0, 10) ?? '(no commit)';

function describeCase(c: CaseChanges): string[] {
  const measure = c.measure === 'per-candidate' ? ', on time per prime candidate' : '';
  if (c.changes.length === 0) return [`${c.label}: no change in ${c.runs} runs${measure}`];
  const lines = [`${c.label}: ${c.changes.length} change${c.changes.length === 1 ? '' : 's'} in ${c.runs} runs${measure}`];
  for (const change of c.changes) {
    lines.push(
      `  ${signed(change.step)}  ${formatNs(change.typicalBefore)} -> ${formatNs(change.typicalAfter)}  between ${shortCommit(change.before.commit)} (${change.before.startedAt.slice(0, 16)}Z) and ${shortCommit(change.after.commit)} (${change.after.startedAt.slice(0, 16)}Z)  p = ${change.pValue.toFixed(3)}`,
    );
  }
  return lines;
}

export async function runChanges(patterns: string[], options: ChangesCommandOptions, io: CommandIO): Promise<void> {
  const limit = parseLimit(options.limit);
  const significance = parseSignificance(options.significance);
  // The confidence only sets the histories' learned thresholds, which changes does not print.
  const read = await readBranchHistories(patterns, options, limit, 0.99, io);
  const found = read.histories.map((history) => caseChanges(history, { significance }));
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ branch: read.branch, testbed: read.testbed, runs: read.runs.length, limit, significance, method: 'e-divisive-means', cases: found })}\n`);
    return;
  }
  const total = found.reduce((sum, c) => sum + c.changes.length, 0);
  const lines = [historyHeadline(read, limit), `change points by E-Divisive means, each kept at p <= ${significance} (199 permutations); ${total} found`];
  for (const c of found) lines.push('', ...describeCase(c));
  io.stdout.write(`${lines.join('\n')}\n`);
}
