/** How the CLI reports a failure: one line on stderr with the stable code, and an exit status by kind. */
import { ErrorCodes, KeyscopeError } from '../core/index.js';

/** Exit 2: the command was asked for something it cannot do as given (usage or data). Exit 1: it tried and failed. */
const usageCodes: ReadonlySet<string> = new Set([
  ErrorCodes.usage,
  ErrorCodes.invalidOption,
  ErrorCodes.unknownAlgorithm,
  ErrorCodes.invalidKeySize,
  ErrorCodes.weakKeySize,
  ErrorCodes.unsupportedAlgorithm,
  ErrorCodes.formatUnsupported,
  ErrorCodes.missingPassphrase,
  ErrorCodes.unsafeOutput,
  ErrorCodes.fileExists,
  ErrorCodes.suiteNotFound,
  ErrorCodes.suiteInvalid,
  ErrorCodes.suiteTypeScript,
  ErrorCodes.runNotFound,
  ErrorCodes.runExists,
  ErrorCodes.importInvalid,
  ErrorCodes.storeForeign,
  ErrorCodes.storeTooNew,
  ErrorCodes.storeNotFound,
  ErrorCodes.runAmbiguous,
  ErrorCodes.compareNeedsRuns,
  ErrorCodes.environmentMismatch,
  ErrorCodes.noHistory,
  ErrorCodes.baselineTestbed,
  ErrorCodes.interleavedBuild,
  ErrorCodes.analyticsUnknownScope,
  ErrorCodes.errorGroupNotFound,
  ErrorCodes.errorGroupAmbiguous,
  ErrorCodes.alertRulesInvalid,
  ErrorCodes.dashboardPortInUse,
  ErrorCodes.dashboardListenFailed,
  ErrorCodes.serverListenFailed,
  ErrorCodes.serverNoToken,
  ErrorCodes.serverSchemaTooNew,
]);

export function exitStatusFor(error: unknown): number {
  return error instanceof KeyscopeError && usageCodes.has(error.code) ? 2 : 1;
}

export function formatError(error: unknown): string {
  if (error instanceof KeyscopeError) return `keyscope: error ${error.code}: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `keyscope: unexpected error: ${message.split('\n')[0]}`;
}
