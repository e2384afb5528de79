import { createPublicKey, sign, verify } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { generateKeyPair, generateKeyPairSync } from '../../src/index.js';
import { signatureAlgorithms } from '../support/algorithms.js';

const message = Buffer.from('keyscope signs this');

// EdDSA takes no separate digest; RSA and ECDSA sign a SHA-256 digest.
const digestFor = (id: string): string | null => (id.startsWith('ed') ? null : 'sha256');

describe.each(signatureAlgorithms)('%s signature keys', (id) => {
  it('sign with the generated key and verify with its exported public key (sync)', () => {
    const pair = generateKeyPairSync(id);
    const { privateKey } = pair.toKeyObject();
    const signature = sign(digestFor(id), message, privateKey);
    const publicKey = createPublicKey(pair.exportPublicKey());
    expect(verify(digestFor(id), message, publicKey, signature)).toBe(true);
    expect(verify(digestFor(id), Buffer.from('tampered'), publicKey, signature)).toBe(false);
  });

  it('keys from the async generator verify too, and differ from call to call', async () => {
    const [a, b] = await Promise.all([generateKeyPair(id), generateKeyPair(id)]);
    expect(a.exportPublicKey()).not.toBe(b.exportPublicKey());
    const signature = sign(digestFor(id), message, a.toKeyObject().privateKey);
    expect(verify(digestFor(id), message, a.toKeyObject().publicKey, signature)).toBe(true);
    expect(verify(digestFor(id), message, b.toKeyObject().publicKey, signature)).toBe(false);
  });
});
