/**
 * The bench helper addon: a bare EVP_PKEY_keygen loop on a reused context, the physical limit that
 * measureKeygen is held to. Built by CMakeLists.txt into build/bench/ (never shipped in prebuilds).
 */
import { createRequire } from 'node:module';

interface BareLoopAddon {
  bareKeygenLoop(keyType: string, group: string | null, iterations: number): Promise<Float64Array>;
  bareKeygenLoopSync(keyType: string, group: string | null, iterations: number): Float64Array;
}

const require = createRequire(import.meta.url);
export const bareLoop = require('../build/bench/keyscope_bench.node') as BareLoopAddon;

/** OpenSSL key type and group for the algorithms the bare loop is compared on. */
export const bareLoopTargets = {
  ed25519: { keyType: 'ED25519', group: null },
  'ec-p256': { keyType: 'EC', group: 'P-256' },
} as const;
