/**
 * `keyscope analytics status|enable|disable|rotate-id`: see and change consent. These commands never record
 * anything themselves and never show the first-run notice (their registration, commands/analytics.ts, declares
 * them unrecorded).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { type ConsentFileState, currentNoticeVersion, type DecisionResult, type LedgerState, noticeText, readConsentFile, recordDecision, resolveConsent, rotateInstallId, sortScopes, verifyLedger } from '../analytics/capture/index.js';
import { allScopes, type AnalyticsPaths, resolveAnalyticsPaths, type Scope } from '../analytics/events/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';

export interface AnalyticsCommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Clock for tests. */
  now?: () => number;
}

export interface AnalyticsStatusOptions {
  json?: boolean;
}

/** What `analytics status --json` prints. */
export interface AnalyticsStatus {
  state: 'on' | 'off';
  source: string;
  detail: string;
  scopes: { [S in Scope]: boolean };
  notice: { current: number; accepted: number | null };
  installId: string | null;
  dataDirectory: string;
  consentFile: { state: 'missing' | 'ok' } | { state: 'corrupt'; reason: string };
  ledger: { state: 'empty' | 'ok'; entries: number } | { state: 'broken'; entries: number; atLine: number; reason: string };
  retention: { days: number; from: 'default' | 'consent.json' | 'KEYSCOPE_ANALYTICS_RETENTION_DAYS' };
  spool: { files: number; bytes: number };
}

const defaultRetentionDays = 180;

function parseScopes(args: readonly string[]): Scope[] {
  if (args.length === 0) return [...allScopes];
  for (const arg of args) {
    if (!(allScopes as readonly string[]).includes(arg)) {
      throw new KeyscopeError(ErrorCodes.analyticsUnknownScope, `unknown analytics scope "${arg}": use ${allScopes.join(', ')} (or none for all)`);
    }
  }
  return sortScopes(args as Scope[]);
}

function pendingSpool(paths: AnalyticsPaths): { files: number; bytes: number } {
  let names: string[];
  try {
    names = readdirSync(paths.spoolDir);
  } catch {
    return { files: 0, bytes: 0 };
  }
  let files = 0;
  let bytes = 0;
  for (const name of names) {
    try {
      const stat = statSync(join(paths.spoolDir, name));
      if (!stat.isFile()) continue;
      files += 1;
      bytes += stat.size;
    } catch {
      // Ingested and deleted by another process while we looked: no longer pending.
    }
  }
  return { files, bytes };
}

function retention(env: NodeJS.ProcessEnv, file: ConsentFileState): AnalyticsStatus['retention'] {
  const fromEnv = Number(env['KEYSCOPE_ANALYTICS_RETENTION_DAYS']);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return { days: fromEnv, from: 'KEYSCOPE_ANALYTICS_RETENTION_DAYS' };
  if (file.state === 'ok' && file.decision.retentionDays !== undefined) return { days: file.decision.retentionDays, from: 'consent.json' };
  return { days: defaultRetentionDays, from: 'default' };
}

function describeLedger(ledger: LedgerState): AnalyticsStatus['ledger'] {
  if (ledger.state === 'broken') return { state: 'broken', entries: ledger.entries.length, atLine: ledger.atLine, reason: ledger.reason };
  return { state: ledger.state, entries: ledger.state === 'ok' ? ledger.entries.length : 0 };
}

/** Everything `analytics status` shows. Only reads. */
export function analyticsStatusOf(env: NodeJS.ProcessEnv, paths: AnalyticsPaths = resolveAnalyticsPaths(env)): AnalyticsStatus {
  // Whether a notice is due does not change what is on, so interactive or not reads the same here.
  const { consent } = resolveConsent({ env, paths, surface: 'cli', interactive: false });
  const file = readConsentFile(paths);
  return {
    state: consent.scopes.size > 0 ? 'on' : 'off',
    source: consent.source,
    detail: consent.detail,
    scopes: Object.fromEntries(allScopes.map((scope) => [scope, consent.scopes.has(scope)])) as AnalyticsStatus['scopes'],
    notice: { current: currentNoticeVersion, accepted: file.state === 'ok' ? file.decision.noticeVersion : null },
    installId: file.state === 'ok' ? file.decision.installId : null,
    dataDirectory: paths.home,
    consentFile: file.state === 'corrupt' ? { state: 'corrupt', reason: file.reason } : { state: file.state },
    ledger: describeLedger(verifyLedger(paths, file)),
    retention: retention(env, file),
    spool: pendingSpool(paths),
  };
}

