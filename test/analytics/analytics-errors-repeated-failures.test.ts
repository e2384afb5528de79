import { describe, expect, it } from 'vitest';

import { RepeatedFailureTracker } from '../../src/analytics/capture/repeated-failures.js';

const second = 1000;

describe('repeated failures within a minute', () => {
  it('reports on the fifth failure of one fingerprint within 60 s, once per window', () => {
    const tracker = new RepeatedFailureTracker();
    const results = [0, 10, 20, 30].map((s) => tracker.noteFailure('aaaa', 'KS_OPENSSL', s * second));
    expect(results).toEqual([null, null, null, null]);

    expect(tracker.noteFailure('aaaa', 'KS_OPENSSL', 40 * second)).toEqual({
      type: 'security.repeated-failures',
      scope: 'security',
      fingerprint: 'aaaa',
      code: 'KS_OPENSSL',
      failures: 5,
      windowSeconds: 60,
    });
    // Still within the minute after the report: no second event however many more failures come.
    for (let s = 41; s < 100; s += 1) expect(tracker.noteFailure('aaaa', 'KS_OPENSSL', s * second)).toBeNull();
    // A full window after the report, the storm (still >= 5 within the last minute) is reported once more.
    expect(tracker.noteFailure('aaaa', 'KS_OPENSSL', 100 * second)).toMatchObject({ failures: 60 });
    expect(tracker.noteFailure('aaaa', 'KS_OPENSSL', 101 * second)).toBeNull();
  });

  it('does not count failures older than the window', () => {
    const tracker = new RepeatedFailureTracker();
    for (const s of [0, 20, 40, 59]) expect(tracker.noteFailure('bbbb', null, s * second)).toBeNull();
    // At 61 s the failure at 0 s has left the window: 4 within the last minute.
    expect(tracker.noteFailure('bbbb', null, 61 * second)).toBeNull();
    expect(tracker.noteFailure('bbbb', null, 62 * second)).toMatchObject({ fingerprint: 'bbbb', code: null, failures: 5 });
  });

  it('counts each fingerprint on its own', () => {
    const tracker = new RepeatedFailureTracker({ threshold: 3, windowMs: 10 * second });
    expect(tracker.noteFailure('a', null, 0)).toBeNull();
    expect(tracker.noteFailure('b', null, 1)).toBeNull();
    expect(tracker.noteFailure('a', null, 2)).toBeNull();
    expect(tracker.noteFailure('b', null, 3)).toBeNull();
    expect(tracker.noteFailure('a', null, 4)).toMatchObject({ fingerprint: 'a', failures: 3, windowSeconds: 10 });
    expect(tracker.noteFailure('b', null, 5)).toMatchObject({ fingerprint: 'b', failures: 3 });
  });
});
