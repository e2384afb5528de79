/**
 * Which scopes are on for this process, and why: one function, so the CLI, the library and `analytics status`
 * can never disagree. It only reads; the notice and saving are the caller's (settleCliConsent, analytics enable).
 * Nothing here ever asks: a command must never wait on a decision, so undecided simply means off.
 *
 * Precedence, first match wins:
 *   1. DO_NOT_TRACK or KEYSCOPE_ANALYTICS=off            -> environment-off (for the library too)
 *   2. library surface: the host's scopes, or nothing     -> library | undecided
 *   3. consent.json or the ledger corrupt                 -> corrupt (off, one warning, files kept)
 *   4. CI set                                             -> ci (off, no notice)
 *   5. a decision under the current notice               -> file
 *   6. undecided or an older notice                      -> undecided (off), + needsNotice at a terminal
 *                                                           if the first-run notice was not shown yet
 */
import { accessSync, constants } from 'node:fs';

import { allScopes, type AnalyticsPaths, type Scope } from '../../events/index.js';
import type { ConsentSource, EffectiveConsent } from './types.js';
import { type ConsentDecision, readConsentFile } from './consent-file.js';
import { processInstallId } from './process-install-id.js';
import { verifyLedger } from './ledger.js';
import { currentNoticeVersion } from './notice.js';
import { noticeShown } from './notice-shown.js';

export interface ResolveConsentOptions {
  env: NodeJS.ProcessEnv;
  paths: AnalyticsPaths;
  surface: 'cli' | 'library';
  /** stderr is a terminal and CI is not set: someone can read the first-run notice. */
  interactive: boolean;
  /** Library only: the scopes the host application opted in to, in code. Absent: it did not opt in. */
  libraryScopes?: readonly Scope[];
}

export interface ConsentResolution {
  consent: EffectiveConsent;
  /**
   * CLI only: nothing is decided under the current notice, the first-run notice for it was not shown yet, and
   * someone at a terminal can read it: the CLI prints it after the command's output. `acceptedNotice` is the
   * version of an older decision (which no longer counts), else null.
   */
  needsNotice: { acceptedNotice: number | null } | null;
  /** One full line ("keyscope: warning: ..."), at most one per resolution. */
  warning: string | null;
}

function isSet(value: string | undefined): boolean {
  if (value === undefined) return false;
  const normalized = value.trim().toLowerCase();
  return normalized !== '' && normalized !== '0' && normalized !== 'false';
}

/** Why the environment turns analytics off, or null. DO_NOT_TRACK counts when set to anything but 0/false. */
export function environmentOffReason(env: NodeJS.ProcessEnv): string | null {
  if (isSet(env['DO_NOT_TRACK'])) return 'DO_NOT_TRACK is set';
  const setting = env['KEYSCOPE_ANALYTICS']?.trim().toLowerCase();
  if (setting === 'off' || setting === '0' || setting === 'false') return `KEYSCOPE_ANALYTICS=${env['KEYSCOPE_ANALYTICS']}`;
  return null;
}

