/**
 * Repeated-failure detection (security scope): the same error fingerprint failing again and again within a
 * minute is what a script hammering a bad configuration, or a probe, looks like. The tracker lives in the
 * process that sees the errors and turns a burst into ONE security.repeated-failures event per window, so a
 * storm of failures cannot become a storm of events.
 */
import type { RepeatedFailuresEvent } from '../events/index.js';

export interface RepeatedFailureOptions {
  /** Failures of one fingerprint within the window that count as repeated. Default 5. */
  threshold?: number;
  /** The window, in milliseconds. Default 60 000. */
  windowMs?: number;
}

interface FingerprintHistory {
  /** Times of the failures still inside the window, oldest first. */
  times: number[];
  /** When this fingerprint was last reported; nothing more is reported until a full window has passed. */
  reportedAt: number | null;
}

/** Fingerprints remembered at most: an error per key (impossible, but cheap to bound) cannot grow memory. */
const maxFingerprints = 1000;
/** Failure times kept per fingerprint: enough to report how bad a storm is without keeping all of it. */
const maxTimesPerFingerprint = 10_000;

export class RepeatedFailureTracker {
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly histories = new Map<string, FingerprintHistory>();

  constructor(options: RepeatedFailureOptions = {}) {
    this.threshold = options.threshold ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
  }

  /**
   * Notes one failure at `now` (ms). Returns the event to record when this failure makes `threshold` or more
   * within the last window and the fingerprint was not reported within the last window; otherwise null.
   */
  noteFailure(fingerprint: string, code: string | null, now: number): RepeatedFailuresEvent | null {
    const history = this.historyOf(fingerprint);
    const windowStart = now - this.windowMs;
    while (history.times.length > 0 && history.times[0]! <= windowStart) history.times.shift();
    if (history.times.length >= maxTimesPerFingerprint) history.times.shift();
    history.times.push(now);

    if (history.reportedAt !== null && history.reportedAt > windowStart) return null;
    if (history.times.length < this.threshold) return null;
    history.reportedAt = now;
    return {
      type: 'security.repeated-failures',
      scope: 'security',
      fingerprint,
      code,
      failures: history.times.length,
      windowSeconds: Math.round(this.windowMs / 1000),
    };
  }

  private historyOf(fingerprint: string): FingerprintHistory {
    let history = this.histories.get(fingerprint);
    if (history === undefined) {
      if (this.histories.size >= maxFingerprints) {
        // Maps iterate in insertion order: forget the fingerprint noted first.
        const oldest = this.histories.keys().next().value;
        if (oldest !== undefined) this.histories.delete(oldest);
      }
      history = { times: [], reportedAt: null };
      this.histories.set(fingerprint, history);
    }
    return history;
  }
}
