/**
 * An error's fingerprint: what makes two occurrences "the same error". It hashes the error's type and code,
 * OpenSSL's first reason and the top in-package stack frames without their line and column numbers, so a
 * rebuild or an unrelated edit above a function does not split one error into two groups, while the same
 * message raised from another place does.
 */
import { createHash } from 'node:crypto';

/** How many in-package frames identify where an error comes from. */
export const fingerprintFrameCount = 3;

export interface FingerprintInput {
  errorType: string;
  code: string | null;
  /** OpenSSL's error queue (library and reason); only the first reason counts. */
  openssl: readonly { reason: string }[];
  /** Scrubbed frames (see privacy/scrub-paths.ts). */
  stack: readonly string[];
}

/** Frames that say nothing about keyscope's code: they move with Node versions and the caller's layout. */
function isInPackageFrame(frame: string): boolean {
  return !frame.includes('<external>') && !/\bnode:/.test(frame) && !frame.includes('~') && !/\(native\)|<anonymous>/.test(frame);
}

/** "at f (dist/core/keygen.js:12:5)" -> "at f (dist/core/keygen.js)": line and column numbers change with every rebuild. */
export function stripLineNumbers(frame: string): string {
  return frame.replace(/(:\d+){1,2}(?=\)?\s*$)/, '').trim();
}

/** The top in-package frames, without line numbers: the part of the stack a fingerprint hashes. */
export function fingerprintFrames(stack: readonly string[]): string[] {
  return stack.filter(isInPackageFrame).slice(0, fingerprintFrameCount).map(stripLineNumbers);
}

/** 16 hex digits of sha256 over the identifying parts, separated so that no two inputs run together. */
export function errorFingerprint(input: FingerprintInput): string {
  const parts = [input.errorType, input.code ?? '', input.openssl[0]?.reason ?? '', ...fingerprintFrames(input.stack)];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}
