/**
 * What a run recorded before blocks and handicaps existed stands for, wherever such a run is read: a cases row
 * stored before schema version 4 (load-run.ts) and an export document of version 1 (run-document.ts). Runs
 * then sampled each case in one stretch, on the CPU the whole run was pinned to (if any), and no run could be
 * handicapped, so their handicap is null.
 */
import type { CaseBlock } from '../model/types.js';

/** The blocks of a case recorded before blocks existed: one, holding all `samples`, on the run's `pinnedCpu`. */
export function singleBlock(samples: number, pinnedCpu: number | null): CaseBlock[] {
  return [{ samples, cpu: pinnedCpu }];
}
