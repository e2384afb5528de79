/**
 * Analytics for one process: the recorder (the single write path), the native performance spool whose scopes
 * only the recorder sets, and the instrumentation hooks through which the keygen and export paths report.
 * The CLI starts it after settling consent; the library starts it when the host opts in. There is at most one
 * per process, because the native spool is process-wide.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { isUsageOutcome, keyscopeVersion, setInstrumentation } from '../../core/index.js';
import { errorEventFrom } from './error-event.js';
import { RepeatedFailureTracker } from './repeated-failures.js';
import type { AnalyticsPaths, Surface } from '../events/index.js';
import { createRecorder, type Recorder } from './recorder.js';
import { perfSpoolPattern, readSpoolSegment } from '../spool/index.js';
import { type NativeSpool, openNativeSpool, spoolHooks } from './native-spool.js';
import { opensslVersion } from './versions.js';
import type { EffectiveConsent } from './consent/types.js';

export interface StartAnalyticsOptions {
  consent: EffectiveConsent;
  paths: AnalyticsPaths;
  surface: Surface;
  sessionId: string;
  /** Records session.start (a CLI session continues across commands; a library session is the process). */
  isNewSession: boolean;
  /** KEYSCOPE_ANALYTICS_DEBUG=1: every recorded event is printed here. */
  debug: NodeJS.WritableStream | null;
  /** Each warning once, as a full line without the newline. */
  onWarning: (line: string) => void;
}

export interface AnalyticsRuntime {
  readonly recorder: Recorder;
  /**
   * An error that surfaced at an API or CLI boundary: an error event if it is a failure (errors.ts
   * errorCodeKinds), and a repeated-failures signal if due.
   */
  recordError(error: unknown, context: { operation: string; algorithm?: string }): void;
  /** Seals this process's spools; later events are dropped. Idempotent. */
  stop(): void;
}

let active: AnalyticsRuntime | null = null;

/** The runtime of this process, if analytics was started. */
export function activeAnalytics(): AnalyticsRuntime | null {
  return active;
}

/**
 * Prints what the native spool recorded (it never crosses into JS) for KEYSCOPE_ANALYTICS_DEBUG: each call
 * reads this process's segments from where it left off.
 */
function nativeDebugPrinter(paths: AnalyticsPaths, sessionId: string, debug: NodeJS.WritableStream): () => void {
  const printed = new Map<string, number>();
  return () => {
    let names: string[];
    try {
      names = readdirSync(paths.spoolDir).filter((name) => perfSpoolPattern.exec(name)?.[1] === String(process.pid)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      try {
        const segment = readSpoolSegment(join(paths.spoolDir, name), printed.get(name) ?? 0);
        if (segment.header.sessionId !== sessionId) continue;
        for (const event of segment.events) debug.write(`keyscope analytics: ${JSON.stringify(event)}\n`);
        printed.set(name, segment.nextRecord);
      } catch {
        // Debug output is best effort.
      }
    }
  };
}

export function startAnalytics(options: StartAnalyticsOptions): AnalyticsRuntime {
  active?.stop();
  const { consent, paths, debug } = options;
  const installId = consent.installId;
  let warned = false;
  const warnOnce = (line: string) => {
    if (warned) return;
    warned = true;
    options.onWarning(line);
  };

  let nativeSpool: NativeSpool | null = null;
  if (installId !== null) {
    try {
      nativeSpool = openNativeSpool({
        dir: paths.spoolDir,
        installId,
        sessionId: options.sessionId,
        keyscopeVersion,
        onWarning: (reason) => warnOnce(`keyscope: warning: analytics could not write to ${paths.spoolDir} (${reason}); key generation is not recorded`),
      });
    } catch (error) {
      warnOnce(`keyscope: warning: analytics' performance spool is off (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const recorder = createRecorder({ consent, paths, sessionId: options.sessionId, nativeSpool, debug, onWarning: (line) => warnOnce(`keyscope: warning: ${line.replace(/^keyscope: /, '')}`) });
  const failures = new RepeatedFailureTracker();
  const printNative = debug ? nativeDebugPrinter(paths, options.sessionId, debug) : null;
  // Native records never pass through JS, so debug mode polls them (the timer never keeps the process alive).
  const debugTimer = printNative ? setInterval(printNative, 250).unref() : null;

  // An error crosses several boundaries on its way out (the API, then the CLI): it is recorded at the first.
  const recorded = new WeakSet<object>();

  function recordError(error: unknown, context: { operation: string; algorithm?: string }): void {
    if (!recorder.enabled('errors') && !recorder.enabled('security')) return;
    if (typeof error === 'object' && error !== null) {
      if (recorded.has(error)) return;
      recorded.add(error);
    }
    try {
      const event = errorEventFrom(error, context);
      // An outcome (a typo, a refused input) is the caller's answer, not keyscope failing: no error group. It
      // still counts towards repeated failures, which is how a script hammering a bad configuration shows.
      if (!isUsageOutcome(error)) recorder.record(event);
      const repeated = failures.noteFailure(event.fingerprint, event.code, Date.now());
      if (repeated) recorder.record(repeated);
    } catch {
      // Error tracking must never replace the error being reported.
    }
  }

  const usageHooks = nativeSpool ? spoolHooks(nativeSpool) : null;
  setInstrumentation({
    apiFailed(api, error, algorithm) {
      usageHooks?.apiFailed(api, error, algorithm);
      recordError(error, { operation: `api ${api}`, ...(typeof algorithm === 'string' ? { algorithm } : {}) });
    },
    keyExported(api, algorithm, format, encrypted) {
      usageHooks?.keyExported(api, algorithm, format, encrypted);
    },
    weakParameters(operation, algorithm) {
      recorder.record({ type: 'security.weak-parameters', scope: 'security', operation, algorithm });
    },
  });

  if (options.isNewSession) {
    recorder.record({
      type: 'session.start',
      scope: 'usage',
      surface: options.surface,
      platform: process.platform,
      arch: process.arch,
      nodeVersion: process.versions.node,
      opensslVersion: opensslVersion(),
    });
  }

  const stop = () => {
    if (runtime !== active) return;
    active = null;
    setInstrumentation(null);
    process.off('exit', stop);
    if (debugTimer) clearInterval(debugTimer);
    recorder.close();
    printNative?.();
  };
  const runtime: AnalyticsRuntime = { recorder, recordError, stop };
  active = runtime;
  // Seal the spools on any normal exit, so ingest can delete them as soon as they are read.
  process.on('exit', stop);
  return runtime;
}
