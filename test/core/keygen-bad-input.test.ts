import { describe, expect, it } from 'vitest';

import {
  ErrorCodes,
  generateKeyPair,
  generateKeyPairSync,
  InvalidArgumentError,
  KeyscopeError,
  listAlgorithms,
  UnsupportedAlgorithmError,
} from '../../src/index.js';

type Case = [label: string, algorithm: unknown, options: unknown, code: string, message: RegExp];

const cases: Case[] = [
  ['an unknown id', 'dsa-2048', undefined, ErrorCodes.unknownAlgorithm, /unknown algorithm "dsa-2048" \(known: rsa-<bits>, ec-p256/],
  ['a misspelt curve', 'ec-p257', undefined, ErrorCodes.unknownAlgorithm, /unknown algorithm "ec-p257"/],
  ['RSA bits that are not a number', 'rsa-big', undefined, ErrorCodes.unknownAlgorithm, /unknown algorithm "rsa-big"/],
  ['RSA bits with a leading zero', 'rsa-02048', undefined, ErrorCodes.unknownAlgorithm, /unknown algorithm "rsa-02048"/],
  ['RSA bits not a multiple of 8', 'rsa-2047', undefined, ErrorCodes.invalidKeySize, /RSA modulus size 2047 is invalid/],
  ['RSA below 1024 bits', 'rsa-512', { allowWeak: true }, ErrorCodes.invalidKeySize, /RSA modulus size 512 is invalid/],
  ['RSA above 16384 bits', 'rsa-16392', undefined, ErrorCodes.invalidKeySize, /RSA modulus size 16392 is invalid/],
  ['weak RSA without allowWeak', 'rsa-1024', undefined, ErrorCodes.weakKeySize, /1024 is below 2048 bits: pass allowWeak: true/],
  ['a number for the algorithm', 2048, undefined, ErrorCodes.invalidOption, /algorithm must be a non-empty string .* \(got 2048\)/],
  ['an empty algorithm', '', undefined, ErrorCodes.invalidOption, /algorithm must be a non-empty string .* \(got ""\)/],
  ['allowWeak that is not a boolean', 'rsa-1024', { allowWeak: 'yes' }, ErrorCodes.invalidOption, /option "allowWeak" must be a boolean \(got "yes"\)/],
  ['an option that does not exist', 'ed25519', { bits: 2048 }, ErrorCodes.invalidOption, /unknown option "bits"/],
  // Seeded keys are for measuring only (measureKeygen's seed): a key from a known stream must never be exported.
  ['a seed', 'ec-p256', { seed: 7 }, ErrorCodes.invalidOption, /unknown option "seed"/],
  ['a seed with firstKey', 'rsa-2048', { seed: 7, firstKey: 1 }, ErrorCodes.invalidOption, /unknown option "seed", "firstKey"/],
  ['options that are not an object', 'ed25519', 'fast', ErrorCodes.invalidOption, /options .* \(got "fast"\)/],
  // An option name is the caller's text: a long one (a key pasted as a name) is described, never echoed.
  ['a very long option name', 'ed25519', { ['A'.repeat(64)]: true }, ErrorCodes.invalidOption, /unknown option a 64-character string$/],
];

function captureSync(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe.each(cases)('%s', (_label, algorithm, options, code, message) => {
  it('throws from generateKeyPairSync with a stable code and one-line message', () => {
    const error = captureSync(() => generateKeyPairSync(algorithm as never, options as never));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('rejects from generateKeyPair the same way', async () => {
    await expect(generateKeyPair(algorithm as never, options as never)).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  });
});

describe('weak keys and unsupported algorithms', () => {
  it('generates RSA-1024 when allowWeak is given', () => {
    const pair = generateKeyPairSync('rsa-1024', { allowWeak: true });
    expect(pair.toKeyObject().privateKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
  });

  const unsupported = listAlgorithms().filter((a) => !a.supported);
  it.runIf(unsupported.length > 0)('refuses algorithms this OpenSSL lacks with UnsupportedAlgorithmError', async () => {
    for (const a of unsupported) {
      const error = captureSync(() => generateKeyPairSync(a.id));
      expect(error).toBeInstanceOf(UnsupportedAlgorithmError);
      expect(error).toBeInstanceOf(KeyscopeError);
      expect(error).toMatchObject({ code: ErrorCodes.unsupportedAlgorithm });
      await expect(generateKeyPair(a.id)).rejects.toBeInstanceOf(UnsupportedAlgorithmError);
    }
  });
});
