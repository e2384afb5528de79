/**
 * The sign test for paired runs: with no change, each non-tied pair is equally likely to have the candidate
 * slower or faster, so the number of slower pairs is Binomial(pairs, 1/2).
 */
import type { RankTest } from '../types.js';
import { binomialPmf, twoSidedPValue } from '../../stats/index.js';

/** Exact two-sided p-values up to this many pairs (as medianRankInterval), the normal approximation above. */
const EXACT_LIMIT = 1000;

/** `slower` of `untied` pairs had the candidate slower; pairs with no difference are left out of both. */
export function signTest(slower: number, untied: number): RankTest {
  if (untied === 0) return { name: 'sign', statistic: slower, z: 0, pValue: 1 };
  const excess = slower - untied / 2;
  const corrected = Math.sign(excess) * Math.max(0, Math.abs(excess) - 0.5);
  const z = corrected / (Math.sqrt(untied) / 2);
  let pValue: number;
  if (untied <= EXACT_LIMIT) {
    const pmf = binomialPmf(untied, 0.5);
    let atMost = 0;
    for (let j = 0; j <= slower; j++) atMost += pmf[j]!;
    let atLeast = 0;
    for (let j = slower; j <= untied; j++) atLeast += pmf[j]!;
    pValue = Math.min(1, 2 * Math.min(atMost, atLeast));
  } else pValue = twoSidedPValue(z);
  return { name: 'sign', statistic: slower, z, pValue };
}
