/**
 * Who holds a DuckDB file, in words a person can act on. DuckDB's lock error names only the holder's PID
 * ("Conflicting lock is held in /usr/bin/node (PID 4242)"), and every keyscope process is "node"; the holder's
 * command line (/proc/<pid>/cmdline on Linux) says which keyscope command it is. Only the command's name is
 * kept (`keyscope dashboard`, `keyscope analytics export`), never its options or their values.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** How a keyscope CLI script is named on a command line: the installed bin, or the CLI's entry module. */
const keyscopeScript = /(^|[/\\])(keyscope(\.[cm]?[jt]s)?|cli[/\\]main\.[cm]?[jt]s)$/;
/** A command name as the CLI spells them: lower-case words with dashes. */
const commandWord = /^[a-z][a-z-]{0,30}$/;
/** The commands whose next word is a subcommand (`analytics export`); any other's next word is an argument. */
const commandGroups: ReadonlySet<string> = new Set(['analytics', 'runs', 'errors']);

/** The holder's PID from DuckDB's lock error, or null when it does not name one. */
export function lockHolderPid(message: string): number | null {
  const match = /\(PID (\d+)\)/.exec(message);
  return match === null ? null : Number(match[1]);
}

/** `keyscope <command> [<subcommand>]` from a command line, or null when it is not a keyscope CLI. */
export function keyscopeCommandOf(argv: readonly string[]): string | null {
  // A title set by the process itself (process.title = 'keyscope dashboard') replaces the whole command line.
  if (argv.length === 1 && /^keyscope( [a-z][a-z -]*)?$/.test(argv[0]!)) return argv[0]!;
  const script = argv.findIndex((arg) => keyscopeScript.test(arg));
  if (script < 0) return null;
  const words: string[] = [];
  for (const arg of argv.slice(script + 1)) {
    if (!commandWord.test(arg)) break;
    words.push(arg);
    if (!commandGroups.has(arg) || words.length === 2) break;
  }
  return ['keyscope', ...words].join(' ');
}

function commandLineOf(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((arg) => arg.length > 0);
  } catch {
    return null; // Not Linux, or the holder has just exited.
  }
}

/** "keyscope dashboard (pid 4242)", "node (pid 4242)", "pid 4242", or "another process" when DuckDB named none. */
export function describeLockHolder(message: string): string {
  const pid = lockHolderPid(message);
  if (pid === null) return 'another process';
  const argv = commandLineOf(pid);
  if (argv === null || argv.length === 0) return `pid ${pid}`;
  return `${keyscopeCommandOf(argv) ?? basename(argv[0]!)} (pid ${pid})`;
}
