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

export interface RawAlgorithm {
  id: string;
  family: string;
  securityBits: number;
  usages: string;
  supported: boolean;
  reason?: string;
}

export interface KeyPairHandle {
  exportPrivate(encoding: 'pem' | 'der', passphrase?: Buffer): Buffer;
  exportPublic(encoding: 'pem' | 'der'): Buffer;
  release(): void;
  readonly released: boolean;
}

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
  listAlgorithms(): RawAlgorithm[];
  securityBits(id: string): number | null;
  generateKeyPairSync(id: string, allowWeak: boolean): KeyPairHandle;
  generateKeyPair(id: string, allowWeak: boolean): Promise<KeyPairHandle>;
  measureKeygen(
    id: string,
    allowWeak: boolean,
    iterations: number,
    timeMs: number,
    warmup: number,
    counterMask: number,
    seed?: number,
    firstKey?: number,
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
