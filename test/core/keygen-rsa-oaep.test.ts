import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';

import { expect, it } from 'vitest';

import { generateKeyPairSync } from '../../src/index.js';

it.each(['rsa-2048', 'rsa-3072'] as const)('%s encrypts with RSA-OAEP and decrypts back', (id) => {
  const pair = generateKeyPairSync(id);
  const plaintext = Buffer.from('a 32-byte data key for keyscope.');
  const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };
  const ciphertext = publicEncrypt({ key: pair.exportPublicKey(), ...oaep }, plaintext);
  expect(ciphertext.length).toBe(Number(id.slice(4)) / 8);
  const decrypted = privateDecrypt({ key: pair.exportPrivateKey(), ...oaep }, ciphertext);
  expect(decrypted.equals(plaintext)).toBe(true);
});

it('generates a non-standard RSA size, with the modulus it was asked for', () => {
  const pair = generateKeyPairSync('rsa-2056');
  expect(pair.toKeyObject().publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2056, publicExponent: 65537n });
});
