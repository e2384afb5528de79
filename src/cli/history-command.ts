/**
 * `keyscope history [CASE...]`: each case's median run by run on a branch and testbed, and the threshold that
 * history teaches (what compare --baseline-branch would judge by). Reads only.
 */
import { caseHistories, type CaseHistory } from '../compare/index.js';
import { resolveGitBranch } from '../bench/index.js';
import { ErrorCodes, KeyscopeError, parseFraction } from '../core/index.js';
import { caseIdentity, formatNs, type RunOverview } from '../model/index.js';
import { RemoteRuns } from '../remote/index.js';
import type { RunStore } from '../store/index.js';
import type { CommandIO } from './command-context.js';
import { type StoreOption, withStoreIfNeeded } from './runs-command.js';
import { openRemoteRuns, type ServerOption } from './remote-runs.js';

export interface HistoryCommandOptions extends StoreOption, ServerOption {
  branch?: string;
  testbed?: string;
  limit: string;
  confidence: string;
  json?: boolean;
}

export function parseLimit(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !(value >= 1 && value <= 10_000)) throw new KeyscopeError(ErrorCodes.usage, `--limit must be a whole number of runs from 1 to 10000, got "${text}"`);
  return value;
}

export function parseConfidence(text: string): number {
  const parsed = parseFraction(text, { min: 0.5, max: 1, minInclusive: false, maxInclusive: false });
  if (!parsed.ok) throw new KeyscopeError(ErrorCodes.usage, `--confidence ${parsed.problem}; got "${text}"`);
  return parsed.value;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function describeCase(history: CaseHistory): string[] {
  const { limit } = history;
  const heading = limit
    ? `${history.label}: typical ${formatNs(limit.typical)}, run-to-run spread ${percent(Math.expm1(limit.spread))}; a run of unchanged code stays within ±${percent(limit.threshold)} (${percent(limit.confidence)}, one case)`
    : `${history.label}: ${history.points.length} run${history.points.length === 1 ? '' : 's'}, too few to learn a threshold from (5 needed)`;
  const rows = history.points.map((p) => {
    const interval = p.low !== null && p.high !== null ? `${formatNs(p.low)} .. ${formatNs(p.high)}` : 'too few samples';
    return [p.startedAt.replace(/\.\d+Z$/, 'Z'), p.runId.slice(0, 8), p.commit?.slice(0, 10) ?? '-', formatNs(p.location), formatNs(p.median), interval];
  });
  const header = ['started', 'run', 'commit', 'location', 'median', 'interval of the median'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const render = (cells: string[]) => `  ${cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [heading, render(header), ...rows.map(render)];
}

/** What a branch's history holds for the cases asked: the runs read (newest first), and each case's series. */
export interface BranchHistories {
  branch: string;
  testbed: string;
  path: string;
  runs: RunOverview[];
  /** Other testbeds the branch has complete runs on, with their counts. */
  elsewhere: Map<string, number>;
  histories: CaseHistory[];
}

/**
 * Reads the newest `limit` complete runs of a branch (default: the current one) on a testbed (default: that of
 * the branch's newest run), and the series of the cases whose names contain one of `patterns` (all if none).
 * Shared by `history` and `changes`, so both read the same runs. Reads only.
 */
export async function readBranchHistories(
  patterns: readonly string[],
  options: StoreOption & ServerOption & { branch?: string; testbed?: string },
  limit: number,
  confidence: number,
  io: CommandIO,
): Promise<BranchHistories> {
  const branch = options.branch ?? resolveGitBranch(process.cwd(), io.env);
  if (branch === null) throw new KeyscopeError(ErrorCodes.usage, 'this directory is on no git branch: say which branch with --branch NAME');
  const needles = patterns.map((p) => p.toLowerCase());

  const read =
    options.server !== undefined
      ? await readRuns(openRemoteRuns(options.server, io.env), branch, options.testbed, limit, needles, confidence)
      : await withStoreIfNeeded(options, async (openStore) => readRuns(await openStore(), branch, options.testbed, limit, needles, confidence));
  const { runs, testbed, elsewhere, path, labels } = read;

  let histories = caseHistories(runs, confidence).map((h) => ({ ...h, label: labels.get(caseIdentity(h)) ?? h.label }));
  if (needles.length > 0) {
    for (const needle of needles) {
      if (!histories.some((h) => h.label.toLowerCase().includes(needle))) {
        throw new KeyscopeError(ErrorCodes.noHistory, `no case matching "${needle}" in the history of ${branch} on testbed ${testbed} in ${path}; its cases include ${histories.slice(0, 4).map((h) => h.label).join(', ')}`);
      }
    }
    histories = histories.filter((h) => needles.some((needle) => h.label.toLowerCase().includes(needle)));
  }
  return { branch, testbed, path, runs, elsewhere, histories };
}

type HistorySource = Pick<RunStore, 'path' | 'findRuns' | 'findRunOverviews'> | RemoteRuns;

/**
 * The runs of a branch's history from a store or the team server. From the server, with case names asked for,
 * only the matching cases travel: they are chosen by the labels of the newest run's cases (all of them, so the
 * labels are those a local history would print), and those labels are kept.
 */
async function readRuns(source: HistorySource, branch: string, testbedAsked: string | undefined, limit: number, needles: readonly string[], confidence: number) {
  const all = await source.findRuns({ branch, status: 'complete' });
  if (all.length === 0) throw new KeyscopeError(ErrorCodes.noHistory, `no complete run of branch ${branch} in ${source.path}`);
  // Default testbed: the newest run's, which on one machine is every run's.
  const testbed = testbedAsked ?? all[0]!.testbed;
  const filter = { branch, testbed, status: 'complete' as const, limit };
  const labels = new Map<string, string>();
  let runs: RunOverview[];
  if (source instanceof RemoteRuns && needles.length > 0) {
    const newest = await source.findRunOverviews({ ...filter, limit: 1 });
    for (const h of caseHistories(newest, confidence)) labels.set(caseIdentity(h), h.label);
    const wanted = [...labels].filter(([, label]) => needles.some((needle) => label.toLowerCase().includes(needle))).map(([identity]) => identity);
    runs = wanted.length > 0 ? await source.findRunOverviews(filter, wanted) : newest;
  } else {
    runs = await source.findRunOverviews(filter);
  }
  if (runs.length === 0) throw new KeyscopeError(ErrorCodes.noHistory, `branch ${branch} has no complete run on testbed ${testbed} in ${source.path}`);
  const elsewhere = new Map<string, number>();
  for (const run of all) if (run.testbed !== testbed) elsewhere.set(run.testbed, (elsewhere.get(run.testbed) ?? 0) + 1);
  return { runs, testbed, elsewhere, path: source.path, labels };
}

/** The header line of history and changes: the branch, testbed, window and the branch's other testbeds. */
export function historyHeadline({ branch, testbed, runs, elsewhere }: BranchHistories, limit: number): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const span = `${runs[runs.length - 1]!.startedAt.slice(0, 10)} to ${runs[0]!.startedAt.slice(0, 10)}`;
  const others = [...elsewhere].map(([name, count]) => `${name} (${plural(count, 'run')})`).join(', ');
  const also = others ? `; also on ${elsewhere.size === 1 ? 'testbed' : 'testbeds'} ${others}` : '';
  return `history of ${branch} on testbed ${testbed}: ${plural(runs.length, 'run')} (newest ${limit} at most), ${span}${also}`;
}

export async function runHistory(patterns: string[], options: HistoryCommandOptions, io: CommandIO): Promise<void> {
  const limit = parseLimit(options.limit);
  const confidence = parseConfidence(options.confidence);
  const read = await readBranchHistories(patterns, options, limit, confidence, io);
  const { branch, testbed, runs, histories } = read;
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ branch, testbed, runs: runs.length, limit, confidence, cases: histories })}\n`);
    return;
  }
  const lines = [historyHeadline(read, limit)];
  for (const history of histories) lines.push('', ...describeCase(history));
  io.stdout.write(`${lines.join('\n')}\n`);
}
