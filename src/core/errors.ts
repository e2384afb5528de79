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
  formatUnsupported: 'KS_FORMAT_UNSUPPORTED',
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
  noHistory: 'KS_NO_HISTORY',
  baselineTestbed: 'KS_BASELINE_TESTBED',
  interleavedBuild: 'KS_INTERLEAVED_BUILD',
  interleavedWorker: 'KS_INTERLEAVED_WORKER',
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
  // The team server (src/server) and its clients (src/remote).
  serverDatabaseUnreachable: 'KS_SERVER_DATABASE_UNREACHABLE',
  serverDatabaseAuth: 'KS_SERVER_DATABASE_AUTH',
  serverSchemaTooNew: 'KS_SERVER_SCHEMA_TOO_NEW',
  serverListenFailed: 'KS_SERVER_LISTEN_FAILED',
  serverUnauthorized: 'KS_SERVER_UNAUTHORIZED',
  serverForbidden: 'KS_SERVER_FORBIDDEN',
  serverBadRequest: 'KS_SERVER_BAD_REQUEST',
  serverBodyTooLarge: 'KS_SERVER_BODY_TOO_LARGE',
  serverContentType: 'KS_SERVER_CONTENT_TYPE',
  serverRateLimited: 'KS_SERVER_RATE_LIMITED',
  serverRunConflict: 'KS_SERVER_RUN_CONFLICT',
  serverNotFound: 'KS_SERVER_NOT_FOUND',
  serverUnavailable: 'KS_SERVER_UNAVAILABLE',
  serverUnreachable: 'KS_SERVER_UNREACHABLE',
  serverProtocol: 'KS_SERVER_PROTOCOL',
  serverInternal: 'KS_SERVER_INTERNAL',
  serverNoToken: 'KS_SERVER_NO_TOKEN',
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
  ErrorCodes.formatUnsupported,
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

/**
 * Who an error is about, for error tracking. A `failure` is something keyscope or OpenSSL did wrong that
 * someone could fix in keyscope (or a broken install or store): it becomes an error group to resolve. An
 * `outcome` is keyscope answering the person or program that called it: a typo, a refused input, a file that
 * already exists, something another process holds, the host's own misuse of a handle. Nothing in keyscope is
 * broken, and resolving it would only make the next typo look like a regression, so outcomes are counted as
 * usage (the command event's code) and never become error groups.
 *
 * A record keyed by every code, so a new code does not compile until someone decides which it is.
 */
