/**
 * What makes two cases of different runs "the same case": suite, case, implementation, algorithm and the
 * parameters (throughput cases differ only by their thread count). A seed is not part of it: it decides only
 * whether two cases can be compared key by key.
 */
import type { CaseKey, CaseParameters } from './types.js';

export function caseIdentity(c: { key: CaseKey; parameters: CaseParameters }): string {
  const names = Object.keys(c.parameters).filter((name) => name !== 'seed').sort();
  return JSON.stringify([c.key.suite, c.key.case, c.key.implementation, c.key.algorithm, names.map((name) => [name, c.parameters[name]])]);
}
