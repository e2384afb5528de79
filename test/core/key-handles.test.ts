/**
 * Keys live in the addon's key table and JavaScript holds handles (native/binding/key_table.h). A handle names
 * one key until its KeyPair is collected; nothing else can reach a key through it; and the sync call's cache of
 * the last algorithm never skips the checks a first call makes.
 */
import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { ErrorCodes, generateKeyPair, generateKeyPairSync } from '../../src/index.js';
import { native } from '../../src/core/native/binding.js';
import type { KeyHandle } from '../../src/core/native/types.js';

const released = expect.objectContaining({ code: ErrorCodes.keyReleased });
const keyType = (handle: KeyHandle) => createPrivateKey({ key: native.exportPrivateKey(handle, 'der'), format: 'der', type: 'pkcs8' }).asymmetricKeyType;

describe('key handles', () => {
  it('names no key with a handle the table never gave out', () => {
    const live = native.generateKeyPairSync('ec-p256', false);
    for (const forged of [live + 100_000, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => native.exportPrivateKey(forged as KeyHandle, 'pem')).toThrow(released);
      expect(() => native.exportPublicKey(forged as KeyHandle, 'der')).toThrow(released);
      // Releasing or collecting a handle that names nothing frees nothing.
      native.releaseKey(forged as KeyHandle);
      native.keyCollected(forged as KeyHandle);
    }
    expect(keyType(live)).toBe('ec');
    native.keyCollected(live);
  });

  it('keeps a released key\'s handle reserved until its KeyPair is collected', () => {
    const first = native.generateKeyPairSync('ed25519', false);
    native.releaseKey(first);
    const second = native.generateKeyPairSync('x25519', false);
    expect(second).not.toBe(first);
    expect(() => native.exportPrivateKey(first, 'pem')).toThrow(released);
    expect(keyType(second)).toBe('x25519');
    // Once collected, the slot is reused: the next key takes it.
    native.keyCollected(first);
    const third = native.generateKeyPairSync('ed448', false);
    expect(third).toBe(first);
    expect(keyType(third)).toBe('ed448');
    expect(keyType(second)).toBe('x25519');
    native.keyCollected(second);
    native.keyCollected(third);
  });

  it('gives async keys handles too, exported and released like sync ones', async () => {
    const pair = await generateKeyPair('ec-p384');
    expect(createPrivateKey(pair.exportPrivateKey()).asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    pair.release();
    expect(() => pair.exportPublicKey()).toThrow(released);
  });
});

describe('the sync call\'s cache of the last algorithm', () => {
  it('makes the key asked for when the algorithm changes from call to call', () => {
    const asked = ['ec-p256', 'ed25519', 'ec-p256', 'ec-p384', 'x25519', 'x25519', 'ec-p256'] as const;
    const made = asked.map((id) => {
      const key = createPrivateKey(generateKeyPairSync(id).exportPrivateKey());
      return key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : key.asymmetricKeyType;
    });
    expect(made).toEqual(['prime256v1', 'ed25519', 'prime256v1', 'secp384r1', 'x25519', 'x25519', 'prime256v1']);
  });

  it('checks allowWeak on every call, not only on the one that filled the cache', () => {
    // The binding itself, below TypeScript's own check: a weak size allowed once is not allowed ever after.
    const weak = native.generateKeyPairSync('rsa-1024', true);
    expect(() => native.generateKeyPairSync('rsa-1024', false)).toThrow(expect.objectContaining({ code: ErrorCodes.weakKeySize }));
    expect(() => native.generateKeyPairSync('rsa-1024', false)).toThrow(expect.objectContaining({ code: ErrorCodes.weakKeySize }));
    native.keyCollected(weak);
  });

  it('refuses bad arguments on the cached path as on the first call', () => {
    native.keyCollected(native.generateKeyPairSync('ec-p256', false));
    expect(() => native.generateKeyPairSync('ec-p256' as string, 'yes' as unknown as boolean)).toThrow(expect.objectContaining({ code: ErrorCodes.invalidOption }));
    expect(() => native.generateKeyPairSync('ec-p256x', false)).toThrow(expect.objectContaining({ code: ErrorCodes.unknownAlgorithm }));
    expect(() => native.generateKeyPairSync('e'.repeat(200), false)).toThrow(expect.objectContaining({ code: ErrorCodes.unknownAlgorithm }));
  });
});
