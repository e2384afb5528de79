/**
 * The notice a person reads before deciding (`analytics enable` prints it), and the short first-run notice the
 * CLI prints instead of asking. Its version is stored with every decision: when what keyscope records changes,
 * the version goes up and a decision made under the old one stops counting (it covers only what it was told).
 */
import { allScopes, type Scope } from '../../events/index.js';

/** Bump when a scope records something new; recording then stops until each person enables it again. */
export const currentNoticeVersion = 1;

/** One line per scope: what it records (src/analytics/events/types.ts is the full list). */
export const scopeSummaries: { readonly [S in Scope]: string } = {
  usage: 'commands and APIs used, option names (no values), outcomes, durations, platform',
  performance: 'time of each key generation per algorithm, bench run summaries',
  errors: 'error type, code, scrubbed message and stack (no paths, no key material)',
  security: 'weak parameters asked for, bursts of keys per second, repeated failures',
};

/** The notice text for `version`, naming where the data lives. */
export function noticeText(home: string, version: number): string {
  const scopes = allScopes.map((scope) => `  ${scope.padEnd(12)} ${scopeSummaries[scope]}`);
  return [
    `keyscope usage analytics (notice v${version})`,
    '',
    'keyscope can record how you use it, to help you see your own usage, timings and errors. It is off unless',
    'you allow it, one scope at a time:',
    ...scopes,
    '',
    `Everything stays on this machine, in ${home}. Nothing is sent anywhere. Never recorded: keys,`,
    'passphrases, your file names or paths, host name, user name, IP address.',
    '',
    'See it with `keyscope analytics status` and `keyscope analytics inspect`; export it with',
    '`keyscope analytics export`; delete it with `keyscope analytics delete --all`.',
    'Change your mind at any time with `keyscope analytics enable|disable [scopes...]`.',
    'DO_NOT_TRACK=1 or KEYSCOPE_ANALYTICS=off always win: with either set nothing is recorded.',
  ].join('\n');
}

/**
 * What the CLI prints once, on stderr after a command's own output, while nothing is decided: nothing is asked,
 * nothing waits, and silence means no (as Next.js' and Homebrew's notices do, minus their default of on).
 * `accepted` is the notice version of an older decision, which no longer counts.
 */
export function firstRunNotice(accepted: number | null, version: number): string {
  // Lines of at most 80 columns: it must read well in the narrowest common terminal.
  const opening =
    accepted === null
      ? ['keyscope: analytics is off: nothing is recorded unless you turn it on.']
      : [
          `keyscope: analytics is off: what it records changed (notice v${version}; you allowed v${accepted}),`,
          'so nothing is recorded until you turn it on again.',
        ];
  return [
    ...opening,
    'With your consent, keyscope keeps on this machine only the commands you run, key',
    'generation timings, errors and security signals, for `keyscope dashboard` and',
    '`keyscope recommend`; nothing is ever sent. To turn it on (it shows what each',
    'scope records):',
    '    keyscope analytics enable [usage|performance|errors|security]',
    'DO_NOT_TRACK=1 always wins. This notice is shown once.',
  ].join('\n');
}
