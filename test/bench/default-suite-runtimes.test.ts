/**
 * The default suite plans every algorithm the running OpenSSL has, post-quantum ones included on OpenSSL 3.5
 * (Node 24), each through keyscope (native, sync, async), node:crypto (sync, async) and WebCrypto where the
 * running Node's WebCrypto has it (ML-KEM and ML-DSA on Node 24; SLH-DSA nowhere yet, so skipped with the reason).
 * Every planned case's function really generates a key. CI runs this on Node 20 and Node 24.
 */
import { describe, expect, it } from 'vitest';

import defaultSuite from '../../src/suites/default.suite.js';
import { type AlgorithmId, listAlgorithms } from '../../src/index.js';
import type { CaseDefinition } from '../../src/bench/index.js';
import { opensslHasPostQuantum, postQuantumAlgorithms } from '../support/algorithms.js';

const planned = await defaultSuite.cases({ quick: false, cores: 2 });
const keygenCases = planned.filter((c): c is Exclude<CaseDefinition, { kind: 'throughput' }> => c.kind !== 'throughput');

describe('the default suite on this runtime', () => {
  it('plans six implementations for every supported algorithm and none for the others', () => {
    const supported = listAlgorithms().filter((a) => a.supported).map((a) => a.id);
    expect([...new Set(keygenCases.map((c) => c.algorithm))]).toEqual(supported);
    for (const id of supported) expect(keygenCases.filter((c) => c.algorithm === id), id).toHaveLength(6);
    expect(keygenCases.some((c) => postQuantumAlgorithms.includes(c.algorithm as AlgorithmId))).toBe(opensslHasPostQuantum());
  });

  it.runIf(opensslHasPostQuantum())('runs every post-quantum case it plans: node:crypto and WebCrypto generate the same algorithm', async () => {
    for (const id of postQuantumAlgorithms.filter((pq) => !/-(192|256)s$/.test(pq))) {
      const cases = keygenCases.filter((c) => c.algorithm === id && c.kind === 'js');
      for (const c of cases) {
        if (c.kind !== 'js') continue;
        if (c.skip) {
          expect([c.implementation, c.skip]).toEqual(['webcrypto', `WebCrypto has no ${id} key type`]);
          expect(id.startsWith('slh-dsa')).toBe(true);
          continue;
        }
        const made = (await c.fn()) as { publicKey: { asymmetricKeyType?: string; algorithm?: { name: string } } } | { algorithm: string };
        if (c.implementation === 'node:crypto' || c.implementation === 'node:crypto-async') {
          expect((made as { publicKey: { asymmetricKeyType?: string } }).publicKey.asymmetricKeyType, `${c.implementation} ${id}`).toBe(id);
        }
        if (c.implementation === 'webcrypto') {
          expect((made as { publicKey: { algorithm: { name: string } } }).publicKey.algorithm.name).toBe(id.toUpperCase());
        }
      }
    }
  });
});
