/**
 * Where analytics keeps its files. Resolving a path never touches the disk: the directory is created (mode 0700)
 * only by code that is about to write, so a person who never enables analytics has at most a keyscope directory
 * holding notice-shown.json (the CLI's first-run notice was shown), and none if keyscope never ran at a terminal.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Where analytics keeps its files: KEYSCOPE_HOME, else XDG (see paths.ts). */
export interface AnalyticsPaths {
  /** Directory of everything below. */
  home: string;
  /** consent.json: the current decision. */
  consentFile: string;
  /** consent-ledger.jsonl: every change, hash-chained. */
  ledgerFile: string;
  /** analytics.duckdb. */
  database: string;
  /** Per-process spool files, ingested by whichever process holds the database. */
  spoolDir: string;
  /** session.json: the CLI session (commands less than 30 minutes apart share one). */
  sessionFile: string;
  /** notice-shown.json: which notice version the CLI has shown while nothing was decided (so it shows once). */
  noticeShownFile: string;
}

/** The files of one analytics home directory. */
export function analyticsPathsIn(home: string): AnalyticsPaths {
  return {
    home,
    consentFile: join(home, 'consent.json'),
    ledgerFile: join(home, 'consent-ledger.jsonl'),
    database: join(home, 'analytics.duckdb'),
    spoolDir: join(home, 'spool'),
    sessionFile: join(home, 'session.json'),
    noticeShownFile: join(home, 'notice-shown.json'),
  };
}

/** KEYSCOPE_HOME, else $XDG_DATA_HOME/keyscope, else ~/.local/share/keyscope. */
export function resolveAnalyticsPaths(env: NodeJS.ProcessEnv = process.env): AnalyticsPaths {
  const explicit = env['KEYSCOPE_HOME'];
  if (explicit) return analyticsPathsIn(resolve(explicit));
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env['XDG_DATA_HOME'];
  if (xdg && isAbsolute(xdg)) return analyticsPathsIn(join(xdg, 'keyscope'));
  return analyticsPathsIn(join(homedir(), '.local', 'share', 'keyscope'));
}

/** Creates the home directory (0700: consent and usage data are nobody else's business). Throws on failure. */
export function ensureAnalyticsHome(paths: AnalyticsPaths): void {
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
}
