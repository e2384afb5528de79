/**
 * The TypeScript names of ids, families and usages are spelled out (for AlgorithmId's type), so they are checked
 * against the native algorithm table here: a row added or renamed there fails this test until they agree.
 */
import { describe, expect, it } from 'vitest';

import { algorithmFamilies, keyUsages, listAlgorithms, listedAlgorithmIds } from '../../src/core/algorithms.js';

describe('the TypeScript names of algorithms', () => {
  const listed = listAlgorithms();

  it('are the ids the native table lists, in its order', () => {
    expect(listed.map((a) => a.id)).toEqual([...listedAlgorithmIds]);
  });

  it('name every family and usage the table uses, and no other', () => {
    expect(new Set(listed.map((a) => a.family))).toEqual(new Set(algorithmFamilies));
    expect(new Set(listed.flatMap((a) => a.usages))).toEqual(new Set(keyUsages));
  });
});
