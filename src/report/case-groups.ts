/**
 * The report's cases grouped by algorithm. The page folds each group to one line, so its folded height grows
 * with the algorithms a run covers (29 for a default run on OpenSSL 3.5) rather than with its cases (178).
 * Folding must not hide what a reader came for: each group carries its share of the comparison's counts and
 * names every case of it that regressed, improved or went missing, and the comparison table lists the groups
 * with a regression first.
 */
import { countVerdicts, type RunComparison } from '../compare/index.js';
import type { ReportCase, ReportCaseComparison, ReportCaseGroup, ReportGroupChange } from './report-types.js';

type Compared = Extract<ReportCaseComparison, { state: 'compared' }>;

/** The ratio the verdict rests on (candidate / baseline time), for ordering changes by size. */
function decisiveRatio(row: Compared): number {
  const measure = row.decidedBy === 'per-candidate' && row.perCandidate ? row.perCandidate : row.time;
  return measure.ratio.estimate ?? 1;
}

/**
 * A row's name within its group: its unique label (caseLabels: `suite/case[, parameters] implementation
 * algorithm`) without the algorithm, and without the suite and case name when every row of the group shares them.
 */
function nameInGroup(row: ReportCaseComparison, shared: { suite: boolean; case: boolean }): string {
  const { suite, case: name, implementation, algorithm } = row.key;
  const head = `${suite}/${name}`;
  const tail = ` ${implementation}${algorithm ? ` ${algorithm}` : ''}`;
  // caseLabels puts the parameters that tell apart cases of one name (", 2 threads") between head and tail.
  const parameters = row.label.startsWith(head) && row.label.endsWith(tail) ? row.label.slice(head.length, row.label.length - tail.length).replace(/^, /, '') : '';
  const where = shared.suite ? (shared.case ? '' : name) : head;
  return [where, parameters, implementation].filter((part) => part !== '').join(' ');
}

const changeRank = { regressed: 0, unmatched: 1, improved: 2 } as const;

function groupChanges(rows: readonly number[], comparison: RunComparison, reportRows: readonly ReportCaseComparison[], cases: readonly ReportCase[], caseIndex: ReadonlyMap<string, number>): ReportGroupChange[] {
  const members = rows.map((i) => reportRows[i]!);
  const shared = {
    suite: members.every((r) => r.key.suite === members[0]!.key.suite),
    case: members.every((r) => r.key.case === members[0]!.key.case),
  };
  const changes: (ReportGroupChange & { ratio: number })[] = [];
  for (const i of rows) {
    const row = reportRows[i]!;
    const source = comparison.cases[i]!;
    if (row.state === 'unmatched') {
      // A case skipped in every run (WebCrypto has no such key type) is absent by design, not news.
      const reported = row.caseId === null ? undefined : cases[caseIndex.get(row.caseId)!];
      if (reported?.results.every((r) => r.state === 'skipped')) continue;
      changes.push({ row: i, verdict: 'unmatched', estimate: null, name: nameInGroup(row, shared), reason: row.reason, ratio: 1 });
      continue;
    }
    // Counted as the comparison counts it: an unstable case (not strict) does not gate, so it is no change here.
    if (source.state !== 'compared' || (source.unstable && !comparison.strict)) continue;
    if (row.verdict !== 'regressed' && row.verdict !== 'improved') continue;
    changes.push({ row: i, verdict: row.verdict, estimate: row.measures[0]?.estimate ?? null, name: nameInGroup(row, shared), reason: null, ratio: decisiveRatio(row) });
  }
  changes.sort((a, b) => changeRank[a.verdict] - changeRank[b.verdict] || (a.verdict === 'regressed' ? b.ratio - a.ratio : a.ratio - b.ratio) || a.row - b.row);
  return changes.map(({ ratio: _ratio, ...change }) => change);
}

/** The cases by algorithm, each group placed where its first case is, with its share of `comparison`. */
export function caseGroups(cases: readonly ReportCase[], comparison: RunComparison | null, reportRows: readonly ReportCaseComparison[]): ReportCaseGroup[] {
  const byAlgorithm = new Map<string, number[]>();
  cases.forEach((c, i) => {
    const members = byAlgorithm.get(c.key.algorithm);
    if (members) members.push(i);
    else byAlgorithm.set(c.key.algorithm, [i]);
  });
  const caseIndex = new Map(cases.map((c, i) => [c.id, i] as const));
  return [...byAlgorithm].map(([algorithm, members], g) => {
    const rows = members.flatMap((i) => (cases[i]!.comparison === null ? [] : [cases[i]!.comparison!])).sort((a, b) => a - b);
    const has = (state: string) => members.filter((i) => cases[i]!.results.some((r) => r.state === state)).length;
    return {
      id: `group-${g}`,
      algorithm,
      cases: members,
      rows,
      counts: comparison ? countVerdicts(rows.map((i) => comparison.cases[i]!), comparison.strict) : null,
      changes: comparison ? groupChanges(rows, comparison, reportRows, cases, caseIndex) : [],
      errored: has('errored'),
      skipped: has('skipped'),
    };
  });
}

/**
 * The comparison table's order of the groups: those with a regression first, then those with a case gone
 * missing, then those with an improvement, then the rest; each kind in case order. A reader of a comparison
 * looks for what got worse; the case list keeps case order for one looking up an algorithm.
 */
export function comparisonGroupOrder(groups: readonly ReportCaseGroup[]): number[] {
  const rank = (g: ReportCaseGroup) => (g.changes.length === 0 ? 3 : changeRank[g.changes[0]!.verdict]);
  return groups.map((g, i) => ({ i, rank: rank(g) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((e) => e.i);
}
