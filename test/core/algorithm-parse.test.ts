/** parseAlgorithm: the native algorithm table's answer for one id, or the refusal the key generators throw. */
import { describe, expect, it } from 'vitest';

import { findAlgorithm, isAlgorithmId, parseAlgorithm } from '../../src/core/algorithms.js';
import { ErrorCodes, InvalidArgumentError } from '../../src/core/errors.js';

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return { code: (error as InvalidArgumentError).code, message: (error as Error).message };
  }
  throw new Error('expected a throw');
}

describe('parseAlgorithm', () => {
  it('answers a fixed-size id with its family, strength, usages and post-quantum-ness', () => {
    expect(parseAlgorithm('ec-p384')).toEqual({ id: 'ec-p384', family: 'ec', bits: null, securityBits: 192, usages: ['sign', 'derive'], weak: false, postQuantum: false });
    expect(parseAlgorithm('x25519')).toMatchObject({ family: 'okp', securityBits: 128, usages: ['derive'] });
    // The table knows ML-KEM whether or not this OpenSSL can generate it (listAlgorithms says that).
    expect(parseAlgorithm('ml-kem-768')).toMatchObject({ family: 'ml-kem', securityBits: 192, usages: ['encapsulate'], postQuantum: true });
  });

  it('answers any RSA size its rows cover, with the strength of its row', () => {
    expect(parseAlgorithm('rsa-3072')).toEqual({ id: 'rsa-3072', family: 'rsa', bits: 3072, securityBits: 128, usages: ['sign', 'encrypt'], weak: false, postQuantum: false });
    const strengths = ['rsa-2048', 'rsa-2296', 'rsa-2304', 'rsa-4096', 'rsa-7672', 'rsa-7680', 'rsa-7688', 'rsa-16384'].map((id) => parseAlgorithm(id).securityBits);
    expect(strengths).toEqual([112, 112, 120, 152, 200, 192, 200, 256]);
  });

  it('refuses a weak RSA size without allowWeak, and marks it weak with it', () => {
    expect(refusal(() => parseAlgorithm('rsa-1024'))).toEqual({
      code: ErrorCodes.weakKeySize,
      message: 'RSA modulus size 1024 is below 2048 bits: pass allowWeak: true to generate it anyway',
    });
    expect(refusal(() => parseAlgorithm('rsa-2040', { allowWeak: false })).code).toBe(ErrorCodes.weakKeySize);
    expect(parseAlgorithm('rsa-1024', { allowWeak: true })).toMatchObject({ bits: 1024, securityBits: 80, weak: true });
    expect(parseAlgorithm('rsa-2040', { allowWeak: true })).toMatchObject({ securityBits: 112, weak: true });
    expect(parseAlgorithm('rsa-2048', { allowWeak: true }).weak).toBe(false);
  });

  it('refuses RSA sizes no row covers, even with allowWeak', () => {
    for (const bits of [512, 1016, 2047, 16392, 32768]) {
      expect(refusal(() => parseAlgorithm(`rsa-${bits}`, { allowWeak: true }))).toEqual({
        code: ErrorCodes.invalidKeySize,
        message: `RSA modulus size ${bits} is invalid: use a multiple of 8 from 2048 to 16384`,
      });
    }
  });

  it('refuses an unknown id, naming the known ones', () => {
    const { code, message } = refusal(() => parseAlgorithm('dsa-2048'));
    expect(code).toBe(ErrorCodes.unknownAlgorithm);
    expect(message).toBe(
      'unknown algorithm "dsa-2048" (known: rsa-<bits>, ec-p256, ec-p384, ec-p521, ec-secp256k1, ed25519, ed448, x25519, x448, ml-kem-512, ml-kem-768, ml-kem-1024, ml-dsa-44, ml-dsa-65, ml-dsa-87, slh-dsa-<sha2|shake>-<128|192|256><s|f>)',
    );
    expect(refusal(() => parseAlgorithm('EC-P256')).code).toBe(ErrorCodes.unknownAlgorithm);
  });

  it('refuses a malformed RSA id as unknown', () => {
    for (const id of ['rsa-', 'rsa-big', 'rsa-02048', 'rsa-2048 ', 'rsa-2048.0', 'rsa-99999999999']) {
      expect(refusal(() => parseAlgorithm(id, { allowWeak: true })).code, id).toBe(ErrorCodes.unknownAlgorithm);
    }
  });

  it('refuses input that is not a non-empty string, naming the caller', () => {
    for (const value of [2048, null, undefined, {}, ['ed25519'], '']) {
      const { code, message } = refusal(() => parseAlgorithm(value, {}, 'someCaller'));
      expect(code).toBe(ErrorCodes.invalidOption);
      expect(message).toMatch(/^someCaller: algorithm must be a non-empty string such as "ec-p256" \(got /);
    }
  });
});

describe('findAlgorithm and isAlgorithmId', () => {
  it('know every id the table parses, weak sizes included, and nothing else', () => {
    expect(findAlgorithm('rsa-1024')).toMatchObject({ weak: true, securityBits: 80 });
    expect(findAlgorithm('rsa-512')).toBeNull();
    expect(findAlgorithm('dsa-2048')).toBeNull();
    expect(['ed25519', 'rsa-1024', 'rsa-16384'].filter(isAlgorithmId)).toEqual(['ed25519', 'rsa-1024', 'rsa-16384']);
    expect(['', 'rsa-1023', 'rsa-16392', 'ed25519 ', 'a key pasted here', 7, null].filter(isAlgorithmId)).toEqual([]);
  });
});
