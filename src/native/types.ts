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

export interface NativeBinding {
  setErrorFactory(factory: (code: string, message: string, openssl: OpenSSLErrorEntry[]) => Error): void;
  opensslInfo(): { version: string; headerVersion: string; providers: string[] };
  listAlgorithms(): RawAlgorithm[];
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
}
