/**
 * What a comparison says about where its runs were measured, before its table: the runtimes compared (across
 * runtimes), a warning when something that moves timings differs by accident, and the differences to list.
 * Shared by the text and markdown formats, so that both frame a runtime comparison the same way.
 */
import { describeMachine, describeRuntime } from '../across-runtimes.js';
import { runtimeFields } from '../environment-diff.js';
import type { EnvironmentDifference, RunComparison } from '../types.js';

export interface EnvironmentLines {
  /** Across runtimes: the runtimes compared and the one machine they ran on ("Node … (OpenSSL …) -> …, same machine (…)"); else null. */
  runtimes: string | null;
  /** A significant difference nobody asked to compare, as a sentence without its "WARNING"; null when there is none. */
  warning: string | null;
  /** The differences to list (across runtimes, the runtime's own fields are in the runtimes line instead). */
  differences: EnvironmentDifference[];
}

export function environmentLines(comparison: Pick<RunComparison, 'environment' | 'runtimes'>): EnvironmentLines {
  const { environment, runtimes } = comparison;
  const differences = runtimes ? environment.differences.filter((d) => !runtimeFields.has(d.field)) : environment.differences;
  const significant = differences.filter((d) => d.significant);
  let warning: string | null = null;
  if (runtimes && significant.length > 0) {
    warning = `besides the runtime, the runs differ in ${significant.map((d) => d.field).join(', ')}; timings may differ for that reason too`;
  } else if (significant.length > 0) {
    warning = environment.sameMachine
      ? 'the runs used different software; timings may differ for that reason alone'
      : 'the runs were measured on different machines; timings are not comparable';
  }
  const line = runtimes
    ? `${describeRuntime(runtimes.baseline)} ${runtimes.differ ? `-> ${describeRuntime(runtimes.candidate)}` : 'on both sides'}, same machine (${describeMachine(runtimes.machine)})`
    : null;
  return { runtimes: line, warning, differences };
}
