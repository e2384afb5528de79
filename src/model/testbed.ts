/**
 * A testbed is where a run's numbers are worth comparing with another run's: the same hardware and the same
 * software under the code being measured. A run's history and its named baselines are kept per testbed.
 *
 * When nobody names one (`bench --testbed NAME`), a run's testbed is derived from its environment: a short
 * hash of exactly the fields that make timings incomparable (compare/environment-diff.ts calls them
 * significant). The kernel, the governor, the pinning and keyscope's own version are left out: CI runners
 * update kernels without notice, and keyscope's version moves with the very commits a history is meant to judge.
 */
import { createHash } from 'node:crypto';

import type { EnvironmentFingerprint } from './types.js';

/** How many hex digits a derived testbed keeps: 8 (32 bits) keeps two machines' testbeds apart, and is short to type. */
const derivedLength = 8;

export function derivedTestbed(environment: EnvironmentFingerprint): string {
  const identity = [
    environment.cpuModel,
    [...environment.cpuFlags].sort().join(' '),
    environment.cores,
    environment.platform,
    environment.arch,
    environment.node,
    environment.openssl,
    environment.addonBuild,
  ];
  // A handicapped run (slowed on purpose to measure a gate's power) never joins an honest testbed's history.
  if (environment.handicap !== null) identity.push(`handicap ${environment.handicap}`);
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, derivedLength);
}

/** What a testbed name may be: what people type, and what fits in a CI cache key. */
export const testbedPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
