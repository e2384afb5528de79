/**
 * The algorithms keyscope knows. Everything about an id (whether it is one, its family, size, strength, usages,
 * whether only allowWeak admits it) is the native algorithm table's answer (native/core/algorithms.cc, through
 * the addon's parseAlgorithm and listAlgorithms). The id, family and usage lists below exist only to type
 * those answers; test/core/algorithm-ids-match-table.test.ts keeps them equal to the table.
 */
import { ErrorCodes, InvalidArgumentError, KeyscopeError } from './errors.js';
import { native } from './native/binding.js';
import type { RawAlgorithm } from './native/types.js';
import { describeValue } from './validate.js';

/**
 * The ids listAlgorithms() lists, in its order, spelled out so that AlgorithmId is a union editors complete.
 * test/core/algorithm-ids-match-table.test.ts checks that they are the native table's.
 */
export const listedAlgorithmIds = [
  'rsa-2048',
  'rsa-3072',
  'rsa-4096',
  'ec-p256',
  'ec-p384',
  'ec-p521',
  'ec-secp256k1',
  'ed25519',
  'ed448',
  'x25519',
  'x448',
  'ml-kem-512',
  'ml-kem-768',
  'ml-kem-1024',
  'ml-dsa-44',
  'ml-dsa-65',
  'ml-dsa-87',
  'slh-dsa-sha2-128s',
  'slh-dsa-sha2-128f',
  'slh-dsa-sha2-192s',
  'slh-dsa-sha2-192f',
  'slh-dsa-sha2-256s',
  'slh-dsa-sha2-256f',
  'slh-dsa-shake-128s',
  'slh-dsa-shake-128f',
  'slh-dsa-shake-192s',
  'slh-dsa-shake-192f',
  'slh-dsa-shake-256s',
  'slh-dsa-shake-256f',
] as const;

/** The canonical ids listed by default; any `rsa-<bits>` (2048..16384, a multiple of 8; from 1024 with allowWeak) is valid too. */
export type AlgorithmId = (typeof listedAlgorithmIds)[number] | `rsa-${number}`;

/** The table's family and usage names (the same test checks them). */
export const algorithmFamilies = ['rsa', 'ec', 'okp', 'ml-kem', 'ml-dsa', 'slh-dsa'] as const;
export const keyUsages = ['sign', 'encrypt', 'derive', 'encapsulate'] as const;
export type AlgorithmFamily = (typeof algorithmFamilies)[number];
export type KeyUsage = (typeof keyUsages)[number];

export type AlgorithmInfo = {
  id: AlgorithmId;
  family: AlgorithmFamily;
  /** Security strength in bits (NIST SP 800-57). */
  securityBits: number;
  usages: KeyUsage[];
} & ({ supported: true } | { supported: false; reason: string });

/** What the algorithm table says of one id. */
export interface ParsedAlgorithm {
  id: AlgorithmId;
  family: AlgorithmFamily;
  /** The RSA modulus size; null for the fixed-size algorithms. */
  bits: number | null;
  /** Security strength in bits (NIST SP 800-57; RSA by SP 800-56B, as OpenSSL reports it). */
  securityBits: number;
  usages: KeyUsage[];
  /** Only allowWeak admits it (RSA below 2048 bits). */
  weak: boolean;
  /** Resists a quantum computer (ML-KEM, ML-DSA, SLH-DSA). */
  postQuantum: boolean;
}

function typed(raw: RawAlgorithm): ParsedAlgorithm {
  return {
    id: raw.id as AlgorithmId,
    family: raw.family as AlgorithmFamily,
    bits: raw.bits === 0 ? null : raw.bits,
    securityBits: raw.securityBits,
    usages: raw.usages.split(',') as KeyUsage[],
    weak: raw.weak,
    postQuantum: raw.postQuantum,
  };
}

/** Checks the algorithm argument's type, the one check made before the native table judges the id itself. */
export function requireAlgorithmId(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError(
      ErrorCodes.invalidOption,
      `${where}: algorithm must be a non-empty string such as "ec-p256" (got ${describeValue(value)})`,
    );
  }
  return value;
}

/**
 * The table's answer for `id`, or its refusal as the key generators throw it: KS_UNKNOWN_ALGORITHM,
 * KS_INVALID_KEY_SIZE, KS_WEAK_KEY_SIZE (a weak RSA size without allowWeak), or KS_INVALID_OPTION naming
 * `where` when `id` is not a non-empty string. Whether this OpenSSL supports it is listAlgorithms' answer.
 */
export function parseAlgorithm(id: unknown, options: { allowWeak?: boolean } = {}, where = 'parseAlgorithm'): ParsedAlgorithm {
  return typed(native.parseAlgorithm(requireAlgorithmId(id, where), options.allowWeak ?? false));
}

const refusals: ReadonlySet<string> = new Set([ErrorCodes.unknownAlgorithm, ErrorCodes.invalidKeySize, ErrorCodes.weakKeySize]);

/** What the table says of any id it knows, weak RSA sizes included; null for one it refuses. */
export function findAlgorithm(id: string): ParsedAlgorithm | null {
  try {
    return typed(native.parseAlgorithm(id, true));
  } catch (error) {
    if (error instanceof KeyscopeError && refusals.has(error.code)) return null;
    throw error;
  }
}

/**
 * Whether a caller's algorithm argument is a real algorithm id (weak RSA sizes included). Analytics records an
 * algorithm only when it is: anything else is the caller's own text, which could be anything (a key pasted in
 * the wrong place included).
 */
export function isAlgorithmId(value: unknown): value is AlgorithmId {
  return typeof value === 'string' && findAlgorithm(value) !== null;
}

/**
 * The security strength in bits of any id the algorithm table knows: every listed id and any `rsa-<bits>`, weak
 * sizes included. The same native table as listAlgorithms() answers, so every page and command agrees; null for
 * an id it does not know.
 */
export function securityBits(id: string): number | null {
  return findAlgorithm(id)?.securityBits ?? null;
}

let cached: AlgorithmInfo[] | undefined;

/** Every listed algorithm, with whether the running OpenSSL can generate it (and why not). */
export function listAlgorithms(): AlgorithmInfo[] {
  cached ??= native.listAlgorithms().map((raw) => {
    const { id, family, securityBits, usages } = typed(raw);
    const common = { id, family, securityBits, usages };
    return raw.supported ? { ...common, supported: true } : { ...common, supported: false, reason: raw.reason ?? '' };
  });
  return cached.map((info) => ({ ...info, usages: [...info.usages] }));
}
