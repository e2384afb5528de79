/**
 * generateKeyPair[Sync] tell analytics' weakParameters hook when the caller asks for RSA below 2048 bits with
 * allowWeak, with the operation and the canonical id only; never for strong sizes or without allowWeak.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

import { generateKeyPair, generateKeyPairSync } from '../../src/index.js';
import { type Instrumentation, setInstrumentation } from '../../src/core/instrumentation.js';

afterEach(() => setInstrumentation(null));

function install(): Instrumentation & { weakParameters: ReturnType<typeof vi.fn> } {
  const hooks = { apiFailed: vi.fn(), keyExported: vi.fn(), weakParameters: vi.fn() };
  setInstrumentation(hooks);
  return hooks;
}

describe('weakParameters instrumentation', () => {
  it('fires for allowWeak with RSA from 1024 to 2040 bits', async () => {
    const hooks = install();
    generateKeyPairSync('rsa-1024', { allowWeak: true });
    await generateKeyPair('rsa-1032', { allowWeak: true });
    expect(hooks.weakParameters.mock.calls).toEqual([
      ['generateKeyPairSync', 'rsa-1024'],
      ['generateKeyPair', 'rsa-1032'],
    ]);
    expect(hooks.apiFailed).not.toHaveBeenCalled();
  });

  it('stays quiet for strong sizes, other algorithms, sizes that are refused anyway, and without allowWeak', async () => {
    const hooks = install();
    await generateKeyPair('rsa-2048', { allowWeak: true });
    generateKeyPairSync('ed25519', { allowWeak: true });
    expect(() => generateKeyPairSync('rsa-1024')).toThrow(/allowWeak/);
    expect(() => generateKeyPairSync('rsa-1024', { allowWeak: false })).toThrow(/allowWeak/);
    expect(() => generateKeyPairSync('rsa-512', { allowWeak: true })).toThrow(/512/);
    expect(() => generateKeyPairSync('rsa-1025', { allowWeak: true })).toThrow(/1025/);
    expect(hooks.weakParameters).not.toHaveBeenCalled();
    expect(hooks.apiFailed).toHaveBeenCalledTimes(4);
  });
});
