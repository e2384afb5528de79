/**
 * One security strength per algorithm: what `keyscope algorithms` lists is what `recommend` compares (RSA-4096
 * was 152 bits in the one and 128 in the other).
 */
import { describe, expect, it } from 'vitest';

import { listAlgorithms, securityBits } from '../../src/core/algorithms.js';
import { securityStrength } from '../../src/monitor/advice/security-strength.js';
import { runCli } from '../support/cli.js';

describe('security strength', () => {
  it('is the same in listAlgorithms and in recommend, for every listed algorithm', () => {
    for (const { id, securityBits: listed } of listAlgorithms()) {
      expect({ id, bits: securityStrength(id)?.bits }).toEqual({ id, bits: listed });
    }
    expect(securityStrength('rsa-4096')?.bits).toBe(152);
  });

  it('comes from the same table for RSA sizes that are not listed, and is null for ids it does not know', () => {
    expect(['rsa-1024', 'rsa-6144', 'rsa-7680', 'rsa-8192', 'rsa-15360'].map((id) => securityStrength(id)?.bits)).toEqual([80, 176, 192, 200, 256]);
    for (const id of ['rsa-1024', 'rsa-6144', 'rsa-7680', 'rsa-8192', 'rsa-15360']) expect(securityStrength(id)?.bits).toBe(securityBits(id));
    expect(securityBits('rsa-512')).toBeNull();
    expect(securityBits('dsa-2048')).toBeNull();
    expect(securityStrength('rsa-512')).toBeNull();
  });

  it('keyscope algorithms prints rsa-4096 at 152 bits, as recommend now counts it', async () => {
    const result = await runCli(['algorithms']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^rsa-4096\s+rsa\s+152-bit\s/m);
  });
});
