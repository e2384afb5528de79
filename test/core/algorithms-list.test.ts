import { describe, expect, it } from 'vitest';

import { listAlgorithms } from '../../src/index.js';

describe('listAlgorithms', () => {
  const algorithms = listAlgorithms();
  const byId = new Map(algorithms.map((a) => [a.id, a]));

  it('lists every canonical id once', () => {
    const ids = algorithms.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['rsa-2048', 'rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384', 'ec-p521', 'ec-secp256k1', 'ed25519', 'ed448', 'x25519', 'x448']) {
      expect(byId.get(id as never)?.supported, id).toBe(true);
    }
  });

  it('gives families and NIST security strengths', () => {
    expect(byId.get('rsa-2048')).toMatchObject({ family: 'rsa', securityBits: 112 });
    expect(byId.get('rsa-3072')).toMatchObject({ family: 'rsa', securityBits: 128 });
    expect(byId.get('rsa-4096')).toMatchObject({ family: 'rsa', securityBits: 152 });
    expect(byId.get('ec-p384')).toMatchObject({ family: 'ec', securityBits: 192 });
    expect(byId.get('ed448')).toMatchObject({ family: 'okp', securityBits: 224, usages: ['sign'] });
    expect(byId.get('x25519')).toMatchObject({ family: 'okp', securityBits: 128, usages: ['derive'] });
  });

  it('marks post-quantum ids unsupported, with the reason, when OpenSSL is older than 3.5', () => {
    const [major, minor] = process.versions.openssl.split('.').map(Number) as [number, number];
    const hasPqc = major > 3 || (major === 3 && minor >= 5);
    for (const id of ['ml-kem-512', 'ml-kem-768', 'ml-kem-1024', 'ml-dsa-44', 'ml-dsa-65', 'ml-dsa-87'] as const) {
      const info = byId.get(id)!;
      expect(info.supported, id).toBe(hasPqc);
      if (!info.supported) expect(info.reason).toMatch(/OpenSSL 3\.5/);
    }
  });

  it('returns copies that callers cannot use to corrupt later answers', () => {
    const first = listAlgorithms();
    first[0]!.usages.push('derive');
    first.pop();
    expect(listAlgorithms()).toEqual(algorithms);
  });
});
