/**
 * Turns a thrown value into an `error` event. Only what identifies the error's kind and place leaves the
 * process: its class name, its stable code, OpenSSL's library and reason names, a scrubbed and guarded
 * one-line message and the scrubbed stack frames. Nothing else of the error is read: not its other
 * properties (a Node fs error carries `path`, `dest`, `syscall`), not its `cause`, not the raw message.
 * (keyscope's own version is not here: the recorder stamps it on every event's envelope.)
 */
import { ErrorCodes, isAlgorithmId, KeyscopeError, OpenSSLError, isUsageOutcome } from '../../core/index.js';
import { type ErrorEvent, errorFingerprint } from '../events/index.js';
import { guardString } from './privacy/key-material-guard.js';
import { maxTemplateLength, messageTemplate } from './privacy/message-template.js';
import { scrubStack } from './privacy/scrub-paths.js';
import { opensslVersion } from './versions.js';

export interface ErrorContext {
  /** Where it surfaced: "cli keygen", "api generateKeyPair", ... */
  operation: string;
  /** The raw algorithm argument; recorded only when it is a valid algorithm id. */
  algorithm?: unknown;
}

/** Messages are one-line templates, short: enough to recognise an error, not to carry a payload. */
export const maxMessageLength = maxTemplateLength;

/** A class name as JavaScript spells one; anything else (a forged constructor name) becomes "Error". */
const className = /^[A-Za-z_$][\w$]{0,63}$/;
/** Node's codes: ERR_* and the errno names (ENOENT, EACCES, ...). */
const nodeCode = /^(ERR_[A-Z0-9_]{1,60}|E[A-Z0-9]{2,20})$/;
const knownCodes: ReadonlySet<string> = new Set(Object.values(ErrorCodes));
/** OpenSSL's library and reason names are short lowercase phrases. */
const opensslName = /^[\w .,()'/-]{1,80}$/;

function errorTypeOf(error: unknown): string {
  if (!(error instanceof Error)) return error === null ? 'null' : typeof error;
  const name = error.constructor?.name;
  return typeof name === 'string' && className.test(name) ? name : 'Error';
}

/** The stable code of a thrown value, when it has one keyscope recognises (its own, Node's ERR_* and errno names). */
export function errorCodeOf(error: unknown): string | null {
  if (error instanceof KeyscopeError) return error.code;
  if (!(error instanceof Error)) return null;
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return null;
  return knownCodes.has(code) || nodeCode.test(code) ? code : null;
}

function opensslOf(error: unknown): ErrorEvent['openssl'] {
  if (!(error instanceof OpenSSLError)) return [];
  return error.openssl.slice(0, 10).map((entry) => ({
    library: typeof entry.library === 'string' && opensslName.test(entry.library) ? guardString(entry.library) : 'unknown',
    reason: typeof entry.reason === 'string' && opensslName.test(entry.reason) ? guardString(entry.reason) : 'unknown',
  }));
}

/** Stands in for an outcome's message, which exists to quote what was typed; outcomes make no group anyway. */
export const unrecordedMessage = '[not recorded: it can quote what was typed]';

/**
 * The message as a template (privacy/message-template.ts): keyscope's errors name the bad value so a person
 * can fix it ("unknown algorithm ...", "FILE exists", "environment variable VAR is not set", commander's
 * "unknown option ..."), and a failure's message names paths and numbers, so the words are kept and every
 * value becomes a placeholder. An outcome (errors.ts errorCodeKinds) is not an error group and its message
 * is the one most likely to quote what was typed (a passphrase typed where a variable name belonged), so it
 * keeps none. A system error keeps its code and system call, which say all its message would.
 */
function messageOf(error: unknown): string {
  if (isUsageOutcome(error)) return unrecordedMessage;
  const system = error instanceof Error && !(error instanceof KeyscopeError) ? (error as NodeJS.ErrnoException) : null;
  if (system && typeof system.code === 'string' && typeof system.syscall === 'string') return messageTemplate(`${system.code}: ${system.syscall} failed`);
  // Only the message of a real Error (or a thrown string): never String() of an arbitrary object.
  return messageTemplate(error instanceof Error ? String(error.message) : `a thrown ${error === null ? 'null' : typeof error}`);
}

/** The running OpenSSL, asked of the addon; Node's own when the addon itself is what failed to load. */
function safeOpensslVersion(): string {
  try {
    return opensslVersion();
  } catch {
    return process.versions.openssl ?? 'unknown';
  }
}

export function errorEventFrom(error: unknown, context: ErrorContext): ErrorEvent {
  const errorType = errorTypeOf(error);
  const code = errorCodeOf(error);
  const openssl = opensslOf(error);
  const stack = error instanceof Error ? scrubStack(error.stack) : [];
  let algorithm: string | undefined;
  try {
    algorithm = isAlgorithmId(context.algorithm) ? context.algorithm : undefined;
  } catch {
    algorithm = undefined; // the algorithm table itself is unavailable (the addon did not load)
  }
  return {
    type: 'error',
    scope: 'errors',
    errorType,
    code,
    message: messageOf(error),
    openssl,
    stack,
    fingerprint: errorFingerprint({ errorType, code, openssl, stack }),
    operation: guardString(context.operation),
    ...(algorithm === undefined ? {} : { algorithm }),
    nodeVersion: process.versions.node,
    opensslVersion: safeOpensslVersion(),
  };
}
