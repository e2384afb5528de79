/**
 * The product's core: key generation (keygen, KeyPair), its measurement (measureKeygen, profile, counters), the
 * algorithm table, the errors every room throws, and the one loader of the native addon.
 */
export {
  type AlgorithmFamily,
  type AlgorithmId,
  type AlgorithmInfo,
  findAlgorithm,
  isAlgorithmId,
  type KeyUsage,
  listAlgorithms,
  parseAlgorithm,
  type ParsedAlgorithm,
  securityBits,
} from './algorithms.js';
export { type CounterGroups, counterMask, type SampleBudget } from './budget.js';
export { type CounterGroup, type CounterName, type Counters, type CounterValue, type CycleCounterInfo, type TimerOverhead, toCounters } from './counters.js';
export { type ErrorCode, ErrorCodes, FileError, InvalidArgumentError, isOutcomeCode, isUsageOutcome, KeyscopeError, OpenSSLError, type OpenSSLErrorEntry, outcomeCodes, UnsupportedAlgorithmError } from './errors.js';
export { type FractionRange, type FractionResult, parseFraction } from './fraction.js';
export { type Instrumentation, setInstrumentation } from './instrumentation.js';
export { type KeyFormat, KeyPair, type PrivateKeyExportOptions, type PublicKeyExportOptions } from './key-pair.js';
export { generateKeyPair, generateKeyPairFromArgument, generateKeyPairSync, type GenerateOptions } from './keygen.js';
export { type KeygenMeasurement, type KeygenSamples, measureKeygen, type MeasureKeygenOptions } from './measure.js';
export { whileMeasuring } from './measuring.js';
export { requireOpenSSHAlgorithm } from './openssh/openssh-algorithms.js';
export { openSSHCommentProblem } from './openssh/openssh-comment.js';
export { opensshFingerprint } from './openssh/openssh-fingerprint.js';
export { native, nativeAddonPath } from './native/binding.js';
export { opensslInfo, type OpenSSLInfo } from './openssl.js';
export { profile, type ProfileOptions, type ProfileResult } from './profile.js';
export { describeValue, parseOptions } from './validate.js';
export { keyscopeVersion } from './version.js';