function statusText(status: AnalyticsStatus): string {
  const row = (label: string, value: string) => `${`${label}:`.padEnd(14)}${value}`;
  const { ledger, notice, consentFile } = status;
  const ledgerLine =
    ledger.state === 'broken'
      ? `BROKEN at line ${ledger.atLine}: ${ledger.reason}`
      : ledger.state === 'empty'
        ? 'no entries'
        : `${ledger.entries} ${ledger.entries === 1 ? 'entry' : 'entries'}, chain verified`;
  return [
    `analytics: ${status.state} (${status.source})`,
    `  ${status.detail}`,
    ...allScopes.map((scope) => `  ${scope.padEnd(12)}${status.scopes[scope] ? 'on' : 'off'}`),
    row('notice', `v${notice.current} current, ${notice.accepted === null ? 'none accepted' : `v${notice.accepted} accepted`}`),
    row('install id', status.installId ?? 'none (created when a scope is first allowed)'),
    row('data', status.dataDirectory),
    row('consent file', consentFile.state === 'corrupt' ? `CORRUPT: ${consentFile.reason} (kept for inspection)` : consentFile.state),
    row('ledger', ledgerLine),
    row('retention', `${status.retention.days} days (${status.retention.from})`),
    row('spool', `${status.spool.files} pending ${status.spool.files === 1 ? 'file' : 'files'}, ${status.spool.bytes} bytes`),
  ].join('\n');
}

export function analyticsStatus(_args: readonly string[], options: AnalyticsStatusOptions, io: AnalyticsCommandIO): number {
  const status = analyticsStatusOf(io.env);
  io.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : `${statusText(status)}\n`);
  return 0;
}

/** The scopes on under the current notice: a decision under an older notice counts as none. */
function currentScopes(paths: AnalyticsPaths): { scopes: Scope[]; acceptedCurrentNotice: boolean } {
  const file = readConsentFile(paths);
  if (file.state !== 'ok' || file.decision.noticeVersion !== currentNoticeVersion) return { scopes: [], acceptedCurrentNotice: false };
  return { scopes: sortScopes(file.decision.scopes), acceptedCurrentNotice: true };
}

function save(paths: AnalyticsPaths, scopes: readonly Scope[], io: AnalyticsCommandIO): DecisionResult {
  try {
    return recordDecision(paths, { scopes, source: 'command', now: (io.now ?? Date.now)() });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new KeyscopeError(ErrorCodes.fileWrite, `cannot save the analytics decision in ${paths.home} (${reason})`, { cause: error });
  }
}

function list(scopes: readonly Scope[]): string {
  return scopes.length === 0 ? 'nothing' : scopes.join(', ');
}

/** Prints what was moved aside, and whether the environment overrules the decision just saved. */
function explainAfterChange(result: DecisionResult, paths: AnalyticsPaths, io: AnalyticsCommandIO, enabling: boolean): void {
  if (result.state === 'saved') for (const note of result.notes) io.stderr.write(`keyscope: note: ${note}\n`);
  const { consent } = resolveConsent({ env: io.env, paths, surface: 'cli', interactive: false });
  // DO_NOT_TRACK overrules any decision; CI or an unwritable home only matter when something was just allowed.
  const allowedButOff = enabling && consent.scopes.size === 0 && result.decision.scopes.length > 0;
  if (consent.source === 'environment-off' || allowedButOff) io.stderr.write(`keyscope: note: saved, but analytics is ${consent.detail}\n`);
}

export function analyticsEnable(args: readonly string[], _options: object, io: AnalyticsCommandIO): number {
  const requested = parseScopes(args);
  const paths = resolveAnalyticsPaths(io.env);
  const before = currentScopes(paths);
  // Allowing something under a notice the person has not accepted yet: show them what they are allowing.
  if (!before.acceptedCurrentNotice) io.stderr.write(`${noticeText(paths.home, currentNoticeVersion)}\n\n`);
  const result = save(paths, sortScopes([...before.scopes, ...requested]), io);
  const added = requested.filter((scope) => !before.scopes.includes(scope));
  io.stdout.write(
    result.state === 'unchanged'
      ? `analytics: no change: ${list(requested)} already on\n`
      : `analytics: enabled ${list(added.length > 0 ? added : requested)}; now on: ${list(result.decision.scopes)}\n`,
  );
  explainAfterChange(result, paths, io, true);
  return 0;
}

export function analyticsDisable(args: readonly string[], _options: object, io: AnalyticsCommandIO): number {
  const requested = parseScopes(args);
  const paths = resolveAnalyticsPaths(io.env);
  const before = currentScopes(paths);
  const result = save(paths, before.scopes.filter((scope) => !requested.includes(scope)), io);
  const removed = requested.filter((scope) => before.scopes.includes(scope));
  const now = result.decision.scopes.length > 0 ? `now on: ${list(result.decision.scopes)}` : 'nothing is recorded';
  io.stdout.write(
    result.state === 'unchanged'
      ? `analytics: no change: ${list(requested)} already off\n`
      : `analytics: disabled ${list(removed.length > 0 ? removed : requested)}; ${now}\n`,
  );
  explainAfterChange(result, paths, io, false);
  return 0;
}

export function analyticsRotateId(_args: readonly string[], _options: object, io: AnalyticsCommandIO): number {
  const result = rotateInstallId(resolveAnalyticsPaths(io.env), (io.now ?? Date.now)());
  io.stdout.write(
    result.state === 'rotated'
      ? `analytics: install id rotated: ${result.previous} -> ${result.current}\n`
      : 'analytics: no install id yet (one is created when a scope is first allowed); nothing changed\n',
  );
  return 0;
}
