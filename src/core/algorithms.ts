/** The algorithms keyscope knows, as the native algorithm table describes them. */
import { native } from './native/binding.js';

/** The canonical ids listed by default; any `rsa-<bits>` (2048..16384, a multiple of 8) is valid too. */
export type AlgorithmId =
  | 'rsa-2048'
  | 'rsa-3072'
  | 'rsa-4096'
  | `rsa-${number}`
  | 'ec-p256'
  | 'ec-p384'
  | 'ec-p521'
  | 'ec-secp256k1'
  | 'ed25519'
  | 'ed448'
  | 'x25519'
  | 'x448'
  | 'ml-kem-512'
  | 'ml-kem-768'
  | 'ml-kem-1024'
  | 'ml-dsa-44'
  | 'ml-dsa-65'
  | 'ml-dsa-87';

export type AlgorithmFamily = 'rsa' | 'ec' | 'okp' | 'ml-kem' | 'ml-dsa';
export type KeyUsage = 'sign' | 'encrypt' | 'derive' | 'encapsulate';

export type AlgorithmInfo = {
  id: AlgorithmId;
  family: AlgorithmFamily;
  /** Security strength in bits (NIST SP 800-57). */
  securityBits: number;
  usages: KeyUsage[];
} & ({ supported: true } | { supported: false; reason: string });

/**
 * The security strength in bits of any id the algorithm table knows: every listed id and any `rsa-<bits>`, weak
 * sizes included. The same native table as listAlgorithms() answers, so every page and command agrees; null for
 * an id it does not know.
 */
export function securityBits(id: string): number | null {
  return native.securityBits(id);
}

let cached: AlgorithmInfo[] | undefined;

/** Every listed algorithm, with whether the running OpenSSL can generate it (and why not). */
export function listAlgorithms(): AlgorithmInfo[] {
  cached ??= native.listAlgorithms().map((raw) => {
    const common = {
      id: raw.id as AlgorithmId,
      family: raw.family as AlgorithmFamily,
      securityBits: raw.securityBits,
      usages: raw.usages.split(',') as KeyUsage[],
    };
    return raw.supported ? { ...common, supported: true } : { ...common, supported: false, reason: raw.reason ?? '' };
  });
  return cached.map((info) => ({ ...info, usages: [...info.usages] }));
}
