/**
 * KEYSCOPE_BENCH_HANDICAP: a test hook that makes every measured operation slower by a known fraction, so that
 * the regression gate's power can be measured on real runs (bench/validity.bench.ts). Native cases spin inside
 * the addon's timed region; JS cases spin after each call, inside tinybench's timing. Either way the extra time
 * is that fraction of the operation's own time, and the run's fingerprint records it (a handicapped run never
 * passes for an honest one). Unset or empty: no handicap.
 */
import { ErrorCodes, InvalidArgumentError, parseFraction } from '../core/index.js';

export const handicapVariable = 'KEYSCOPE_BENCH_HANDICAP';

/** The handicap asked for in `env`, as a fraction (0.1 for `10%`), or null when none is. */
export function handicapFromEnvironment(env: NodeJS.ProcessEnv = process.env): number | null {
  const text = env[handicapVariable];
  if (text === undefined || text.trim() === '') return null;
  const parsed = parseFraction(text, { min: 0, max: 1, minInclusive: false });
  if (!parsed.ok) throw new InvalidArgumentError(ErrorCodes.invalidOption, `${handicapVariable} ${parsed.problem}, got "${text}"`);
  return parsed.value;
}

function spinUntil(deadline: number): void {
  while (performance.now() < deadline) {
    // busy: the point is to take CPU time, as slower code would
  }
}

/** fn, made slower by `handicap` of each call's own time (for a promise, of the time until it settles). */
export function withHandicap(fn: () => unknown, handicap: number): () => unknown {
  return () => {
    const started = performance.now();
    const slow = () => spinUntil(started + (performance.now() - started) * (1 + handicap));
    const value = fn();
    if (value instanceof Promise) {
      return value.then((settled) => {
        slow();
        return settled;
      });
    }
    slow();
    return value;
  };
}
