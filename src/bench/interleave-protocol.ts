/**
 * The messages between an interleaved session (interleave.ts) and the worker process of each build
 * (interleave-worker.ts), over Node's IPC channel with the advanced serialization (typed arrays travel as they
 * are). One request at a time; every request has exactly one reply, progress messages aside. A build whose
 * worker speaks another protocol is refused before anything is measured.
 */
import type { CaseKey, CaseParameters, CaseResult, RunRecord } from '../model/index.js';
import type { AdaptiveProgress } from './adaptive.js';
import type { ResolvedCaseBudget } from './case-budget.js';
import type { BlockOutcome } from './run-case.js';

/** 2: blocks come back raw (the session joins them across a build's processes) and take a position. */
export const interleaveProtocol = 2;

export type WorkerRequest =
  /** Find the suites (as `keyscope bench` would, from the session's directory) and plan their cases. */
  | { type: 'open'; patterns: string[]; dir: string | null; quick: boolean; blocks: number | null; cpus: number[]; cwd: string; gitCwd: string }
  /**
   * Measure the next block of case `index`, pinned to `cpu` first (null: where the worker is); `position` is the
   * block's place among the case's blocks joined from every process of the build (seeded keys follow it).
   */
  | { type: 'measure'; index: number; cpu: number | null; position: number }
  /** The run so far as a record (its provenance and environment), with only the cases in `keep`. */
  | { type: 'close'; status: RunRecord['status']; keep: number[] };

export interface PlannedCaseInfo {
  key: CaseKey;
  parameters: CaseParameters;
  open: boolean;
  blockMs: number;
  budget: ResolvedCaseBudget;
}

export type WorkerReply =
  | { type: 'opened'; protocol: number; cases: PlannedCaseInfo[]; blocks: number }
  | { type: 'progress'; index: number; progress: AdaptiveProgress }
  /**
   * `block`: the block measured, or null when none was kept (no samples, or the case errored); `open`: whether
   * the case takes more blocks; `failure`: the case's error once it errored.
   */
  | { type: 'measured'; index: number; open: boolean; block: BlockOutcome | null; failure: CaseResult | null }
  | { type: 'closed'; run: RunRecord }
  | { type: 'failed'; code: string; message: string };
