/**
 * Security strength and use of each algorithm, for "is there a cheaper alternative at least as strong?".
 *
 * Strengths are the tiers of NIST SP 800-57 Part 1 Rev. 5, Table 2, read conservatively: an RSA modulus
 * between two rows counts at the lower row, so rsa-4096 is a 128-bit key (the table has no 4096 row; its
 * estimated ~140-152 bits give no higher tier). ML-KEM and ML-DSA take their NIST category's AES strength
 * (FIPS 203/204: categories 1, 3, 5 = 128, 192, 256).
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

const fixed: Readonly<Record<string, SecurityStrength>> = {
  'ec-p256': { bits: 128, uses: both, postQuantum: false },
  'ec-secp256k1': { bits: 128, uses: both, postQuantum: false },
  'ec-p384': { bits: 192, uses: both, postQuantum: false },
  'ec-p521': { bits: 256, uses: both, postQuantum: false },
  ed25519: { bits: 128, uses: signature, postQuantum: false },
  ed448: { bits: 224, uses: signature, postQuantum: false },
  x25519: { bits: 128, uses: keyEstablishment, postQuantum: false },
  x448: { bits: 224, uses: keyEstablishment, postQuantum: false },
  'ml-kem-512': { bits: 128, uses: keyEstablishment, postQuantum: true },
  'ml-kem-768': { bits: 192, uses: keyEstablishment, postQuantum: true },
  'ml-kem-1024': { bits: 256, uses: keyEstablishment, postQuantum: true },
  'ml-dsa-44': { bits: 128, uses: signature, postQuantum: true },
  'ml-dsa-65': { bits: 192, uses: signature, postQuantum: true },
  'ml-dsa-87': { bits: 256, uses: signature, postQuantum: true },
};

/** SP 800-57 Table 2's RSA rows (modulus bits → strength), largest first. */
const rsaTiers: readonly (readonly [modulus: number, bits: number])[] = [
  [15360, 256],
  [7680, 192],
  [3072, 128],
  [2048, 112],
  [1024, 80],
];

/** The strength and uses of `algorithm`, or null for an id this table does not know. */
export function securityStrength(algorithm: string): SecurityStrength | null {
  const rsa = /^rsa-(\d+)$/.exec(algorithm);
  if (rsa) {
    const modulus = Number(rsa[1]);
    const tier = rsaTiers.find(([bits]) => modulus >= bits);
    return tier === undefined ? null : { bits: tier[1], uses: both, postQuantum: false };
  }
  return fixed[algorithm] ?? null;
}

/** The uses two algorithms share (empty: neither can stand in for the other). */
export function sharedUses(a: SecurityStrength, b: SecurityStrength): KeyUse[] {
  return a.uses.filter((use) => b.uses.includes(use));
}
