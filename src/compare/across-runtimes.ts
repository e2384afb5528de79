/**
 * A comparison of runtimes on one machine (compareRuns' acrossRuntimes, compare --across-runtimes): the same
 * suite run under two Node/OpenSSL versions, where the runtime is the thing measured rather than a reason the
 * timings differ. Only the machine must be the same: another CPU would be measured along with the runtime, and
 * the comparison would say nothing about either, so two machines are refused.
 */
import type { EnvironmentFingerprint } from '../model/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { machineFields } from './environment-diff.js';
import type { EnvironmentDifference, RuntimeComparison, RuntimeSide } from './types.js';

function runtimeOf(environment: EnvironmentFingerprint): RuntimeSide {
  return { node: environment.node, openssl: environment.openssl };
}

export function describeRuntime(side: RuntimeSide): string {
  return `Node ${side.node} (OpenSSL ${side.openssl})`;
}

export function describeMachine(machine: RuntimeComparison['machine']): string {
  return `${machine.cpuModel}, ${machine.cores} ${machine.cores === 1 ? 'core' : 'cores'}, ${machine.platform} ${machine.arch}`;
}

/**
 * The runtimes of two runs of one machine, and the notices the comparison prints; KS_ENVIRONMENT_MISMATCH when
 * the runs were measured on different machines (the machine fields that differ are named).
 */
export function compareRuntimes(
  baseline: EnvironmentFingerprint,
  candidate: EnvironmentFingerprint,
  environment: { differences: readonly EnvironmentDifference[]; sameMachine: boolean },
): { runtimes: RuntimeComparison; notices: string[] } {
  if (!environment.sameMachine) {
    const fields = environment.differences.filter((d) => machineFields.has(d.field)).map((d) => d.field);
    throw new KeyscopeError(
      ErrorCodes.environmentMismatch,
      `across runtimes: the runs were measured on different machines (${fields.join(', ')} differ); a comparison of runtimes needs both runs from one machine`,
    );
  }
  const runtimes: RuntimeComparison = {
    baseline: runtimeOf(baseline),
    candidate: runtimeOf(candidate),
    differ: baseline.node !== candidate.node || baseline.openssl !== candidate.openssl,
    machine: { cpuModel: candidate.cpuModel, cores: candidate.cores, platform: candidate.platform, arch: candidate.arch },
  };
  const notices = runtimes.differ
    ? []
    : [`across runtimes: both runs used ${describeRuntime(runtimes.candidate)}, so no runtime differs; compared as two runs of one runtime`];
  return { runtimes, notices };
}
