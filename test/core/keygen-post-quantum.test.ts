/**
 * Post-quantum keys: ML-KEM (FIPS 203), ML-DSA (FIPS 204) and SLH-DSA (FIPS 205), which OpenSSL 3.5 brings. One
 * addon serves both runtimes, so each run of this suite takes the branch its OpenSSL decides: on OpenSSL 3.5
 * (Node 24) every key is generated, written in every format and read back by node:crypto and used; on an
 * older OpenSSL (Node 20's 3.0) every entry point refuses with the coded error naming the version needed.
 * CI runs the suite on both, so both branches run there.
 */
import * as crypto from 'node:crypto';
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

import { beforeAll, describe, expect, it } from 'vitest';

import { ErrorCodes, generateKeyPair, type KeyPair, generateKeyPairSync, listAlgorithms, measureKeygen, UnsupportedAlgorithmError } from '../../src/index.js';
import { opensslHasPostQuantum, postQuantumAlgorithms } from '../support/algorithms.js';

const hasPostQuantum = opensslHasPostQuantum();

/** node:crypto's KEM calls (Node 24.7 and later), newer than the Node 20 typings this project compiles against. */
const kem = crypto as unknown as {
  encapsulate(key: KeyObject): { sharedKey: Buffer; ciphertext: Buffer };
  decapsulate(key: KeyObject, ciphertext: Buffer): Buffer;
};

/** The private key's OCTET STRING content in a PKCS#8 whose lengths are short or 0x81 forms (all of these are). */
function privateKeyField(pkcs8: Buffer): Buffer {
  let at = pkcs8[1]! & 0x80 ? 2 + (pkcs8[1]! & 0x7f) : 2; // into the outer SEQUENCE
  at += 3; // version INTEGER 0
  at += 2 + pkcs8[at + 1]!; // AlgorithmIdentifier SEQUENCE
  expect(pkcs8[at]).toBe(0x04); // OCTET STRING
  const long = pkcs8[at + 1]! & 0x80;
  const length = long ? pkcs8[at + 2]! : pkcs8[at + 1]!;
  const start = at + (long ? 3 : 2);
  return pkcs8.subarray(start, start + length);
}

