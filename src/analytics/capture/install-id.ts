/**
 * The install id: a random UUID that groups one installation's events, never derived from the machine or the
 * person. It lives in consent.json, is created on the first grant, and rotating it replaces it there and adds
 * a ledger entry that says so (without either id: the ledger must not link them).
 */
import { randomUUID } from 'node:crypto';

import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { readConsentFile, writeConsentFile } from './consent/consent-file.js';
import { appendLedgerEntry, verifyLedger } from './consent/ledger.js';
import type { AnalyticsPaths } from '../events/index.js';

export function newInstallId(): string {
  return randomUUID();
}

export type RotationResult =
  | { state: 'rotated'; previous: string; current: string }
  /** Nothing was ever allowed, so there is no id to rotate (one is created on the first grant). */
  | { state: 'none' };

/** Replaces the install id. Throws KeyscopeError when consent.json or the ledger cannot be trusted or written. */
export function rotateInstallId(paths: AnalyticsPaths, now: number = Date.now()): RotationResult {
  const file = readConsentFile(paths);
  if (file.state === 'corrupt') {
    throw new KeyscopeError(ErrorCodes.usage, `cannot rotate the install id: ${paths.consentFile} ${file.reason}; decide again with "keyscope analytics enable|disable" first`);
  }
  const previous = file.state === 'ok' ? file.decision.installId : null;
  if (file.state === 'missing' || previous === null) return { state: 'none' };
  const ledger = verifyLedger(paths, file);
  if (ledger.state === 'broken') {
    throw new KeyscopeError(ErrorCodes.usage, `cannot rotate the install id: the consent ledger is broken at line ${ledger.atLine}; decide again with "keyscope analytics enable|disable" first`);
  }
  const { decision } = file;
  const current = newInstallId();
  const time = new Date(now).toISOString();
  try {
    appendLedgerEntry(paths, ledger, { time, scopes: decision.scopes, noticeVersion: decision.noticeVersion, source: 'rotate-id', installIdRotated: true });
    writeConsentFile(paths, { ...decision, installId: current });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new KeyscopeError(ErrorCodes.fileWrite, `cannot rotate the install id: ${paths.home} is not writable (${reason})`, { cause: error });
  }
  return { state: 'rotated', previous, current };
}
