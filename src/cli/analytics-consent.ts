/**
 * The consent step main.ts runs before a command (not before `analytics ...`, --help or --version): resolve,
 * ask once if nothing is decided and someone is at a terminal, save the answer. Never throws and never stops
 * the command: whatever goes wrong, the answer is "analytics off for this run" plus one warning line.
 */
import { resolveAnalyticsPaths } from '../analytics/paths.js';
import { promptForConsent } from '../analytics/consent/prompt.js';
import { recordDecision } from '../analytics/consent/record-decision.js';
import { isCi, resolveConsent } from '../analytics/consent/resolve-consent.js';
import type { AnalyticsPaths, EffectiveConsent } from '../analytics/types.js';

export interface SettleCliConsentOptions {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the notice and questions go (stderr: stdout may be carrying a key). */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  paths?: AnalyticsPaths;
  /** Clock for tests. */
  now?: () => number;
}

export interface SettledConsent {
  consent: EffectiveConsent;
  /** Full lines ("keyscope: warning: ..."), without newlines; main.ts prints them to stderr. */
  warnings: string[];
}

function offForThisRun(detail: string): EffectiveConsent {
  return { scopes: new Set(), source: 'undecided', noticeVersion: null, installId: null, detail: `off: ${detail}` };
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code ?? (error instanceof Error ? error.message.split('\n')[0] ?? 'unknown error' : String(error));
}

export async function settleCliConsent(options: SettleCliConsentOptions): Promise<SettledConsent> {
  const { env, stdin, stderr } = options;
  try {
    const paths = options.paths ?? resolveAnalyticsPaths(env);
    const interactive = stdin.isTTY === true && stderr.isTTY === true && !isCi(env);
    const resolved = resolveConsent({ env, paths, surface: 'cli', interactive });
    const warnings = resolved.warning ? [resolved.warning] : [];
    if (!resolved.needsPrompt) return { consent: resolved.consent, warnings };

    const scopes = await promptForConsent({ input: stdin, output: stderr, home: paths.home });
    try {
      const result = recordDecision(paths, { scopes, source: 'prompt', now: (options.now ?? Date.now)() });
      if (result.state === 'saved') warnings.push(...result.notes.map((note) => `keyscope: warning: ${note}`));
    } catch (error) {
      const detail = `could not save your answer in ${paths.home} (${reason(error)}), so nothing is recorded`;
      return { consent: offForThisRun(detail), warnings: [...warnings, `keyscope: warning: analytics off: ${detail}`] };
    }
    stderr.write(
      scopes.length > 0
        ? `analytics: allowed ${scopes.join(', ')}; change with "keyscope analytics enable|disable"\n`
        : 'analytics: nothing allowed, nothing is recorded; change with "keyscope analytics enable"\n',
    );
    const after = resolveConsent({ env, paths, surface: 'cli', interactive: false });
    return { consent: after.consent, warnings: after.warning ? [...warnings, after.warning] : warnings };
  } catch (error) {
    // Consent must never cost a command: an unexpected failure means off, said once.
    const detail = `consent could not be settled (${reason(error)})`;
    return { consent: offForThisRun(detail), warnings: [`keyscope: warning: analytics off: ${detail}`] };
  }
}
