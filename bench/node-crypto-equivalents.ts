/** What a caller would write with node:crypto for each keyscope algorithm. */
import { generateKeyPairSync as nodeGenerateKeyPairSync } from 'node:crypto';

import type { AlgorithmId } from '../src/index.js';

const curves: Record<string, string> = { 'ec-p256': 'P-256', 'ec-p384': 'P-384', 'ec-p521': 'P-521', 'ec-secp256k1': 'secp256k1' };

/** A function that makes one key pair with node:crypto, as KeyObjects (no encoding). */
export function nodeCryptoKeygen(id: AlgorithmId): () => unknown {
  if (id.startsWith('rsa-')) {
    const modulusLength = Number(id.slice(4));
    return () => nodeGenerateKeyPairSync('rsa', { modulusLength });
  }
  const namedCurve = curves[id];
  if (namedCurve) return () => nodeGenerateKeyPairSync('ec', { namedCurve });
  // The Edwards and Montgomery curves, and on Node 24 the post-quantum ids, which node:crypto spells as keyscope does.
  const type = id as 'ed25519';
  return () => nodeGenerateKeyPairSync(type);
}
