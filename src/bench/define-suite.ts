/**
 * Suites are TypeScript modules in bench/ whose default export is defineSuite({...}). defineSuite is an
 * identity function: it only gives the definition its type.
 */
import type { AlgorithmId } from '../core/index.js';
import type { CaseParameters } from '../model/index.js';

/** How long a case may sample and how precise it tries to get; every field optional, see resolveCaseBudget. */
export interface CaseBudget {
  /** Stop once the 99% interval of the median is within +-precision of it (default 0.01). */
  precision?: number;
  /** Confidence of that interval (default 0.99). */
  confidence?: number;
  /** Give up on precision after this long (default 2000 ms; RSA 6000 ms). */
  maxTimeMs?: number;
  /** Never stop before this many samples (default 30; RSA 10). */
  minSamples?: number;
  /** Never take more than this many (default 1,000,000). */
  maxSamples?: number;
}

interface CaseCommon {
  /** Case name, unique within the suite together with implementation and algorithm. */
  name: string;
  parameters?: CaseParameters;
  budget?: CaseBudget;
  /** Set to say why this case cannot run here (e.g. WebCrypto lacks the curve); it is reported as skipped. */
  skip?: string;
}

/** keyscope's native loop: measureKeygen, one sample per key, with cycles and RSA search work. */
export interface NativeCaseDefinition extends CaseCommon {
  kind: 'native';
  algorithm: AlgorithmId;
  /** Allows RSA moduli from 1024 to 2047 bits, as generateKeyPair's option does. */
  allowWeak?: boolean;
  /**
   * Seeded keys (measureKeygen's seed option): the case's keys are keys 0, 1, 2, ... of this seed's stream, so
   * two runs with the same seed try the same prime candidates key for key and compare as pairs. Recorded in the
   * case's parameters as `seed`. Seeded keys skip the cost of OpenSSL's CTR-DRBG, so give them a case name of
   * their own: they are comparable with seeded runs only.
   */
  seed?: number;
}

/** Any JS function, sampled by tinybench one call per sample (async functions until they settle). */
export interface JsCaseDefinition extends CaseCommon {
  kind: 'js';
  implementation: string;
  algorithm: string;
  fn: () => unknown;
}

/** Native key generation on `threads` libuv worker threads at once: throughput in keys per second. */
export interface ThroughputCaseDefinition extends CaseCommon {
  kind: 'throughput';
  algorithm: AlgorithmId;
  threads: number;
  allowWeak?: boolean;
  /** Wall time per measurement (default 1000 ms). */
  durationMs?: number;
}

export type CaseDefinition = NativeCaseDefinition | JsCaseDefinition | ThroughputCaseDefinition;

export interface SuiteContext {
  /** --quick: a smoke run; suites should trim their case list and budgets. */
  quick: boolean;
  /** CPU cores available to the process. */
  cores: number;
}

export interface SuiteDefinition {
  name: string;
  description?: string;
  /** Budget defaults for every case of the suite (a case's own budget wins). */
  budget?: CaseBudget;
  cases: (context: SuiteContext) => CaseDefinition[] | Promise<CaseDefinition[]>;
}

export function defineSuite(definition: SuiteDefinition): SuiteDefinition {
  return definition;
}
