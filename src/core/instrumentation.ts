/**
 * Hooks through which the key generation and export paths report to analytics, without depending on it:
 * analytics installs an implementation when it is enabled (CLI consent or the library's explicit opt-in),
 * and with none installed every hook is one null check. Nothing here records by itself.
 */

export interface Instrumentation {
  /** A public API call failed (called before the error reaches the caller). `algorithm` is the raw argument. */
  apiFailed(api: 'generateKeyPairSync' | 'generateKeyPair' | 'exportPrivateKey' | 'exportPublicKey', error: unknown, algorithm: unknown): void;
  /** An export succeeded (the generate paths record natively, never through here). */
  keyExported(api: 'exportPrivateKey' | 'exportPublicKey', algorithm: string, format: 'pem' | 'der' | 'jwk' | 'openssh', encrypted: boolean): void;
  /** The caller asked for weak parameters (allowWeak with RSA below 2048 bits). */
  weakParameters(operation: string, algorithm: string): void;
}

let installed: Instrumentation | null = null;
/** Set while keyscope measures (measuring.ts): the keys are the benchmark's, so the hooks stay silent. */
let paused = false;

export function instrumentation(): Instrumentation | null {
  return paused ? null : installed;
}

/** Silences the hooks while keyscope measures, and brings them back. Only measuring.ts calls this. */
export function pauseInstrumentation(pause: boolean): void {
  paused = pause;
}

/** Installs (or, with null, removes) the hooks. Only analytics calls this. */
export function setInstrumentation(hooks: Instrumentation | null): void {
  installed = hooks;
}