describe.runIf(hasPostQuantum)(`post-quantum keys on OpenSSL ${process.versions.openssl}`, () => {
  it('lists all 18 parameter sets as supported, by asking OpenSSL', () => {
    const listed = listAlgorithms().filter((a) => postQuantumAlgorithms.includes(a.id));
    expect(listed.map((a) => a.id)).toEqual(postQuantumAlgorithms);
    expect(listed.every((a) => a.supported)).toBe(true);
    expect(postQuantumAlgorithms).toHaveLength(18);
  });

  describe.each(postQuantumAlgorithms)('%s', (id) => {
    // Made in beforeAll: vitest collects this block on every runtime, where older OpenSSLs refuse the id.
    let pair: KeyPair;
    let der: Buffer;
    let spki: Buffer;
    beforeAll(() => {
      pair = generateKeyPairSync(id);
      der = pair.exportPrivateKey({ format: 'der' });
      spki = pair.exportPublicKey({ format: 'der' });
    });

    it('writes PEM, DER and JWK that node:crypto reads back as the same key', () => {
      const fromPem = createPrivateKey(pair.exportPrivateKey());
      expect(fromPem.export({ format: 'der', type: 'pkcs8' }).equals(der)).toBe(true);
      expect(createPublicKey(fromPem).export({ format: 'der', type: 'spki' }).equals(spki)).toBe(true);
      expect(createPublicKey(pair.exportPublicKey()).export({ format: 'der', type: 'spki' }).equals(spki)).toBe(true);
      const jwk = pair.exportPrivateKey({ format: 'jwk' });
      expect(jwk.kty).toBe('AKP');
      expect(createPrivateKey({ key: jwk, format: 'jwk' }).export({ format: 'der', type: 'pkcs8' }).equals(der)).toBe(true);
      const publicJwk = pair.exportPublicKey({ format: 'jwk' });
      expect(publicJwk.priv).toBeUndefined();
      expect(createPublicKey({ key: publicJwk, format: 'jwk' }).export({ format: 'der', type: 'spki' }).equals(spki)).toBe(true);
    });

    it('encrypts the PKCS#8, readable with the passphrase only', () => {
      const encrypted = pair.exportPrivateKey({ passphrase: 'correct horse' });
      expect(encrypted).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
      expect(createPrivateKey({ key: encrypted, passphrase: 'correct horse' }).export({ format: 'der', type: 'pkcs8' }).equals(der)).toBe(true);
      expect(() => createPrivateKey({ key: encrypted, passphrase: 'wrong horse' })).toThrow();
    });

    if (id.startsWith('ml-')) {
      it('writes the private key as its seed alone, the [0] choice of the PKCS#8', () => {
        const field = privateKeyField(der);
        const seedLength = id.startsWith('ml-kem') ? 64 : 32;
        expect([field[0], field[1], field.length]).toEqual([0x80, seedLength, seedLength + 2]);
      });
    }

    if (id.startsWith('ml-kem')) {
      it('encapsulates to the public key and decapsulates with the private key', () => {
        const { privateKey, publicKey } = pair.toKeyObject();
        const { sharedKey, ciphertext } = kem.encapsulate(publicKey);
        expect(kem.decapsulate(privateKey, ciphertext).equals(sharedKey)).toBe(true);
      });
    } else {
      it('signs, and the public key verifies', () => {
        const { privateKey, publicKey } = pair.toKeyObject();
        const message = Buffer.from(`keyscope ${id}`);
        const signature = sign(null, message, privateKey);
        expect(verify(null, message, publicKey, signature)).toBe(true);
        expect(verify(null, Buffer.from('another message'), publicKey, signature)).toBe(false);
      });
    }
  });

  it('generates asynchronously, measures, and measures seeded keys like every other family', async () => {
    const pair = await generateKeyPair('ml-dsa-65');
    expect(createPrivateKey(pair.exportPrivateKey()).asymmetricKeyType).toBe('ml-dsa-65');
    for (const algorithm of ['ml-kem-768', 'ml-dsa-65', 'slh-dsa-sha2-128f'] as const) {
      const measured = await measureKeygen(algorithm, { iterations: 5, counters: false });
      expect(measured.samples.ns).toHaveLength(5);
      expect(Math.min(...measured.samples.ns)).toBeGreaterThan(0);
      expect(measured.samples.candidates).toBeNull();
      const seeded = await measureKeygen(algorithm, { iterations: 5, seed: 7, counters: false });
      expect(seeded.samples.ns).toHaveLength(5);
    }
  });
});

describe.runIf(!hasPostQuantum)(`post-quantum keys on OpenSSL ${process.versions.openssl}`, () => {
  it.each(postQuantumAlgorithms)('refuses %s everywhere with KS_UNSUPPORTED_ALGORITHM naming OpenSSL 3.5', async (id) => {
    const info = listAlgorithms().find((a) => a.id === id)!;
    expect(info.supported).toBe(false);
    const message = new RegExp(`^${id} is not supported here: OpenSSL ${process.versions.openssl.replace(/\./g, '\\.')} has no .* \\(it needs OpenSSL 3\\.5 or later\\)$`);
    let thrown: unknown;
    try {
      generateKeyPairSync(id);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsupportedAlgorithmError);
    expect(thrown).toMatchObject({ code: ErrorCodes.unsupportedAlgorithm, message: expect.stringMatching(message) });
    await expect(generateKeyPair(id)).rejects.toMatchObject({ code: ErrorCodes.unsupportedAlgorithm });
    await expect(measureKeygen(id, { iterations: 1, counters: false })).rejects.toMatchObject({ code: ErrorCodes.unsupportedAlgorithm });
  });
});
