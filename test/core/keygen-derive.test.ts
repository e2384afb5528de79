import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { generateKeyPairSync } from '../../src/index.js';
import { agreementAlgorithms } from '../support/algorithms.js';

describe.each(agreementAlgorithms)('%s key agreement', (id) => {
  it('both sides derive the same secret from exported keys', () => {
    const alice = generateKeyPairSync(id);
    const bob = generateKeyPairSync(id);
    const aliceSecret = diffieHellman({
      privateKey: createPrivateKey(alice.exportPrivateKey()),
      publicKey: createPublicKey(bob.exportPublicKey()),
    });
    const bobSecret = diffieHellman({
      privateKey: createPrivateKey({ key: bob.exportPrivateKey({ format: 'der' }), format: 'der', type: 'pkcs8' }),
      publicKey: createPublicKey({ key: alice.exportPublicKey({ format: 'jwk' }), format: 'jwk' }),
    });
    expect(aliceSecret.length).toBeGreaterThanOrEqual(32);
    expect(aliceSecret.equals(bobSecret)).toBe(true);
  });
});
