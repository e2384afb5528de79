/** The algorithm ids grouped by what their keys are for, as the round-trip tests use them. */
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
