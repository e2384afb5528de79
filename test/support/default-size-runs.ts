/**
 * A pair of runs the size of a real default run, from real samples: the default suite's own case list on this
 * machine (src/suites/default.suite.ts, 70 cases on 2 CPUs: 11 algorithms through 6 implementations, and
 * throughput over 1..N threads for two algorithms), each case filled with the samples of the real quick run's
 * case of the same implementation and algorithm family (RSA from rsa-2048, elliptic curves from ec-p256,
 * Edwards and Montgomery curves from ed25519, throughput from ec-p256's; test/fixtures/quick-run-*.parquet). A real default run takes
 * minutes on a shared machine; its size and shape are what the report's layout depends on.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';

import defaultSuite from '../../src/suites/default.suite.js';
import type { CaseResult, RunRecord } from '../../src/model/types.js';
import { readRunExport } from '../../src/store/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function family(algorithm: string): string {
  if (algorithm.startsWith('rsa-')) return 'rsa-2048';
  if (algorithm.startsWith('ec-')) return 'ec-p256';
  return 'ed25519';
}

function defaultSized(quick: RunRecord, planned: Awaited<ReturnType<typeof defaultSuite.cases>>): RunRecord {
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

/** [baseline, candidate]: the A/A pair of real quick runs, each widened to the default suite's cases. */
export async function defaultSizedRuns(): Promise<[RunRecord, RunRecord]> {
  const planned = await defaultSuite.cases({ quick: false, cores: os.cpus().length });
  const [a, b] = await Promise.all([readRunExport(fixture('quick-run-a.parquet')), readRunExport(fixture('quick-run-b.parquet'))]);
  return [defaultSized(a, planned), defaultSized(b, planned)];
}
