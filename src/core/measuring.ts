/**
 * Measurement is not usage. While keyscope measures (a bench run, profile()), the keys it generates are the
 * benchmark's, not the user's: analytics records none of them, natively or through the hooks, so a bench run
 * leaves one summary event (the CLI records it after the run), never one event per iteration. measureKeygen()
 * needs no pause: its native loop never goes through the recorded keygen path.
 *
 * Process-wide, as the native spool is: keys a host generates in the same process while a measurement runs
 * are not recorded either. Nested and concurrent measurements share one count.
 */
import { pauseInstrumentation } from './instrumentation.js';
import { native } from './native/binding.js';

let depth = 0;

function setMeasuring(measuring: boolean): void {
  native.analyticsSpoolSetMeasuring(measuring);
  pauseInstrumentation(measuring);
}

/** Runs `fn` with analytics' recording of key generations paused, resumed when the last measurement ends. */
export async function whileMeasuring<T>(fn: () => Promise<T>): Promise<T> {
  // Counted only once the pause is on: a failed switch leaves no count behind that would keep it off for good.
  if (depth === 0) setMeasuring(true);
  depth++;
  try {
    return await fn();
  } finally {
    if (--depth === 0) setMeasuring(false);
  }
}
