/**
 * How far a run is and how long it has left, from the time budgets of its planned steps (a step is one block of
 * one case). A step that stops early (its precision reached) counts as its whole budget done, so the pace
 * measured so far (wall time per budget millisecond done) already reflects how much of their budgets steps tend
 * to use; the time left is the budget not yet done at that pace. Before anything is done, the budgets themselves
 * are the estimate.
 */
export class RunEstimate {
  readonly #budgetsMs: readonly number[];
  readonly #totalMs: number;
  readonly #startedAt: number;
  #finishedMs = 0;
  #currentMs = 0;
  #finished = 0;

  constructor(budgetsMs: readonly number[], now: number = performance.now()) {
    this.#budgetsMs = budgetsMs;
    this.#totalMs = budgetsMs.reduce((sum, ms) => sum + ms, 0);
    this.#startedAt = now;
  }

  get totalMs(): number {
    return this.#totalMs;
  }

  get steps(): number {
    return this.#budgetsMs.length;
  }

  get finished(): number {
    return this.#finished;
  }

  /** Budget milliseconds done: every finished step's whole budget and the running step's elapsed part of its own. */
  get doneMs(): number {
    return this.#finishedMs + this.#currentMs;
  }

  stepProgress(index: number, elapsedMs: number): void {
    this.#currentMs = Math.min(Math.max(elapsedMs, 0), this.#budgetsMs[index] ?? 0);
  }

  stepEnded(index: number): void {
    this.#finishedMs += this.#budgetsMs[index] ?? 0;
    this.#currentMs = 0;
    this.#finished++;
  }

  elapsedMs(now: number = performance.now()): number {
    return now - this.#startedAt;
  }

  remainingMs(now: number = performance.now()): number {
    const left = this.#totalMs - this.doneMs;
    if (left <= 0) return 0;
    const done = this.doneMs;
    // Too little done for a pace (the first moments of the first step): the budgets are the estimate.
    if (done < Math.min(500, this.#totalMs * 0.01)) return left;
    return (left * this.elapsedMs(now)) / done;
  }
}

/** 3h 05m, 4m 10s, 12s: what a person reads at a glance. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
