/**
 * The contract of keyscope's local usage analytics, shared by consent (consent/), the write path (recorder,
 * spools, ingest), the database, the queries and the CLI. Analytics depends only on shared types: nothing in
 * the measurement, bench or compare code depends on it.
 *
 * Nothing is recorded without consent, consent is per scope, and every write goes through one function
 * (Recorder.record) that checks the scope first.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import type { EventInput } from './events/types.js';

/** What a person can allow, each on its own. */
export type Scope = 'usage' | 'performance' | 'errors' | 'security';
export const allScopes: readonly Scope[] = ['usage', 'performance', 'errors', 'security'];

/** Why analytics is (or is not) recording, as `keyscope analytics status` explains it. */
export type ConsentSource =
  /** The consent file (decided with `analytics enable|disable`, or answered at the prompt older versions showed). */
  | 'file'
  /** The host application's explicit opt-in through the library API (in-process only). */
  | 'library'
  /** DO_NOT_TRACK=1 or KEYSCOPE_ANALYTICS=off: always wins. */
  | 'environment-off'
  /** CI is set: nothing is recorded and no notice is shown. */
  | 'ci'
  /** Never decided, or decided under an older notice: nothing is recorded (silence means no). */
  | 'undecided'
  /** The consent file or ledger is unreadable or fails its hash chain: off, one warning, file kept. */
  | 'corrupt';

/** The consent in effect for this process. */
export interface EffectiveConsent {
  scopes: ReadonlySet<Scope>;
  source: ConsentSource;
  /** The notice version the consent was given under (null when never given). */
  noticeVersion: number | null;
  /** Random, rotatable; never derived from the machine or the user. Null when analytics is off. */
  installId: string | null;
  /** One line for status output and warnings (e.g. why it is off). */
  detail: string;
}

/** Who can say whether a scope is allowed: the recorder asks this before every write. */
export interface ConsentGate {
  current(): EffectiveConsent;
}

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

/** The bit of each scope in the native spool's mask (native/core/analytics_spool.h ScopeBit). */
export const scopeBits: { readonly [S in Scope]: number } = { usage: 1, performance: 2, errors: 4, security: 8 };

/**
 * The single write path. Every event of every scope goes through record(), which refuses events whose scope is
 * not consented, validates them against their schema, passes every string through the key-material guard,
 * stamps the envelope and appends one line to this process's event spool. It is also the only code that turns
 * scopes on in the native performance spool (which records the keygen hot path without crossing into JS).
 */
export interface Recorder {
  /** Records the event if its scope is consented now; returns whether it was recorded. Never throws. */
  record(event: EventInput): boolean;
  /** Whether a scope is on now (cheap): callers skip building events nobody will record. */
  enabled(scope: Scope): boolean;
  /** The consent in effect. */
  consent(): EffectiveConsent;
  /** Applies a new consent at run time; the native spool's scopes follow at once. */
  setConsent(consent: EffectiveConsent): void;
  /** Seals this process's spools (a clean exit); later record() calls drop their events. */
  close(): void;
}

/** How the analytics database is opened (CLI analytics/errors commands, queries, the dashboard). */
export interface OpenAnalyticsOptions {
  paths?: AnalyticsPaths;
  /** Events older than this are removed on open. Default 180 (KEYSCOPE_ANALYTICS_RETENTION_DAYS overrides). */
  retentionDays?: number;
  /** Ingest pending spools on open (default true). */
  ingest?: boolean;
  /** How long to wait for another process that holds the database (default 5000 ms), then KS_ANALYTICS_BUSY. */
  busyWaitMs?: number;
  /** Told once, with who holds the database ("keyscope dashboard (pid 4242)"), when the open has to wait. */
  onWait?: (holder: string) => void;
  /** Clock for tests. */
  now?: () => number;
  /**
   * DuckDB settings for the writable instance, applied when it is created, so they already hold during the
   * open's own ingest and retention (a long-running server bounds its memory this way).
   */
  duckdbSettings?: Readonly<Record<string, string>>;
}

/** An open analytics database: one DuckDB connection, held by this process until close(). */
export interface AnalyticsDatabase {
  readonly connection: DuckDBConnection;
  readonly paths: AnalyticsPaths;
  /** Checkpoints and closes; the file is then free for another process. */
  close(): Promise<void>;
}
