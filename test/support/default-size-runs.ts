/**
 * A pair of runs the size of the biggest real default run, from real samples: the default suite's own case list
 * (src/suites/default.suite.ts) for every listed algorithm, as on an OpenSSL that has them all (3.5, Node 24:
 * 29 algorithms through 6 implementations, and throughput over 1..N threads for two of them; 178 cases on
 * 2 CPUs), whichever OpenSSL this runtime links. The test makes listAlgorithms() say so (a vi.mock of
 * src/core/algorithms.js: only planning reads it, nothing generates a key); defaultSizedRuns refuses a plan that misses an algorithm, so the test cannot
 * quietly shrink to the runtime's 70 cases. Each case is filled with the samples of the real quick run's case of
 * the same implementation and algorithm family (test/fixtures/quick-run-*.parquet; see family()). A real default
 * run takes many minutes on a shared machine; its size and shape are what the report's layout depends on.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';

import defaultSuite from '../../src/suites/default.suite.js';
import { listedAlgorithmIds } from '../../src/core/algorithms.js';
import type { CaseResult, RunRecord } from '../../src/model/types.js';
import { readRunExport } from '../../src/store/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/**
 * The quick run's algorithm whose samples stand in for `algorithm`'s: RSA from rsa-2048 (the one family with a
 * second measure, time per prime candidate, so no other family borrows it), elliptic curves from ec-p256,
 * Edwards and Montgomery curves and ML-KEM (tens of microseconds a key) from ed25519, ML-DSA and SLH-DSA from
 * ec-p256.
 */
function family(algorithm: string): string {
  if (algorithm.startsWith('rsa-')) return 'rsa-2048';
  if (/^(ec|ml-dsa|slh-dsa)-/.test(algorithm)) return 'ec-p256';
  return 'ed25519';
}

type PlannedCases = Awaited<ReturnType<typeof defaultSuite.cases>>;

function defaultSized(quick: RunRecord, planned: PlannedCases): RunRecord {
  const cases = planned.map((definition): CaseResult => {
    const implementation = definition.kind === 'js' ? definition.implementation : 'keyscope-native';
    const key = { suite: 'default', case: definition.name, implementation, algorithm: definition.algorithm };
    if (definition.kind === 'js' && definition.skip) return { state: 'skipped', key, parameters: {}, reason: definition.skip };
    const threads = definition.kind === 'throughput' ? definition.threads : undefined;
    const source = quick.cases.find(
      (c) =>
        c.key.case === definition.name &&
        c.key.implementation === implementation &&
        // The quick run scales one algorithm over threads (ec-p256); it stands in for the default run's two.
        c.key.algorithm === (threads === undefined ? family(definition.algorithm) : 'ec-p256') &&
        (threads === undefined || c.parameters['threads'] === Math.min(threads, 2)),
    );
    if (!source) throw new Error(`no quick-run case for ${JSON.stringify(key)}`);
    return { ...source, key, parameters: threads === undefined ? source.parameters : { ...source.parameters, threads } } as CaseResult;
  });
  return { ...quick, cases };
}

/** [baseline, candidate]: the A/A pair of real quick runs, each widened to the default suite's cases for every listed algorithm. */
export async function defaultSizedRuns(): Promise<[RunRecord, RunRecord]> {
  const planned = await defaultSuite.cases({ quick: false, cores: os.cpus().length });
  const missing = listedAlgorithmIds.filter((id) => !planned.some((c) => c.algorithm === id));
  if (missing.length > 0) {
    throw new Error(`the default suite planned no case for ${missing.join(', ')}: mock listAlgorithms with everyListedAlgorithmSupported to plan every listed algorithm`);
  }
  const [a, b] = await Promise.all([readRunExport(fixture('quick-run-a.parquet')), readRunExport(fixture('quick-run-b.parquet'))]);
  return [defaultSized(a, planned), defaultSized(b, planned)];
}
