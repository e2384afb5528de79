/**
 * The native performance spool as the Recorder sees it: the addon records every generateKeyPair[Sync] call
 * (api.call, keygen.timing, security.burst) straight into a memory-mapped file without crossing into JS; this
 * module turns it on, sets which scopes it records, and feeds it the few API calls that happen in JS (exports,
 * and calls that fail before reaching the native keygen).
 *
 * The spool is process-wide (main thread, worker_threads, libuv threads). Opening it again replaces the previous
 * configuration; a replaced handle's setScopeMask and close do nothing.
 */
import { ErrorCodes, type Instrumentation, KeyscopeError, native } from '../../core/index.js';
import { apiNames, type ApiName } from '../events/index.js';

export interface NativeSpool {
  /** Bits of scopeBits (usage 1, performance 2, security 8; errors, 4, has no native records and is ignored); 0 records nothing. */
  setScopeMask(mask: number): void;
  /** Seals the current segment and turns every scope off. */
  close(): void;
  recordExport(api: 'exportPrivateKey' | 'exportPublicKey', algorithm: string, format: 'pem' | 'der' | 'jwk' | 'openssh', encrypted: boolean): void;
  /** An api.call that failed before the native keygen recorded it; `algorithm` is kept only if it is a valid id. */
  recordApiFailure(api: ApiName, algorithm: string | null): void;
}

export interface NativeSpoolOptions {
  /** The spool directory (AnalyticsPaths.spoolDir). Created 0700 on the first record, not before. */
  dir: string;
  installId: string;
  sessionId: string;
  keyscopeVersion: string;
  /** Keys in one wall-clock second that make a security.burst record. Default 1000. */
  burstThreshold?: number;
  /**
   * Called once if the spool cannot write its files (e.g. the directory is not writable): it has then turned
   * itself off, and key generation goes on unrecorded. Arrives on the event loop, after the failing record.
   */
  onWarning?: (message: string) => void;
  /** Records in the first segment (default 1024; each next one x4). For tests of segment rollover. */
  firstSegmentRecords?: number;
  /** Records in the largest segment (default 65536). */
  maxSegmentRecords?: number;
}

const apiIds: { readonly [A in ApiName]: number } = Object.fromEntries(apiNames.map((name, i) => [name, i])) as {
  [A in ApiName]: number;
};
/** A record's format code (analytics_spool.h: bits 2-3 of its flags, and bit 5 for 4 and up); 0 is "no format". */
const formatCodes = { pem: 1, der: 2, jwk: 3, openssh: 4 } as const;
/** SpoolRecord.algorithm holds 23 bytes; no valid id is longer, so nothing longer needs to reach the addon. */
const maxAlgorithmLength = 23;

function envelopeField(name: string, value: string, max: number): string {
  if (value.length > max || !/^[\x20-\x7e]*$/.test(value)) {
    throw new KeyscopeError(ErrorCodes.invalidOption, `openNativeSpool: ${name} must be at most ${max} printable ASCII characters`);
  }
  return value;
}

function count(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > 0xffffffff) {
    throw new KeyscopeError(ErrorCodes.invalidOption, `openNativeSpool: ${name} must be a whole number from 1 to 4294967295`);
  }
  return value;
}

export function openNativeSpool(options: NativeSpoolOptions): NativeSpool {
  const { onWarning } = options;
  let warned = false;
  const generation = native.analyticsSpoolOpen(
    {
      dir: options.dir,
      installId: envelopeField('installId', options.installId, 40),
      sessionId: envelopeField('sessionId', options.sessionId, 40),
      keyscopeVersion: envelopeField('keyscopeVersion', options.keyscopeVersion, 24),
      burstThreshold: count('burstThreshold', options.burstThreshold),
      firstSegmentRecords: count('firstSegmentRecords', options.firstSegmentRecords),
      maxSegmentRecords: count('maxSegmentRecords', options.maxSegmentRecords),
    },
    (reason) => {
      if (warned || onWarning === undefined) return;
      warned = true;
      try {
        onWarning(reason);
      } catch {
        // A throwing warning callback must not become an uncaught exception on the event loop.
      }
    },
  );
  let closed = false;
  return {
    setScopeMask(mask) {
      if (!closed) native.analyticsSpoolSetMask(generation, mask >>> 0);
    },
    close() {
      if (closed) return;
      closed = true;
      native.analyticsSpoolClose(generation);
    },
    recordExport(api, algorithm, format, encrypted) {
      if (closed) return;
      native.analyticsSpoolRecordExport(apiIds[api], algorithm.length > maxAlgorithmLength ? '' : algorithm, formatCodes[format], encrypted);
    },
    recordApiFailure(api, algorithm) {
      if (closed) return;
      const id = typeof algorithm === 'string' && algorithm.length <= maxAlgorithmLength ? algorithm : null;
      native.analyticsSpoolRecordApiFailure(apiIds[api], id);
    },
  };
}

/** KS_OPENSSL from a generate call comes from the native keygen, which has recorded the call itself. */
function recordedNatively(api: ApiName, error: unknown): boolean {
  return (
    (api === 'generateKeyPairSync' || api === 'generateKeyPair') &&
    error instanceof KeyscopeError &&
    error.code === ErrorCodes.openssl
  );
}

/**
 * The usage half of the keygen/export instrumentation hooks, for the analytics runtime to put into the
 * Instrumentation it installs (it adds the errors and security scopes): every public API call then yields
 * exactly one api.call record, whether it succeeded, failed validation in JS or native code, or failed in
 * OpenSSL. The algorithm is recorded only when it is a valid id, else "<invalid>": never the caller's text.
 */
export function spoolHooks(spool: NativeSpool): Pick<Instrumentation, 'apiFailed' | 'keyExported'> {
  return {
    apiFailed(api, error, algorithm) {
      if (recordedNatively(api, error)) return;
      spool.recordApiFailure(api, typeof algorithm === 'string' ? algorithm : null);
    },
    keyExported(api, algorithm, format, encrypted) {
      spool.recordExport(api, algorithm, format, encrypted);
    },
  };
}
