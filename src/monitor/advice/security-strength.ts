/**
 * Security strength and use of each algorithm, for "is there a cheaper alternative at least as strong?".
 *
 * The strength is the one `keyscope algorithms` lists, from the native algorithm table (securityBits): RSA by
 * the SP 800-56B estimate OpenSSL itself reports (rsa-3072 128, rsa-4096 152 bits), the others by SP 800-57
 * and, for ML-KEM and ML-DSA, their NIST category. Only uses and post-quantum-ness are this module's own.
 *
 * Uses are what a key can stand in for: a signature key, or a key-establishment key (key agreement for EC
 * and X25519/X448, key transport for RSA-OAEP, encapsulation for ML-KEM). An alternative must share a use
 * with the algorithm it replaces: ed25519 is no alternative to x25519, nor x25519 to ed25519.
 *
 * Post-quantum (ML-KEM, ML-DSA) is a property the bit count does not capture: the classical "bits" of
 * ec-p521 exceed ml-kem-768's, yet a quantum computer breaks the one and not the other. Someone who chose
 * a post-quantum algorithm chose it for that, so only a post-quantum algorithm may replace one; a
 * post-quantum alternative to a classical algorithm is fine.
 */
import { securityBits } from '../../core/index.js';

export type KeyUse = 'signature' | 'key-establishment';

export interface SecurityStrength {
  bits: number;
  uses: readonly KeyUse[];
  /** Resists a quantum computer (ML-KEM, ML-DSA); RSA, EC and the Edwards/Montgomery curves do not. */
  postQuantum: boolean;
}

const both: readonly KeyUse[] = ['signature', 'key-establishment'];
const signature: readonly KeyUse[] = ['signature'];
const keyEstablishment: readonly KeyUse[] = ['key-establishment'];

const fixed: Readonly<Record<string, Omit<SecurityStrength, 'bits'>>> = {
  'ec-p256': { uses: both, postQuantum: false },
  'ec-secp256k1': { uses: both, postQuantum: false },
  'ec-p384': { uses: both, postQuantum: false },
  'ec-p521': { uses: both, postQuantum: false },
  ed25519: { uses: signature, postQuantum: false },
  ed448: { uses: signature, postQuantum: false },
  x25519: { uses: keyEstablishment, postQuantum: false },
  x448: { uses: keyEstablishment, postQuantum: false },
  'ml-kem-512': { uses: keyEstablishment, postQuantum: true },
  'ml-kem-768': { uses: keyEstablishment, postQuantum: true },
  'ml-kem-1024': { uses: keyEstablishment, postQuantum: true },
  'ml-dsa-44': { uses: signature, postQuantum: true },
  'ml-dsa-65': { uses: signature, postQuantum: true },
  'ml-dsa-87': { uses: signature, postQuantum: true },
};

/** The strength and uses of `algorithm`, or null for an id the algorithm table does not know. */
export function securityStrength(algorithm: string): SecurityStrength | null {
  const bits = securityBits(algorithm);
  if (bits === null) return null;
  if (/^rsa-\d+$/.test(algorithm)) return { bits, uses: both, postQuantum: false };
  const known = fixed[algorithm];
  return known === undefined ? null : { bits, ...known };
}

/** The uses two algorithms share (empty: neither can stand in for the other). */
export function sharedUses(a: SecurityStrength, b: SecurityStrength): KeyUse[] {
  return a.uses.filter((use) => b.uses.includes(use));
}
