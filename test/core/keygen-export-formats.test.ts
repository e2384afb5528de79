import { createPrivateKey, createPublicKey } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { ErrorCodes, generateKeyPairSync, InvalidArgumentError } from '../../src/index.js';
import { generatableAlgorithms } from '../support/algorithms.js';

// DER encoding of OID 1.3.6.1.4.1.11591.4.11 (scrypt), which PBES2 names as its key derivation function.
const SCRYPT_OID = Buffer.from('06092b06010401da47040b', 'hex');
// DER encoding of OID 2.16.840.1.101.3.4.1.42 (aes256-CBC).
const AES256_CBC_OID = Buffer.from('060960864801650304012a', 'hex');

describe.each(generatableAlgorithms)('%s exports', (id) => {
  const pair = generateKeyPairSync(id);

  it('PEM, DER and JWK describe the same private key', () => {
    const pem = pair.exportPrivateKey();
    const der = pair.exportPrivateKey({ format: 'der' });
    const jwk = pair.exportPrivateKey({ format: 'jwk' });
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    const fromPem = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
    const fromJwk = createPrivateKey({ key: jwk, format: 'jwk' }).export({ format: 'der', type: 'pkcs8' });
    expect(fromPem.equals(der)).toBe(true);
    expect(fromJwk.equals(der)).toBe(true);
    expect(jwk.kty).toBe(id.startsWith('rsa') ? 'RSA' : id.startsWith('ec') ? 'EC' : 'OKP');
    expect(jwk.d).toBeTypeOf('string');
  });

  it('PEM, DER and JWK describe the same public key', () => {
    const der = pair.exportPublicKey({ format: 'der' });
    const pem = pair.exportPublicKey();
    const jwk = pair.exportPublicKey({ format: 'jwk' });
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(createPublicKey(pem).export({ format: 'der', type: 'spki' }).equals(der)).toBe(true);
    expect(createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'der', type: 'spki' }).equals(der)).toBe(true);
    expect(jwk.d).toBeUndefined();
    expect(pair.toKeyObject().publicKey.export({ format: 'der', type: 'spki' }).equals(der)).toBe(true);
  });

  it('encrypts PKCS#8 with scrypt and AES-256, readable with the passphrase only', () => {
    const plain = pair.exportPrivateKey({ format: 'der' });
    const pem = pair.exportPrivateKey({ passphrase: 'correct horse' });
    const der = pair.exportPrivateKey({ format: 'der', passphrase: Buffer.from('correct horse') });
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect(der.includes(SCRYPT_OID)).toBe(true);
    expect(der.includes(AES256_CBC_OID)).toBe(true);
    const decrypted = createPrivateKey({ key: pem, passphrase: 'correct horse' }).export({ format: 'der', type: 'pkcs8' });
    const decryptedDer = createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase: 'correct horse' }).export({
      format: 'der',
      type: 'pkcs8',
    });
    expect(decrypted.equals(plain)).toBe(true);
    expect(decryptedDer.equals(plain)).toBe(true);
    expect(() => createPrivateKey({ key: pem, passphrase: 'wrong horse' })).toThrow();
    expect(der.includes(plain.subarray(-16))).toBe(false);
  });
});

describe('export options', () => {
  const pair = generateKeyPairSync('ed25519');

  it('refuses a passphrase with JWK', () => {
    expect(() => pair.exportPrivateKey({ format: 'jwk', passphrase: 'x' })).toThrow(
      expect.objectContaining({ code: ErrorCodes.invalidOption, message: expect.stringMatching(/JWK cannot be passphrase-encrypted/) }),
    );
  });

  it.each([
    [{ format: 'pkcs1' }, /option "format" must be "pem", "der", "jwk" or "openssh" \(got "pkcs1"\)/],
    [{ passphrase: '' }, /option "passphrase" must not be empty/],
    [{ passphrase: 42 }, /option "passphrase" must be a string or a Buffer \(got 42\)/],
    [{ cipher: 'aes-128-cbc' }, /unknown option "cipher"/],
  ])('rejects %o', (options, message) => {
    let caught: unknown;
    try {
      pair.exportPrivateKey(options as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain('\n');
  });
});
