import { describe, expect, it } from 'vitest';

import { listAlgorithms } from '../../src/index.js';
import { opensslHasPostQuantum, postQuantumAlgorithms } from '../support/algorithms.js';

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
    expect(byId.get('ml-kem-768')).toMatchObject({ family: 'ml-kem', securityBits: 192, usages: ['encapsulate'] });
    expect(byId.get('slh-dsa-shake-192f')).toMatchObject({ family: 'slh-dsa', securityBits: 192, usages: ['sign'] });
    expect(byId.get('slh-dsa-sha2-256s')).toMatchObject({ family: 'slh-dsa', securityBits: 256, usages: ['sign'] });
  });

  it('marks post-quantum ids unsupported, with the reason, when OpenSSL is older than 3.5', () => {
    const hasPqc = opensslHasPostQuantum();
    expect(postQuantumAlgorithms).toHaveLength(18);
    for (const id of postQuantumAlgorithms) {
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
