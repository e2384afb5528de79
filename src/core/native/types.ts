/** The shape of the compiled addon's exports: raw values, before the TypeScript layer types them richly. */
import type { OpenSSLErrorEntry } from '../errors.js';

export interface RawCounterReading {
  name: string;
  group: 'hardware' | 'software' | 'rusage' | 'memory';
  unit: 'count' | 'ns' | 'bytes';
  available: boolean;
  value?: number;
  scaled?: boolean;
  reason?: string;
}

export interface RawCycleCounter {
  available: boolean;
  source?: string;
  invariant?: boolean;
  frequencyHz?: number;
  note: string;
}

export interface RawTimerOverhead {
  ns: number;
  cycles: number;
  samples: number;
}

export interface RawMeasurement {
  ns: Float64Array;
  cycles: Float64Array | null;
  candidates: Float64Array | null;
  rounds: Float64Array | null;
  overhead: RawTimerOverhead;
  counters: RawCounterReading[];
  totalNs: number;
  cycleCounter: RawCycleCounter;
}

/** The algorithm table's answer for one id; `bits` is the RSA modulus size (0 for the fixed-size algorithms). */
export interface RawAlgorithm {
  id: string;
  family: string;
  bits: number;
  securityBits: number;
  /** Comma-separated: sign, encrypt, derive, encapsulate. */
  usages: string;
  weak: boolean;
  postQuantum: boolean;
}

export interface RawListedAlgorithm extends RawAlgorithm {
  supported: boolean;
  reason?: string;
}

/**
 * A generated key, held by the addon and named by this number (native/binding/key_table.h). A KeyPair owns one;
 * nothing else keeps or forges them.
 */
export type KeyHandle = number & { readonly __keyHandle: unique symbol };

export interface Sampler {
  begin(): void;
  end(): void;
  startCounters(counterMask: number): void;
  stopCounters(): RawCounterReading[];
  take(): { ns: Float64Array; cycles: Float64Array | null };
}

/** What analyticsSpoolOpen takes: the spool directory, the records' envelope and the writer's sizes. */
export interface RawSpoolOptions {
  dir: string;
  installId: string;
  sessionId: string;
  keyscopeVersion: string;
  burstThreshold?: number;
  firstSegmentRecords?: number;
  maxSegmentRecords?: number;
}

export interface NativeBinding {
  setErrorFactory(factory: (code: string, message: string, openssl: OpenSSLErrorEntry[]) => Error): void;
  opensslInfo(): { version: string; headerVersion: string; providers: string[] };
  listAlgorithms(): RawListedAlgorithm[];
  /** Throws KS_UNKNOWN_ALGORITHM, KS_INVALID_KEY_SIZE, or KS_WEAK_KEY_SIZE (a weak id without allowWeak). */
  parseAlgorithm(id: string, allowWeak: boolean): RawAlgorithm;
  generateKeyPairSync(id: string, allowWeak: boolean): KeyHandle;
  generateKeyPair(id: string, allowWeak: boolean): Promise<KeyHandle>;
  /** Both throw KS_KEY_RELEASED once the key is released. */
  exportPrivateKey(handle: KeyHandle, encoding: 'pem' | 'der', passphrase?: Buffer): Buffer;
  exportPublicKey(handle: KeyHandle, encoding: 'pem' | 'der'): Buffer;
  /** Frees the key now; the handle stays reserved until keyCollected. */
  releaseKey(handle: KeyHandle): void;
  /** The KeyPair holding the handle was collected: frees its key if release() did not, and frees the handle. */
  keyCollected(handle: KeyHandle): void;
  measureKeygen(
    id: string,
    allowWeak: boolean,
    iterations: number,
    timeMs: number,
    warmup: number,
    counterMask: number,
    seed?: number,
    firstKey?: number,
    /** Bench-only: each key spins for this fraction of its own time (0 in honest runs). */
    handicap?: number,
  ): Promise<RawMeasurement>;
  cycleCounter(): RawCycleCounter;
  Sampler: new (capacityHint: number) => Sampler;
  /** Configures the process-wide performance spool; returns its generation. onFailure fires at most once. */
  analyticsSpoolOpen(options: RawSpoolOptions, onFailure?: (reason: string) => void): number;
  analyticsSpoolSetMask(generation: number, mask: number): void;
  analyticsSpoolClose(generation: number): void;
  /** True while keyscope measures in this process: no key generated then is recorded (measurement is not usage). */
  analyticsSpoolSetMeasuring(measuring: boolean): void;
  /** api: index in apiNames; format: 1 pem, 2 der, 3 jwk. */
  analyticsSpoolRecordExport(api: number, algorithm: string, format: number, encrypted: boolean): void;
  analyticsSpoolRecordApiFailure(api: number, algorithm: string | null): void;
}
