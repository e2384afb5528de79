/**
 * What a run recorded before a field existed stands for, wherever such a run is read: a row stored before the
 * schema step that added the column (load-run.ts, run-rows.ts) and an export document of a version before the
 * field (run-document.ts).
 *
 * Blocks and handicaps (schema version 4, document version 2): runs then sampled each case in one stretch, on
 * the CPU the whole run was pinned to (if any), and no run could be handicapped, so their handicap is null.
 *
 * Testbeds (schema version 5, document version 3): nobody could name one, so every such run is on the testbed
 * derived from its environment, exactly as a run is today when nobody names one.
 */
import { derivedTestbed } from '../model/index.js';
import type { CaseBlock, EnvironmentFingerprint } from '../model/types.js';

/** The blocks of a case recorded before blocks existed: one, holding all `samples`, on the run's `pinnedCpu`. */
export function singleBlock(samples: number, pinnedCpu: number | null): CaseBlock[] {
  return [{ samples, cpu: pinnedCpu }];
}

/**
 * The testbed of a run recorded before testbeds existed: the one derived from its environment. It is derived
 * when such a run is read rather than written into the store by the migration, so that a migration step stays
 * plain SQL, exactly as it shipped (schema.ts); the cost is that filtering by testbed derives it for those runs
 * in code (list-runs.ts), and they are a fixed set that no later save adds to.
 */
export function legacyTestbed(environment: EnvironmentFingerprint): string {
  return derivedTestbed(environment);
}
