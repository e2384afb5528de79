/**
 * The messages between an interleaved session (interleave.ts) and the worker process of each build
 * (interleave-worker.ts), over Node's IPC channel with the advanced serialization (typed arrays travel as they
 * are). One request at a time; every request has exactly one reply, progress messages aside. A build whose
 * worker speaks another protocol is refused before anything is measured.
 */
import type { CaseKey, CaseParameters, RunRecord } from '../model/index.js';
import type { AdaptiveProgress } from './adaptive.js';

export const interleaveProtocol = 1;

export type WorkerRequest =
  /** Find the suites (as `keyscope bench` would, from the session's directory) and plan their cases. */
  | { type: 'open'; patterns: string[]; dir: string | null; quick: boolean; blocks: number | null; cpus: number[]; cwd: string; gitCwd: string }
  /** Measure the next block of case `index`, pinned to `cpu` first (null: where the worker is). */
  | { type: 'measure'; index: number; cpu: number | null }
  /** The run so far as a record, with only the cases in `keep`. */
  | { type: 'close'; status: RunRecord['status']; keep: number[] };

export interface PlannedCaseInfo {
  key: CaseKey;
  parameters: CaseParameters;
  open: boolean;
  blockMs: number;
}

export type WorkerReply =
  | { type: 'opened'; protocol: number; cases: PlannedCaseInfo[]; blocks: number }
  | { type: 'progress'; index: number; progress: AdaptiveProgress }
  /** `open`: whether the case takes more blocks (false once it errored); `blocks`: the blocks it has kept. */
  | { type: 'measured'; index: number; open: boolean; blocks: number }
  | { type: 'closed'; run: RunRecord }
  | { type: 'failed'; code: string; message: string };
