/**
 * The bench helper addon, built by CMakeLists.txt into build/bench/ (never shipped in prebuilds): a bare
 * EVP_PKEY_keygen loop on a reused context, the physical limit that measureKeygen is held to; and the seeded
 * loop with a handicap, which slows every key by a known fraction to measure what a comparison can detect.
 */
import { createRequire } from 'node:module';

export interface BenchHelperAddon {
  bareKeygenLoop(keyType: string, group: string | null, iterations: number): Promise<Float64Array>;
  bareKeygenLoopSync(keyType: string, group: string | null, iterations: number): Float64Array;
  /** The same keygen, one JS call per key (bareKeygenCall), holding each key until bareKeygenDrop. */
  bareKeygenPrepare(keyType: string, group: string | null): void;
  bareKeygenCall(): void;
  bareKeygenDrop(): void;
  /** measureKeygen's seeded loop; each key spins for handicapFraction of its own keygen time inside its timed span. */
  measureSeeded(
    algorithm: string,
    seed: number,
    firstKey: number,
    iterations: number,
    handicapFraction: number,
  ): Promise<{ ns: Float64Array; candidates: Float64Array | null; rounds: Float64Array | null }>;
}

const require = createRequire(import.meta.url);
export const bareLoop = require('../build/bench/keyscope_bench.node') as BenchHelperAddon;

/**
 * OpenSSL key type and group for the algorithms the bare loop is compared on. The post-quantum two run where the
 * running OpenSSL has them (3.5, Node 24); the bench asks listAlgorithms() which those are.
 */
export const bareLoopTargets = {
  ed25519: { keyType: 'ED25519', group: null },
  'ec-p256': { keyType: 'EC', group: 'P-256' },
  'ml-kem-768': { keyType: 'ML-KEM-768', group: null },
  'ml-dsa-65': { keyType: 'ML-DSA-65', group: null },
} as const;
