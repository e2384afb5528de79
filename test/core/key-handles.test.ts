/**
 * Keys live in the addon's key table and JavaScript holds handles (native/binding/key_table.h). A handle names
 * one key until its KeyPair is collected; nothing else can reach a key through it; and the sync call's cache of
 * the last algorithm never skips the checks a first call makes.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { promisify } from 'node:util';
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

describe('freeing keys in a loop that never yields', () => {
  it('disposes a key pair: `using` (Node 24) and Symbol.dispose free the key at once', async () => {
    const pair = generateKeyPairSync('ed25519');
    pair[Symbol.dispose]();
    expect(pair.released).toBe(true);
    expect(() => pair.exportPrivateKey()).toThrow(released);
    if (Number(process.versions.node.split('.')[0]) < 24) return; // `using` is syntax from Node 24 on
    const script = `
      const { generateKeyPairSync } = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
      let escaped;
      { using pair = generateKeyPairSync('ec-p256'); escaped = pair; }
      console.log(escaped.released);`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    expect(stdout.trim()).toBe('true');
  });

  it('holds dropped keys until the loop yields, and release() keeps such a loop flat', async () => {
    // Measured, not assumed: Node-API and FinalizationRegistry both free between tasks, so a synchronous loop that
    // drops 150,000 P-256 keys holds all of them (about 2 KB each) until it ends; releasing each holds none. The
    // bound is relative: under ASan freed memory waits in a quarantine of up to 64 MB (scripts/test-asan.sh).
    const script = (release: boolean) => `
      const { generateKeyPairSync } = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
      for (let i = 0; i < 5000; i++) generateKeyPairSync('ec-p256')${release ? '.release()' : ''};
      await new Promise((r) => setTimeout(r, 50));
      const before = process.memoryUsage().rss;
      for (let i = 0; i < 150000; i++) generateKeyPairSync('ec-p256')${release ? '.release()' : ''};
      console.log(process.memoryUsage().rss - before);`;
    const run = async (release: boolean) => Number((await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script(release)])).stdout);
    const dropped = await run(false);
    const releasedEach = await run(true);
    expect(dropped).toBeGreaterThan(150 * 1024 * 1024);
    expect(releasedEach).toBeLessThan(dropped / 3);
  }, 120_000);
});

describe('KeyPair', () => {
  it('cannot be built around a handle by hand', async () => {
    const { KeyPair } = await import('../../src/index.js');
    const real = generateKeyPairSync('ed25519');
    for (const handle of [0, 1, 2, 3]) {
      expect(() => new KeyPair('ed25519', handle as KeyHandle)).toThrow(expect.objectContaining({ code: ErrorCodes.invalidOption }));
    }
    expect(real.exportPublicKey()).toMatch(/BEGIN PUBLIC KEY/);
  });
});
