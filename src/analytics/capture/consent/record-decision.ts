/**
 * Saves a decision: one ledger entry, then consent.json. The ledger entry goes first so that the record of a
 * change never lags the change itself; if the second write fails, the two disagree and the next run sees a
 * broken ledger, which means off (the safe side) with one warning.
 *
 * A corrupt consent.json or a broken ledger is moved aside (kept, renamed) before anything is written: only an
 * explicit decision replaces them, and the caller says so in its output.
 *
 * There is no lock: decisions are made by a person, one at a time. Two processes saving within the same
 * millisecond could both append the same seq; the chain then reads as broken, which is off and one warning,
 * never a wrong grant.
 */
import { randomUUID } from 'node:crypto';

import type { AnalyticsPaths, Scope } from '../../events/index.js';
import { type ConsentDecision, consentFileFormat, readConsentFile, setAsideCorruptConsentFile, writeConsentFile } from './consent-file.js';
import { appendLedgerEntry, type LedgerEntry, type LedgerState, setAsideBrokenLedger, verifyLedger } from './ledger.js';
import { currentNoticeVersion } from './notice.js';
import { sortScopes } from './resolve-consent.js';

export interface DecisionRequest {
  scopes: readonly Scope[];
  /** Decisions are made with `analytics enable|disable`; 'prompt' entries come from older versions' question. */
  source: 'command';
  now: number;
}

export type DecisionResult =
  | { state: 'unchanged'; decision: ConsentDecision }
  | {
      state: 'saved';
      decision: ConsentDecision;
      /** The decision it replaced, when there was a valid one. */
      previous: ConsentDecision | null;
      entry: LedgerEntry;
      /** One line each: files moved aside before saving. */
      notes: string[];
    };

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** Moves aside what cannot be trusted; returns the ledger to append to and what was done. */
function clearDamage(paths: AnalyticsPaths, now: number): { previous: ConsentDecision | null; ledger: LedgerState; notes: string[] } {
  const notes: string[] = [];
  const file = readConsentFile(paths);
  let ledger = verifyLedger(paths, file);
  if (file.state === 'corrupt') {
    const keptAs = setAsideCorruptConsentFile(paths, now);
    notes.push(`the corrupt consent file (${file.reason}) was kept as ${keptAs}`);
    ledger = verifyLedger(paths);
  }
  if (ledger.state === 'broken') {
    try {
      const keptAs = setAsideBrokenLedger(paths, now);
      notes.push(`the broken consent ledger (line ${ledger.atLine}: ${ledger.reason}) was kept as ${keptAs}; a new one starts here`);
    } catch (error) {
      // consent.json without any ledger: there is no file to move, the new chain simply starts.
      if (!isMissing(error)) throw error;
      notes.push(`the consent ledger was missing (${ledger.reason}); a new one starts here`);
    }
    ledger = { state: 'empty' };
  }
  return { previous: file.state === 'ok' ? file.decision : null, ledger, notes };
}

/** Records `request` under the current notice. Throws (with the fs error) when the home cannot be written. */
export function recordDecision(paths: AnalyticsPaths, request: DecisionRequest): DecisionResult {
  const { previous, ledger, notes } = clearDamage(paths, request.now);
  const scopes = sortScopes(request.scopes);
  if (
    previous &&
    notes.length === 0 &&
    previous.noticeVersion === currentNoticeVersion &&
    sortScopes(previous.scopes).join() === scopes.join()
  ) {
    return { state: 'unchanged', decision: previous };
  }
  const time = new Date(request.now).toISOString();
  // The id is created on the first grant and kept through later changes; only rotate-id replaces it.
  const installId = previous?.installId ?? (scopes.length > 0 ? randomUUID() : null);
  const decision: ConsentDecision = {
    format: consentFileFormat,
    noticeVersion: currentNoticeVersion,
    scopes,
    installId,
    decidedAt: time,
    ...(previous?.retentionDays !== undefined ? { retentionDays: previous.retentionDays } : {}),
  };
  const entry = appendLedgerEntry(paths, ledger, { time, scopes, noticeVersion: currentNoticeVersion, source: request.source });
  writeConsentFile(paths, decision);
  return { state: 'saved', decision, previous, entry, notes };
}