/** CI set to anything but empty, 0 or false (CI providers set CI=true; some set CI=1). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  return isSet(env['CI']);
}

export function sortScopes(scopes: Iterable<Scope>): Scope[] {
  const set = new Set(scopes);
  return allScopes.filter((scope) => set.has(scope));
}

function off(source: ConsentSource, detail: string, noticeVersion: number | null = null): EffectiveConsent {
  return { scopes: new Set(), source, noticeVersion, installId: null, detail };
}

function describeScopes(scopes: readonly Scope[]): string {
  return scopes.length === 0 ? 'no scope' : scopes.join(', ');
}

function resolveLibrary(options: ResolveConsentOptions): ConsentResolution {
  // CI does not stop an explicit library opt-in: the host application decided in code, knowing where it runs.
  // Only the environment switches (DO_NOT_TRACK, KEYSCOPE_ANALYTICS=off), checked before this, overrule it.
  if (options.libraryScopes === undefined) {
    return { consent: off('undecided', 'off: the host application has not opted in through the library API'), needsNotice: null, warning: null };
  }
  const scopes = sortScopes(options.libraryScopes);
  if (scopes.length === 0) {
    return { consent: off('library', 'off: the host application opted in to no scope'), needsNotice: null, warning: null };
  }
  // The CLI's install id when there is one (one machine, one id); otherwise an id for this process only, since
  // a library opt-in must not write a CLI decision into consent.json.
  const file = readConsentFile(options.paths);
  const installId = (file.state === 'ok' ? file.decision.installId : null) ?? processInstallId();
  return {
    consent: {
      scopes: new Set(scopes),
      source: 'library',
      noticeVersion: null,
      installId,
      detail: `on for ${describeScopes(scopes)}: the host application opted in through the library API`,
    },
    needsNotice: null,
    warning: null,
  };
}

function homeWritable(paths: AnalyticsPaths): boolean {
  try {
    accessSync(paths.home, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function fromDecision(decision: ConsentDecision, paths: AnalyticsPaths): ConsentResolution {
  const scopes = sortScopes(decision.scopes);
  const under = `notice v${decision.noticeVersion}, decided ${decision.decidedAt}`;
  if (scopes.length === 0) {
    return { consent: off('file', `off: every scope declined in consent.json (${under})`, decision.noticeVersion), needsNotice: null, warning: null };
  }
  // Checked here so that an unwritable home gives one warning now, instead of a failed spool write later.
  if (!homeWritable(paths)) {
    const detail = `off: ${paths.home} is not writable, so nothing can be recorded`;
    return { consent: off('file', detail, decision.noticeVersion), needsNotice: null, warning: `keyscope: warning: analytics ${detail}` };
  }
  return {
    consent: {
      scopes: new Set(scopes),
      source: 'file',
      noticeVersion: decision.noticeVersion,
      installId: decision.installId,
      detail: `on for ${describeScopes(scopes)}: allowed in consent.json (${under})`,
    },
    needsNotice: null,
    warning: null,
  };
}

const decideAgain = 'run "keyscope analytics enable" or "keyscope analytics disable" to decide again';

/** The consent in effect, and whether the CLI should show its first-run notice. Never throws, never writes. */
export function resolveConsent(options: ResolveConsentOptions): ConsentResolution {
  const envOff = environmentOffReason(options.env);
  if (envOff) return { consent: off('environment-off', `off: ${envOff} (it always wins)`), needsNotice: null, warning: null };
  if (options.surface === 'library') return resolveLibrary(options);

  const { paths } = options;
  const file = readConsentFile(paths);
  if (file.state === 'corrupt') {
    const detail = `off: ${paths.consentFile} ${file.reason}; the file is kept for inspection`;
    return { consent: off('corrupt', detail), needsNotice: null, warning: `keyscope: warning: analytics ${detail}; ${decideAgain}` };
  }
  const ledger = verifyLedger(paths, file);
  if (ledger.state === 'broken') {
    const detail = `off: the consent ledger ${paths.ledgerFile} is broken at line ${ledger.atLine}: ${ledger.reason}`;
    return { consent: off('corrupt', detail), needsNotice: null, warning: `keyscope: warning: analytics ${detail}; ${decideAgain}` };
  }
  if (isCi(options.env)) return { consent: off('ci', 'off: CI is set, so nothing is recorded and no notice is shown'), needsNotice: null, warning: null };
  if (file.state === 'ok' && file.decision.noticeVersion === currentNoticeVersion) return fromDecision(file.decision, paths);

  const accepted = file.state === 'ok' ? file.decision.noticeVersion : null;
  const why = accepted !== null ? `the notice changed (v${accepted} accepted, v${currentNoticeVersion} now)` : 'not decided yet';
  const consent = off('undecided', `off: ${why}; nothing is recorded until "keyscope analytics enable"`);
  const needsNotice = options.interactive && !noticeShown(paths, currentNoticeVersion) ? { acceptedNotice: accepted } : null;
  return { consent, needsNotice, warning: null };
}
