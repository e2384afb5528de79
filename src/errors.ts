/**
 * keyscope's errors: one class per kind of failure, each with a stable `code` that scripts can rely on and a
 * one-line message that names the bad value. The native addon builds these same classes through
 * `createKeyscopeError`, which the loader hands to it at start-up.
 */

export const ErrorCodes = {
  invalidOption: 'KS_INVALID_OPTION',
  unknownAlgorithm: 'KS_UNKNOWN_ALGORITHM',
  invalidKeySize: 'KS_INVALID_KEY_SIZE',
  weakKeySize: 'KS_WEAK_KEY_SIZE',
  unsupportedAlgorithm: 'KS_UNSUPPORTED_ALGORITHM',
  openssl: 'KS_OPENSSL',
  keyReleased: 'KS_KEY_RELEASED',
  nativeLoad: 'KS_NATIVE_LOAD',
  usage: 'KS_USAGE',
  fileExists: 'KS_FILE_EXISTS',
  fileWrite: 'KS_FILE_WRITE',
  missingPassphrase: 'KS_MISSING_PASSPHRASE',
  unsafeOutput: 'KS_UNSAFE_OUTPUT',
  storeBusy: 'KS_STORE_BUSY',
  storeCorrupt: 'KS_STORE_CORRUPT',
  storeForeign: 'KS_STORE_FOREIGN',
  storeNotFound: 'KS_STORE_NOT_FOUND',
  storeTooNew: 'KS_STORE_TOO_NEW',
  storeClosed: 'KS_STORE_CLOSED',
  storeReadOnly: 'KS_STORE_READ_ONLY',
  storeIo: 'KS_STORE_IO',
  runNotFound: 'KS_RUN_NOT_FOUND',
  runExists: 'KS_RUN_EXISTS',
  importInvalid: 'KS_IMPORT_INVALID',
  suiteNotFound: 'KS_SUITE_NOT_FOUND',
  suiteInvalid: 'KS_SUITE_INVALID',
  suiteTypeScript: 'KS_SUITE_TYPESCRIPT',
  runAmbiguous: 'KS_RUN_AMBIGUOUS',
  compareNeedsRuns: 'KS_COMPARE_NEEDS_RUNS',
  environmentMismatch: 'KS_ENVIRONMENT_MISMATCH',
  errorGroupNotFound: 'KS_ERROR_GROUP_NOT_FOUND',
  errorGroupAmbiguous: 'KS_ERROR_GROUP_AMBIGUOUS',
  analyticsUnknownScope: 'KS_ANALYTICS_SCOPE',
  analyticsBusy: 'KS_ANALYTICS_BUSY',
  analyticsCorrupt: 'KS_ANALYTICS_CORRUPT',
  analyticsSpoolCorrupt: 'KS_ANALYTICS_SPOOL_CORRUPT',
  alertRulesInvalid: 'KS_ALERT_RULES_INVALID',
  webhookFailed: 'KS_WEBHOOK_FAILED',
  dashboardInvalidQuery: 'KS_DASHBOARD_INVALID_QUERY',
  dashboardInvalidView: 'KS_DASHBOARD_INVALID_VIEW',
  dashboardPortInUse: 'KS_DASHBOARD_PORT_IN_USE',
  dashboardNotFound: 'KS_DASHBOARD_NOT_FOUND',
  dashboardUnauthorized: 'KS_DASHBOARD_UNAUTHORIZED',
  dashboardForbiddenHost: 'KS_DASHBOARD_FORBIDDEN_HOST',
  dashboardForbiddenOrigin: 'KS_DASHBOARD_FORBIDDEN_ORIGIN',
  dashboardListenFailed: 'KS_DASHBOARD_LISTEN_FAILED',
  dashboardInternal: 'KS_DASHBOARD_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** One entry of OpenSSL's error queue, drained on the thread that failed. */
export interface OpenSSLErrorEntry {
  library: string;
  reason: string;
  code: number;
}

export class KeyscopeError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    // Messages are one line by contract: logs and CI annotations stay readable.
    super(message.replace(/\s*\n\s*/g, ' '), options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The caller passed something keyscope cannot use: a bad option, algorithm id or key size. */
export class InvalidArgumentError extends KeyscopeError {}

/** A valid algorithm that the running OpenSSL cannot generate (e.g. ML-KEM before OpenSSL 3.5). */
export class UnsupportedAlgorithmError extends KeyscopeError {}

/** OpenSSL refused; `openssl` holds its drained error queue (library and reason). */
export class OpenSSLError extends KeyscopeError {
  readonly openssl: readonly OpenSSLErrorEntry[];

  constructor(message: string, openssl: readonly OpenSSLErrorEntry[]) {
    super(ErrorCodes.openssl, message);
    this.openssl = openssl;
  }
}

/** A file keyscope was asked to write could not be written as asked (exists, or the write failed). */
export class FileError extends KeyscopeError {}

const argumentCodes: ReadonlySet<string> = new Set([
  ErrorCodes.invalidOption,
  ErrorCodes.unknownAlgorithm,
  ErrorCodes.invalidKeySize,
  ErrorCodes.weakKeySize,
]);

function isErrorCode(code: string): code is ErrorCode {
  return (Object.values(ErrorCodes) as string[]).includes(code);
}

/** Builds the right class for a code; the native addon calls this for every error it raises. */
export function createKeyscopeError(code: string, message: string, openssl: OpenSSLErrorEntry[] = []): KeyscopeError {
  if (code === ErrorCodes.openssl) return new OpenSSLError(message, openssl);
  if (!isErrorCode(code)) return new KeyscopeError(ErrorCodes.openssl, `${message} (unexpected code ${code})`);
  if (argumentCodes.has(code)) return new InvalidArgumentError(code, message);
  if (code === ErrorCodes.unsupportedAlgorithm) return new UnsupportedAlgorithmError(code, message);
  return new KeyscopeError(code, message);
}
