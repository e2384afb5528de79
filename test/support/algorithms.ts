/** The algorithm ids grouped by what their keys are for, as the round-trip tests use them. */
import { listedAlgorithmIds } from '../../src/core/algorithms.js';
import type { AlgorithmId } from '../../src/index.js';

export const signatureAlgorithms: AlgorithmId[] = ['rsa-2048', 'ec-p256', 'ec-p384', 'ec-p521', 'ec-secp256k1', 'ed25519', 'ed448'];
export const agreementAlgorithms: AlgorithmId[] = ['ec-p256', 'ec-p384', 'ec-p521', 'ec-secp256k1', 'x25519', 'x448'];
export const generatableAlgorithms: AlgorithmId[] = [
  'rsa-2048',
  'rsa-3072',
  'ec-p256',
  'ec-p384',
  'ec-p521',
  'ec-secp256k1',
  'ed25519',
  'ed448',
  'x25519',
  'x448',
];

/** The post-quantum ids: FIPS 203 (ML-KEM), FIPS 204 (ML-DSA) and FIPS 205 (SLH-DSA), all new in OpenSSL 3.5. */
export const postQuantumAlgorithms: AlgorithmId[] = listedAlgorithmIds.filter((id) => /^(ml-kem|ml-dsa|slh-dsa)-/.test(id));

/**
 * Whether the running OpenSSL is 3.5 or later, by its version: what the tests expect of keyscope, which decides
 * itself by asking OpenSSL for each key manager (src/core/algorithms.ts).
 */
export function opensslHasPostQuantum(): boolean {
  const [major, minor] = process.versions.openssl.split('.').map(Number) as [number, number];
  return major > 3 || (major === 3 && minor >= 5);
}
