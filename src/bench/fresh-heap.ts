/**
 * A full garbage collection before each block of a JS case. Measured on this project's VMs: node:crypto's
 * ec-p256 keygen ran at 35 µs in some 150 ms blocks and 50-120 µs in others of the same process, depending on
 * how much garbage earlier blocks (and other cases) had left; with a collection first, every block ran at 35 ±1 µs.
 * The blocks of a run then start alike, so their spread is the machine's noise, not the heap's history.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null | undefined;

function loadCollector(): (() => void) | null {
  try {
    // The documented way to reach V8's gc() without starting Node with --expose-gc: the flag applies to
    // contexts created while it is set, and is cleared again at once.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/** Collects garbage now; a no-op where V8 refuses (the blocks then start from whatever heap there is). */
export function collectGarbage(): void {
  if (collect === undefined) collect = loadCollector();
  collect?.();
}
