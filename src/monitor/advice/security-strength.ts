/**
 * Security strength and use of each algorithm, for "is there a cheaper alternative at least as strong?". All of
 * it is the native algorithm table's answer (findAlgorithm), so recommend counts what `keyscope algorithms` lists
 * (rsa-3072 128, rsa-4096 152 bits); only what a use is belongs to this module.
 *
 * Uses are what a key can stand in for: a signature key, or a key-establishment key (key agreement for EC
 * and X25519/X448, key transport for RSA-OAEP, encapsulation for ML-KEM). An alternative must share a use
 * with the algorithm it replaces: ed25519 is no alternative to x25519, nor x25519 to ed25519.
 *
 * Post-quantum (ML-KEM, ML-DSA, SLH-DSA) is a property the bit count does not capture: the classical "bits" of
 * ec-p521 exceed ml-kem-768's, yet a quantum computer breaks the one and not the other. Someone who chose
 * a post-quantum algorithm chose it for that, so only a post-quantum algorithm may replace one; a
 * post-quantum alternative to a classical algorithm is fine.
 */
import { findAlgorithm, type KeyUsage } from '../../core/index.js';

export type KeyUse = 'signature' | 'key-establishment';

export interface SecurityStrength {
  bits: number;
  uses: readonly KeyUse[];
  /** Resists a quantum computer (ML-KEM, ML-DSA, SLH-DSA); RSA, EC and the Edwards/Montgomery curves do not. */
  postQuantum: boolean;
}

/** The use each of the table's usages serves: encryption (RSA-OAEP), derivation and encapsulation all establish keys. */
const useOf: Readonly<Record<KeyUsage, KeyUse>> = {
  sign: 'signature',
  encrypt: 'key-establishment',
  derive: 'key-establishment',
  encapsulate: 'key-establishment',
};

/** The strength and uses of `algorithm`, or null for an id the algorithm table does not know. */
export function securityStrength(algorithm: string): SecurityStrength | null {
  const found = findAlgorithm(algorithm);
  if (found === null) return null;
  const uses = [...new Set(found.usages.map((usage) => useOf[usage]))];
  return { bits: found.securityBits, uses, postQuantum: found.postQuantum };
}

/** The uses two algorithms share (empty: neither can stand in for the other). */
export function sharedUses(a: SecurityStrength, b: SecurityStrength): KeyUse[] {
  return a.uses.filter((use) => b.uses.includes(use));
}
