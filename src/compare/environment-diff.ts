/**
 * Where two runs were measured, side by side. A different CPU, Node, OpenSSL or addon build changes timings
 * by far more than any threshold worth gating on, so those differences are "significant"; the rest (kernel,
 * governor, pinning, keyscope's own version) are shown but do not stop a comparison.
 */
import type { EnvironmentFingerprint, RunRecord } from '../model/index.js';
import type { EnvironmentDifference } from './types.js';

type Field = keyof EnvironmentFingerprint;
/** What the differences are read from: a whole run, or a run's overview (no samples). */
type RunSide = Pick<RunRecord, 'environment' | 'git'>;

/**
 * Fields that make two runs different machines or different software under test, or (handicap) a run slowed on
 * purpose: a comparison across it measures the handicap.
 */
const significantFields: ReadonlySet<Field> = new Set(['cpuModel', 'cpuFlags', 'cores', 'platform', 'arch', 'node', 'openssl', 'addonBuild', 'handicap']);
/** Fields that say the hardware itself differs: --strict refuses to gate across these. */
export const machineFields: ReadonlySet<EnvironmentDifference['field']> = new Set(['cpuModel', 'cpuFlags', 'cores', 'platform', 'arch']);
/** The runtime: what a comparison across runtimes (compare --across-runtimes) sets out to compare. */
export const runtimeFields: ReadonlySet<EnvironmentDifference['field']> = new Set(['node', 'openssl']);

const fieldOrder: Field[] = [
  'handicap', 'cpuModel', 'cpuFlags', 'cores', 'platform', 'arch', 'node', 'openssl', 'addonBuild', 'keyscope',
  'kernel', 'governor', 'boost', 'pinnedCpu', 'cycleCounter', 'countersAvailable',
];

function show(value: unknown, field?: Field): string {
  if (field === 'handicap') return value === null || value === undefined ? 'none (an honest run)' : `${Number(value) * 100}% slower on purpose`;
  if (value === null || value === undefined) return 'unknown';
  if (Array.isArray(value)) return value.join(' ');
  return String(value);
}

/** Long lists (CPU flags) are summarised as what one side has and the other lacks. */
function describeListDifference(baseline: string[], candidate: string[]): { baseline: string; candidate: string } {
  const onlyBaseline = baseline.filter((flag) => !candidate.includes(flag));
  const onlyCandidate = candidate.filter((flag) => !baseline.includes(flag));
  return {
    baseline: onlyBaseline.length > 0 ? `also has ${onlyBaseline.join(' ')}` : '(subset)',
    candidate: onlyCandidate.length > 0 ? `also has ${onlyCandidate.join(' ')}` : '(subset)',
  };
}

/** Two fingerprints of one machine: the same CPU model and flags, cores, platform and architecture. */
export function sameMachine(baseline: EnvironmentFingerprint, candidate: EnvironmentFingerprint): boolean {
  return environmentDifferences({ environment: baseline, git: null }, { environment: candidate, git: null }).sameMachine;
}

export function environmentDifferences(baseline: RunSide, candidate: RunSide): { differences: EnvironmentDifference[]; sameMachine: boolean } {
  const differences: EnvironmentDifference[] = [];
  for (const field of fieldOrder) {
    const a = baseline.environment[field];
    const b = candidate.environment[field];
    if (show(a, field) === show(b, field)) continue;
    const shown = Array.isArray(a) && Array.isArray(b) && field === 'cpuFlags' ? describeListDifference(a, b) : { baseline: show(a, field), candidate: show(b, field) };
    differences.push({ field, ...shown, significant: significantFields.has(field) });
  }
  if (baseline.git?.dirty || candidate.git?.dirty) {
    const side = (run: RunSide) => (run.git ? `${run.git.commit.slice(0, 10)}${run.git.dirty ? ' (uncommitted changes)' : ''}` : 'no git');
    differences.push({ field: 'git', baseline: side(baseline), candidate: side(candidate), significant: false });
  }
  const sameMachine = !differences.some((d) => d.field !== 'git' && machineFields.has(d.field));
  return { differences, sameMachine };
}