export const errorCodeKinds: { readonly [C in ErrorCode]: 'outcome' | 'failure' } = {
  // What was typed or passed in: an option, an algorithm id, a key size, a weak size without --allow-weak.
  KS_INVALID_OPTION: 'outcome',
  KS_UNKNOWN_ALGORITHM: 'outcome',
  KS_INVALID_KEY_SIZE: 'outcome',
  KS_WEAK_KEY_SIZE: 'outcome',
  // The running OpenSSL has no such algorithm (ML-KEM before 3.5): documented, nothing to fix in keyscope.
  KS_UNSUPPORTED_ALGORITHM: 'outcome',
  // A key encoding the algorithm does not have (an x25519 key in OpenSSH format): what was asked, not a bug.
  KS_FORMAT_UNSUPPORTED: 'outcome',
  // OpenSSL failed at something it supports: the case error tracking exists for.
  KS_OPENSSL: 'failure',
  // The host used a key after releasing it, or a store after closing it: its own code's mistake, reported to it.
  KS_KEY_RELEASED: 'outcome',
  KS_STORE_CLOSED: 'outcome',
  // The addon did not load: a broken install or prebuild, which is keyscope's to fix.
  KS_NATIVE_LOAD: 'failure',
  KS_USAGE: 'outcome',
  KS_FILE_EXISTS: 'outcome',
  // The file system refused a write where the person pointed (no such folder, no permission, read-only, full):
  // their machine's state, told to them in one line; nothing in keyscope to fix.
  KS_FILE_WRITE: 'outcome',
  KS_MISSING_PASSPHRASE: 'outcome',
  KS_UNSAFE_OUTPUT: 'outcome',
  // Another process holds the store or the analytics database: it ends when that process does.
  KS_STORE_BUSY: 'outcome',
  KS_ANALYTICS_BUSY: 'outcome',
  // Data keyscope wrote that it cannot read back, or an I/O error under it: keyscope's (or the disk's) failure.
  KS_STORE_CORRUPT: 'failure',
  KS_STORE_IO: 'failure',
  KS_ANALYTICS_CORRUPT: 'failure',
  KS_ANALYTICS_SPOOL_CORRUPT: 'failure',
  // The file named is not a store, is missing, is from a newer keyscope, or was opened read-only.
  KS_STORE_FOREIGN: 'outcome',
  KS_STORE_NOT_FOUND: 'outcome',
  KS_STORE_TOO_NEW: 'outcome',
  KS_STORE_READ_ONLY: 'outcome',
  // Names and files the person gave: runs, suites, an import, a rules file, an error group.
  KS_RUN_NOT_FOUND: 'outcome',
  KS_RUN_EXISTS: 'outcome',
  KS_IMPORT_INVALID: 'outcome',
  KS_SUITE_NOT_FOUND: 'outcome',
  KS_SUITE_INVALID: 'outcome',
  KS_SUITE_TYPESCRIPT: 'outcome',
  KS_RUN_AMBIGUOUS: 'outcome',
  KS_COMPARE_NEEDS_RUNS: 'outcome',
  KS_ENVIRONMENT_MISMATCH: 'outcome',
  // A branch with no runs on the candidate's testbed; a named baseline measured on another testbed.
  KS_NO_HISTORY: 'outcome',
  KS_BASELINE_TESTBED: 'outcome',
  // A directory named as a build that is not one (or predates interleaved sessions): the user's to fix.
  KS_INTERLEAVED_BUILD: 'outcome',
  // A build's worker process crashed or broke the protocol mid-session: keyscope's (or the build's) to fix.
  KS_INTERLEAVED_WORKER: 'failure',
  KS_ERROR_GROUP_NOT_FOUND: 'outcome',
  KS_ERROR_GROUP_AMBIGUOUS: 'outcome',
  KS_ANALYTICS_SCOPE: 'outcome',
  KS_ALERT_RULES_INVALID: 'outcome',
  // The person's own webhook endpoint refused or was unreachable.
  KS_WEBHOOK_FAILED: 'outcome',
  // Requests to the dashboard and the address it was asked to listen on.
  KS_DASHBOARD_INVALID_QUERY: 'outcome',
  KS_DASHBOARD_INVALID_VIEW: 'outcome',
  KS_DASHBOARD_PORT_IN_USE: 'outcome',
  KS_DASHBOARD_NOT_FOUND: 'outcome',
  KS_DASHBOARD_UNAUTHORIZED: 'outcome',
  KS_DASHBOARD_FORBIDDEN_HOST: 'outcome',
  KS_DASHBOARD_FORBIDDEN_ORIGIN: 'outcome',
  KS_DASHBOARD_LISTEN_FAILED: 'outcome',
  // A dashboard handler threw: a keyscope bug.
  KS_DASHBOARD_INTERNAL: 'failure',
  // The team server: a database the operator named wrongly, or one newer than this keyscope, is theirs to fix.
  KS_SERVER_DATABASE_UNREACHABLE: 'outcome',
  KS_SERVER_DATABASE_AUTH: 'outcome',
  KS_SERVER_SCHEMA_TOO_NEW: 'outcome',
  KS_SERVER_LISTEN_FAILED: 'outcome',
  // What the server answered a client: the request's or the deployment's, not keyscope failing.
  KS_SERVER_UNAUTHORIZED: 'outcome',
  KS_SERVER_FORBIDDEN: 'outcome',
  KS_SERVER_BAD_REQUEST: 'outcome',
  KS_SERVER_BODY_TOO_LARGE: 'outcome',
  KS_SERVER_CONTENT_TYPE: 'outcome',
  KS_SERVER_RATE_LIMITED: 'outcome',
  KS_SERVER_RUN_CONFLICT: 'outcome',
  KS_SERVER_NOT_FOUND: 'outcome',
  KS_SERVER_UNAVAILABLE: 'outcome',
  KS_SERVER_UNREACHABLE: 'outcome',
  KS_SERVER_NO_TOKEN: 'outcome',
  // A server that answers what no keyscope server answers, or a handler that threw: a bug.
  KS_SERVER_PROTOCOL: 'failure',
  KS_SERVER_INTERNAL: 'failure',
};

/**
 * Whether an error is an outcome (see errorCodeKinds). Only keyscope's own codes can be outcomes: a system
 * error that escaped unwrapped, an ERR_* from Node or an error with no code is keyscope failing to handle
 * something, so it is a failure.
 */
export function isUsageOutcome(error: unknown): boolean {
  return error instanceof KeyscopeError && isOutcomeCode(error.code);
}

/** The same decision for a recorded code (an event read back, from this or an older keyscope). */
export function isOutcomeCode(code: string | null): boolean {
  return code !== null && isErrorCode(code) && errorCodeKinds[code] === 'outcome';
}

/** Every outcome code, for SQL that must leave them out. */
export const outcomeCodes: readonly ErrorCode[] = (Object.keys(errorCodeKinds) as ErrorCode[]).filter((code) => errorCodeKinds[code] === 'outcome');
