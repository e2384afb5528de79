/**
 * The built-in default suite (`keyscope bench`, `npm run bench`): every supported algorithm through keyscope's
 * native loop, keyscope's single-call API (sync and async), node:crypto (sync and async) and WebCrypto where it
 * has the algorithm, so that one run answers "how does this compare to what I would use instead"; plus
 * throughput scaling over 1..N threads for a cheap and an expensive algorithm. It ships compiled in dist/suites,
 * so it imports keyscope's modules directly rather than the package name a user's own suite would use.
 */
import { generateKeyPair as nodeGenerateKeyPair, generateKeyPairSync as nodeGenerateKeyPairSync, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';

import { type AlgorithmId, generateKeyPair, generateKeyPairSync, listAlgorithms } from '../core/index.js';
import { type CaseDefinition, defineSuite } from '../bench/index.js';

const generateKeyPairAsync = promisify(nodeGenerateKeyPair) as (type: string, options: object) => Promise<unknown>;

/** node:crypto's generateKeyPair arguments for a keyscope algorithm id. */
function nodeArguments(id: AlgorithmId): [string, object] {
  if (id.startsWith('rsa-')) return ['rsa', { modulusLength: Number(id.slice(4)) }];
  const curves: Record<string, string> = { 'ec-p256': 'P-256', 'ec-p384': 'P-384', 'ec-p521': 'P-521', 'ec-secp256k1': 'secp256k1' };
  if (curves[id]) return ['ec', { namedCurve: curves[id] }];
  return [id, {}];
}

type WebCryptoParams = { algorithm: webcrypto.AlgorithmIdentifier | webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams; usages: webcrypto.KeyUsage[] };

/**
 * WebCrypto's name for a post-quantum algorithm where the running Node's WebCrypto generates it (Node 24 has
 * ML-KEM and ML-DSA, as experimental algorithms that print a warning once each; no runtime has SLH-DSA there yet).
 * Asked at run time, like keyscope's own support, through SubtleCrypto.supports where it exists.
 */
function postQuantumWebCrypto(id: AlgorithmId): WebCryptoParams | null {
  const family = /^(ml-kem|ml-dsa)-(\d+)$/.exec(id);
  // SubtleCrypto.supports is newer than the Node 20 typings this project compiles against.
  const subtle = (globalThis as { SubtleCrypto?: { supports?: (operation: string, algorithm: string) => boolean } }).SubtleCrypto;
  if (!family || typeof subtle?.supports !== 'function') return null;
  const name = `${family[1]!.toUpperCase()}-${family[2]}`;
  if (!subtle.supports('generateKey', name)) return null;
  const usages = (family[1] === 'ml-kem' ? ['encapsulateBits', 'decapsulateBits'] : ['sign', 'verify']) as webcrypto.KeyUsage[];
  return { algorithm: { name }, usages };
}

/** WebCrypto's name for the algorithm, or null where WebCrypto has no such key type (secp256k1, SLH-DSA). */
function webCryptoParameters(id: AlgorithmId): WebCryptoParams | null {
  if (id.startsWith('rsa-')) {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', modulusLength: Number(id.slice(4)), publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
    return { algorithm, usages: ['sign', 'verify'] };
  }
  const ecdsa: Record<string, string> = { 'ec-p256': 'P-256', 'ec-p384': 'P-384', 'ec-p521': 'P-521' };
  if (ecdsa[id]) return { algorithm: { name: 'ECDSA', namedCurve: ecdsa[id] }, usages: ['sign', 'verify'] };
  const named: Record<string, WebCryptoParams> = {
    ed25519: { algorithm: { name: 'Ed25519' }, usages: ['sign', 'verify'] },
    ed448: { algorithm: { name: 'Ed448' }, usages: ['sign', 'verify'] },
    x25519: { algorithm: { name: 'X25519' }, usages: ['deriveBits'] },
    x448: { algorithm: { name: 'X448' }, usages: ['deriveBits'] },
  };
  return named[id] ?? postQuantumWebCrypto(id);
}

function casesFor(id: AlgorithmId): CaseDefinition[] {
  const [type, options] = nodeArguments(id);
  const web = webCryptoParameters(id);
  return [
    { kind: 'native', name: 'keygen', algorithm: id },
    { kind: 'js', name: 'keygen', implementation: 'keyscope', algorithm: id, fn: () => generateKeyPairSync(id) },
    { kind: 'js', name: 'keygen', implementation: 'keyscope-async', algorithm: id, fn: () => generateKeyPair(id) },
    { kind: 'js', name: 'keygen', implementation: 'node:crypto', algorithm: id, fn: () => nodeGenerateKeyPairSync(type as 'rsa', options as never) },
    { kind: 'js', name: 'keygen', implementation: 'node:crypto-async', algorithm: id, fn: () => generateKeyPairAsync(type, options) },
    {
      kind: 'js',
      name: 'keygen',
      implementation: 'webcrypto',
      algorithm: id,
      fn: () => webcrypto.subtle.generateKey(web!.algorithm as webcrypto.EcKeyGenParams, false, web!.usages),
      ...(web ? {} : { skip: `WebCrypto has no ${id} key type` }),
    },
  ];
}

export default defineSuite({
  name: 'default',
  description: 'every supported algorithm through keyscope (native loop, sync, async), node:crypto (sync, async) and WebCrypto; throughput over 1..N threads',
  cases: ({ quick, cores }) => {
    const supported = listAlgorithms().filter((a) => a.supported).map((a) => a.id);
    const algorithms = quick ? supported.filter((id) => ['ec-p256', 'ed25519', 'rsa-2048'].includes(id)) : supported;
    const throughput: CaseDefinition[] = [];
    for (const [algorithm, durationMs] of quick ? ([['ec-p256', 300]] as const) : ([['ec-p256', 1000], ['rsa-2048', 3000]] as const)) {
      for (let threads = 1; threads <= cores; threads++) {
        throughput.push({ kind: 'throughput', name: 'throughput', algorithm, threads, durationMs, budget: { maxTimeMs: durationMs } });
      }
    }
    return [...algorithms.flatMap(casesFor), ...throughput];
  },
});
