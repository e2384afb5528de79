/**
 * Every analytics event keyscope can record: one typed shape per event type, each in exactly one scope, with
 * only allowlisted properties. Nothing else reaches the database. PRIVACY.md documents each field below; the
 * zod schemas in schemas.ts enforce them at the write path (unknown properties are refused, not dropped
 * silently).
 *
 * Values are never free text from the user or from a key: names come from fixed lists (commands, options,
 * algorithms, APIs, error codes), numbers are durations and counts, and the only strings that come from the
 * outside (error messages, stack frames) are scrubbed of paths and passed through the key-material guard.
 */
/** What a person can allow, each on its own. */
export type Scope = 'usage' | 'performance' | 'errors' | 'security';
export const allScopes: readonly Scope[] = ['usage', 'performance', 'errors', 'security'];

/** The bit of each scope in the native spool's mask (native/analytics/analytics_spool.h ScopeBit). */
export const scopeBits: { readonly [S in Scope]: number } = { usage: 1, performance: 2, errors: 4, security: 8 };


/** APIs recorded as `api.call` (usage). The order is the native ApiId (native/analytics/analytics_spool.h). */
export const apiNames = ['generateKeyPairSync', 'generateKeyPair', 'exportPrivateKey', 'exportPublicKey'] as const;
export type ApiName = (typeof apiNames)[number];

export type Outcome = 'ok' | 'error';
export type Surface = 'cli' | 'library';

/** Set by the recorder on every event, never by the caller. */
export interface EventEnvelope {
  /** Milliseconds since the epoch (UTC). Native records keep microseconds. */
  time: number;
  installId: string;
  sessionId: string;
  keyscopeVersion: string;
}

/** usage: a session begins (a CLI session spans commands less than 30 minutes apart; a library session is the process). */
export interface SessionStartEvent {
  type: 'session.start';
  scope: 'usage';
  surface: Surface;
  platform: string; // process.platform
  arch: string; // process.arch
  nodeVersion: string;
  opensslVersion: string;
}

/** usage: one CLI command, with the names (never the values) of the options given. */
export interface CommandEvent {
  type: 'command';
  scope: 'usage';
  /** e.g. "keygen", "runs list", "analytics status". */
  command: string;
  /** Option names as typed, without values: ["--format", "--json"]. */
  options: string[];
  /** The algorithm argument when the command has one and it is a known algorithm id. */
  algorithm?: string;
  /** keygen --format (pem, its default, when not given). */
  format?: 'pem' | 'der' | 'jwk' | 'openssh';
  outcome: Outcome;
  /**
   * When it failed: the error's stable code (KS_*, a Node ERR_* or errno name). An outcome (a typo, a refused
   * input) is recorded only here, as usage; a failure also has its error event (errors.ts errorCodeKinds).
   */
  code?: string;
  exitCode: number;
  durationMs: number;
}

/** usage: one call of a public API (from the native spool for the hot paths). */
export interface ApiCallEvent {
  type: 'api.call';
  scope: 'usage';
  api: ApiName;
  algorithm: string;
  outcome: Outcome;
  allowWeak?: boolean;
  format?: 'pem' | 'der' | 'jwk' | 'openssh';
  encrypted?: boolean;
}

/** performance: one key generation, timed around OpenSSL's keygen in the native addon. */
export interface KeygenTimingEvent {
  type: 'keygen.timing';
  scope: 'performance';
  api: 'generateKeyPairSync' | 'generateKeyPair';
  algorithm: string;
  /** Implementation that generated the key; "keyscope" for the addon. */
  implementation: string;
  outcome: Outcome;
  durationNs: number;
  /** rdtscp cycles; null where no cycle counter exists. */
  cycles: number | null;
}

/** performance: the summary of a stored bench run (no samples). */
export interface BenchRunEvent {
  type: 'bench.run';
  scope: 'performance';
  cases: number;
  completed: number;
  errored: number;
  durationMs: number;
  /** Per case: its name and algorithm, samples and median ns. */
  summaries: { suite: string; case: string; algorithm: string | null; samples: number; medianNs: number }[];
}

/** errors: one error, at the API or CLI boundary where it surfaced. */
export interface ErrorEvent {
  type: 'error';
  scope: 'errors';
  /** The error's class name: KeyscopeError subclass, or the built-in (TypeError, ...). */
  errorType: string;
  /** Stable code (KS_*), or the Node code (ERR_*, EACCES), or null. */
  code: string | null;
  /** A one-line template: the message with every value as a placeholder (capture/privacy/message-template.ts). */
  message: string;
  /** OpenSSL's error queue: library and reason names only. */
  openssl: { library: string; reason: string }[];
  /** Scrubbed frames: package-relative paths, "~" for home, "<external>" for anything else. At most 10. */
  stack: string[];
  /** See fingerprint.ts. 16 hex digits. */
  fingerprint: string;
  /** Where it surfaced: "cli keygen", "api generateKeyPair", ... */
  operation: string;
  algorithm?: string;
  nodeVersion: string;
  opensslVersion: string;
}

/** security: the caller asked for weak parameters (allowWeak, RSA below 2048). */
export interface WeakParametersEvent {
  type: 'security.weak-parameters';
  scope: 'security';
  operation: string;
  algorithm: string;
}

/** security: more keys in one second than the burst threshold (from the native spool). */
export interface BurstEvent {
  type: 'security.burst';
  scope: 'security';
  algorithm: string;
  keysInSecond: number;
}

/** security: the same error fingerprint several times within a minute. */
export interface RepeatedFailuresEvent {
  type: 'security.repeated-failures';
  scope: 'security';
  fingerprint: string;
  code: string | null;
  failures: number;
  windowSeconds: number;
}

export type AnalyticsEvent =
  | SessionStartEvent
  | CommandEvent
  | ApiCallEvent
  | KeygenTimingEvent
  | BenchRunEvent
  | ErrorEvent
  | WeakParametersEvent
  | BurstEvent
  | RepeatedFailuresEvent;

export type EventType = AnalyticsEvent['type'];

/** What callers hand to Recorder.record: an event without its envelope. */
export type EventInput = AnalyticsEvent;

/** A recorded event: envelope plus body. */
export type RecordedEvent = EventEnvelope & AnalyticsEvent;

export const eventScopes: { readonly [T in EventType]: Scope } = {
  'session.start': 'usage',
  command: 'usage',
  'api.call': 'usage',
  'keygen.timing': 'performance',
  'bench.run': 'performance',
  error: 'errors',
  'security.weak-parameters': 'security',
  'security.burst': 'security',
  'security.repeated-failures': 'security',
};
