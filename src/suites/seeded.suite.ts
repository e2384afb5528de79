/**
 * The built-in seeded suite (`keyscope bench seeded`): keyscope's native loop on seeded keys, so that two runs (say a
 * baseline build and a candidate build) try the same prime candidates key for key and can be compared as pairs.
 * RSA time is mostly the luck of the prime search; with the luck held fixed, a small change in the code under
 * test shows up in far fewer keys. The seed is recorded in each case's parameters.
 *
 * EC and Ed25519 have no luck to hold fixed; they are here so that a seeded run covers the cheap algorithms too.
 * Seeded keys draw from a fast stream instead of OpenSSL's CTR-DRBG, which leaves out about 3 us per EC or
 * EdDSA key (a quarter of ec-p256, an eighth of ed25519) and about 1% of rsa-2048 (~750 draws per key): hence
 * a case name of their own.
 */
import { type AlgorithmId, listAlgorithms } from '../core/index.js';
import { type CaseDefinition, defineSuite } from '../bench/index.js';

/** Any fixed value works; changing it changes every key, so runs are only paired across the same one. */
const SEED = 20250101;

export default defineSuite({
  name: 'seeded',
  description: 'keyscope native loop on seeded keys (rsa-2048, ec-p256, ed25519): runs with the same seed compare key for key',
  cases: () => {
    const supported = new Set(listAlgorithms().filter((a) => a.supported).map((a) => a.id));
    const algorithms: AlgorithmId[] = ['rsa-2048', 'ec-p256', 'ed25519'];
    return algorithms.filter((id) => supported.has(id)).map((algorithm): CaseDefinition => ({ kind: 'native', name: 'keygen-seeded', algorithm, seed: SEED }));
  },
});
