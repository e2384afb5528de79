/**
 * The consent step the CLI runs as a command starts (cli-analytics.ts; not for `analytics ...`, --help or
 * --version): read what is decided, and never ask. A command must run to its end with nobody typing, so while
 * nothing is decided analytics is off and, at a terminal, a short notice is due: the CLI prints it once, on
 * stderr after the command's own output (showFirstRunNotice). Never throws and never stops the command: whatever
 * goes wrong, the answer is "analytics off for this run" plus one warning line.
 */
import { type AnalyticsPaths, resolveAnalyticsPaths } from '../analytics/events/index.js';
import { currentNoticeVersion, type EffectiveConsent, firstRunNotice, isCi, markNoticeShown, resolveConsent } from '../analytics/capture/index.js';

export interface SettleCliConsentOptions {
  env: NodeJS.ProcessEnv;
  /** Where the notice goes (stderr: stdout may be carrying a key); a terminal there is what makes it due. */
  stderr: { isTTY?: boolean };
  paths?: AnalyticsPaths;
}

export interface SettledConsent {
  consent: EffectiveConsent;
  /** Full lines ("keyscope: warning: ..."), without newlines, for stderr. */
  warnings: string[];
  /** The first-run notice to print after the command, when due; else null. */
  notice: string | null;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code ?? (error instanceof Error ? error.message.split('\n')[0] ?? 'unknown error' : String(error));
}

export function settleCliConsent(options: SettleCliConsentOptions): SettledConsent {
  const { env, stderr } = options;
  try {
    const paths = options.paths ?? resolveAnalyticsPaths(env);
    const interactive = stderr.isTTY === true && !isCi(env);
    const resolved = resolveConsent({ env, paths, surface: 'cli', interactive });
    return {
      consent: resolved.consent,
      warnings: resolved.warning ? [resolved.warning] : [],
      notice: resolved.needsNotice ? firstRunNotice(resolved.needsNotice.acceptedNotice, currentNoticeVersion) : null,
    };
  } catch (error) {
    // Consent must never cost a command: an unexpected failure means off, said once.
    const detail = `consent could not be settled (${reason(error)})`;
    const consent: EffectiveConsent = { scopes: new Set(), source: 'undecided', noticeVersion: null, installId: null, detail: `off: ${detail}` };
    return { consent, warnings: [`keyscope: warning: analytics off: ${detail}`], notice: null };
  }
}

/** Prints the notice (a blank line first, to set it apart from the command's output) and remembers it. */
export function showFirstRunNotice(stderr: NodeJS.WritableStream, notice: string, paths: AnalyticsPaths, now: number = Date.now()): void {
  stderr.write(`\n${notice}\n`);
  markNoticeShown(paths, currentNoticeVersion, now);
}
