/**
 * Analytics for applications that use keyscope as a library. Nothing is recorded unless the host application
 * opts in here, in code, naming the scopes; it can read and change that consent at run time. DO_NOT_TRACK=1 and
 * KEYSCOPE_ANALYTICS=off still win. Every change of the host's scopes is appended to the consent ledger.
 */
import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { appendLedgerEntry, type LedgerState, verifyLedger } from './consent/ledger.js';
import { currentNoticeVersion } from './consent/notice.js';
import { environmentOffReason, resolveConsent, sortScopes } from './consent/resolve-consent.js';
import { allScopes, type AnalyticsPaths, ensureAnalyticsHome, resolveAnalyticsPaths, type Scope } from '../events/index.js';
import { activeAnalytics, startAnalytics } from './runtime.js';
import { librarySession } from './session.js';
import type { EffectiveConsent } from './consent/types.js';

export interface EnableAnalyticsOptions {
  /** The scopes the host application allows: usage, performance, errors, security. */
  scopes: readonly Scope[];
  /** Environment to read DO_NOT_TRACK, KEYSCOPE_ANALYTICS, KEYSCOPE_HOME and XDG_DATA_HOME from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Called once with a warning line (e.g. the data directory is not writable); default: ignored. */
  onWarning?: (line: string) => void;
}

const offConsent: EffectiveConsent = {
  scopes: new Set(),
  source: 'undecided',
  noticeVersion: null,
  installId: null,
  detail: 'off: the host application has not opted in through the library API',
};

let libraryPaths: AnalyticsPaths | null = null;
let libraryEnv: NodeJS.ProcessEnv = process.env;

function checkScopes(scopes: unknown, where: string): Scope[] {
  if (!Array.isArray(scopes) || scopes.some((s) => !allScopes.includes(s as Scope))) {
    throw new KeyscopeError(ErrorCodes.analyticsUnknownScope, `${where}: scopes must be an array of ${allScopes.join(', ')}`);
  }
  return sortScopes(scopes as Scope[]);
}

/** The ledger keeps every change of the host's consent; a repeat of the last one is not a change. */
function appendLibraryChange(paths: AnalyticsPaths, scopes: Scope[]): void {
  try {
    ensureAnalyticsHome(paths);
    const ledger: LedgerState = verifyLedger(paths);
    if (ledger.state === 'broken') return; // never extend a chain that fails verification; status shows it
    const entries = ledger.state === 'ok' ? ledger.entries : [];
    const lastLibrary = [...entries].reverse().find((entry) => entry.source === 'library');
    if (lastLibrary && lastLibrary.scopes.join(',') === scopes.join(',')) return;
    appendLedgerEntry(paths, ledger, { time: new Date().toISOString(), scopes, noticeVersion: currentNoticeVersion, source: 'library' });
  } catch {
    // The ledger is the record of a decision made in code; an unwritable home already turns recording off.
  }
}

/** Opts the host application in for `scopes` (the others stay off); returns the consent now in effect. */
export function enableAnalytics(options: EnableAnalyticsOptions): EffectiveConsent {
  const scopes = checkScopes(options?.scopes, 'enableAnalytics');
  const env = options.env ?? process.env;
  const paths = resolveAnalyticsPaths(env);
  // The person's own DO_NOT_TRACK / KEYSCOPE_ANALYTICS=off win over the host, even one that passes its own env.
  const switches = environmentOffReason(process.env) === null ? env : process.env;
  const { consent } = resolveConsent({ env: switches, paths, surface: 'library', interactive: false, libraryScopes: scopes });
  if (consent.source === 'library') appendLibraryChange(paths, scopes);
  const running = activeAnalytics();
  // The same home and the same install id: change the scopes in place. Otherwise start over, so that a first
  // opt-in to no scope (no install id, so no native spool) is followed by one that records.
  if (running && libraryPaths?.home === paths.home && running.recorder.consent().installId === consent.installId) {
    running.recorder.setConsent(consent);
    return consent;
  }
  libraryPaths = paths;
  libraryEnv = env;
  const session = librarySession();
  startAnalytics({
    consent,
    paths,
    surface: 'library',
    sessionId: session.sessionId,
    isNewSession: session.isNew,
    debug: env['KEYSCOPE_ANALYTICS_DEBUG'] === '1' ? process.stderr : null,
    onWarning: options.onWarning ?? (() => {}),
  });
  return consent;
}

/** Changes the host's scopes at run time (an empty list records nothing, and keeps the opt-in on record). */
export function setAnalyticsScopes(scopes: readonly Scope[]): EffectiveConsent {
  const running = activeAnalytics();
  if (!running || libraryPaths === null) {
    throw new KeyscopeError(ErrorCodes.usage, 'setAnalyticsScopes: call enableAnalytics first');
  }
  return enableAnalytics({ scopes, env: libraryEnv });
}

/** Stops recording for the rest of the process (until enableAnalytics again) and seals the spools. */
export function disableAnalytics(): void {
  if (libraryPaths !== null) appendLibraryChange(libraryPaths, []);
  activeAnalytics()?.stop();
  libraryPaths = null;
}

/** The consent in effect for this process. */
export function analyticsConsent(): EffectiveConsent {
  return activeAnalytics()?.recorder.consent() ?? offConsent;
}
