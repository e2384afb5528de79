/**
 * The recorder: THE single write path of analytics. Every event of every scope goes through record(), in this
 * order: the scope's consent (nothing is touched, not even the spool file, without it), the event's strict
 * schema, the key-material guard on every string, the envelope, one append to this process's JSONL spool.
 * The only other writer is the native performance spool, and the recorder is the only code that sets its
 * scope mask, so both paths obey the same consent.
 *
 * record() never throws: analytics must never break the command or the host application. A failed write
 * turns analytics off for the rest of the process, with one warning.
 */
import { randomUUID } from 'node:crypto';

import { keyscopeVersion } from '../../core/index.js';
import { type AnalyticsEvent, type AnalyticsPaths, type EventInput, eventScopes, type Scope, scopeBits, validateEvent } from '../events/index.js';
import { guardString, looksLikeKeyMaterial } from './privacy/key-material-guard.js';
import { createEventSpool } from '../spool/index.js';
import type { EffectiveConsent } from './consent/types.js';

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

/** What the recorder needs of the native spool (spool/native-spool.ts NativeSpool satisfies it). */
export interface ScopeMaskedSpool {
  setScopeMask(mask: number): void;
  close(): void;
}

export interface RecorderOptions {
  consent: EffectiveConsent;
  paths: AnalyticsPaths;
  sessionId: string;
  /** The native performance spool, owned from here on: its scope mask follows the consent, close() closes it. */
  nativeSpool?: ScopeMaskedSpool | null;
  /** KEYSCOPE_ANALYTICS_DEBUG=1: each recorded event is printed here as `keyscope analytics: <json>`. */
  debug?: NodeJS.WritableStream | null;
  now?: () => number;
  /** Called once if recording fails (the spool cannot be written); analytics is then off for the process. */
  onWarning?: (line: string) => void;
}

/** The bits of the native spool's mask for a set of scopes. */
export function scopeMask(scopes: ReadonlySet<Scope>): number {
  let mask = 0;
  for (const scope of scopes) mask |= scopeBits[scope];
  return mask;
}

/**
 * Properties whose strings come from outside keyscope's fixed lists (error messages, stack frames, OpenSSL's
 * names): a value the guard refuses is replaced by the refusal marker and the event still counts. Anywhere
 * else a refused string means a caller put something odd in a name field, and the whole event is dropped.
 */
const freeTextProperties: ReadonlySet<string> = new Set(['message', 'stack', 'openssl']);

type Guarded = { state: 'kept'; value: unknown } | { state: 'refused' };

function guardValue(value: unknown, freeText: boolean): Guarded {
  if (typeof value === 'string') {
    if (!looksLikeKeyMaterial(value)) return { state: 'kept', value };
    return freeText ? { state: 'kept', value: guardString(value) } : { state: 'refused' };
  }
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const guarded = guardValue(item, freeText);
      if (guarded.state === 'refused') return guarded;
      items.push(guarded.value);
    }
    return { state: 'kept', value: items };
  }
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const guarded = guardValue(item, freeText || freeTextProperties.has(key));
      if (guarded.state === 'refused') return guarded;
      result[key] = guarded.value;
    }
    return { state: 'kept', value: result };
  }
  return { state: 'kept', value };
}

function scopeOf(event: unknown): Scope | undefined {
  if (event === null || typeof event !== 'object') return undefined;
  const type = (event as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(eventScopes, type)) return undefined;
  return eventScopes[type as keyof typeof eventScopes];
}

export function createRecorder(options: RecorderOptions): Recorder {
  const now = options.now ?? Date.now;
  const native = options.nativeSpool ?? null;
  // Named by the real clock (not the injectable one): the start time tells a previous run of the same pid apart.
  const spool = createEventSpool({ dir: options.paths.spoolDir });
  // Envelope ids: a consent without an install id (never expected) still gets one that links to nothing.
  const fallbackInstallId = randomUUID();
  let consent = options.consent;
  let failed = false;
  let closed = false;

  function applyMask(): void {
    if (native === null) return;
    try {
      native.setScopeMask(failed || closed ? 0 : scopeMask(consent.scopes));
    } catch {
      // The native spool failing to change its mask must not take the process down; its records still
      // carry only what the mask allowed before.
    }
  }

  function fail(error: unknown): void {
    failed = true;
    applyMask();
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    try {
      options.onWarning?.(`keyscope: analytics could not write to ${options.paths.spoolDir} (${reason}); analytics is off for this process`);
    } catch {
      // A warning sink that throws is its own problem.
    }
  }

  function debugLine(line: string): void {
    try {
      options.debug?.write(`keyscope analytics: ${line}\n`);
    } catch {
      // Debug output is best effort.
    }
  }

  function enabled(scope: Scope): boolean {
    return !failed && !closed && consent.scopes.has(scope);
  }

  applyMask();

  return {
    record(input: EventInput): boolean {
      try {
        // Consent first: an event nobody allowed is not even looked at.
        const scope = scopeOf(input);
        if (scope === undefined || !enabled(scope)) return false;
        const event: AnalyticsEvent | null = validateEvent(input);
        if (event === null) {
          debugLine(JSON.stringify({ refused: `${input.type}: not an allowlisted shape` }));
          return false;
        }
        const guarded = guardValue(event, false);
        if (guarded.state === 'refused') {
          debugLine(JSON.stringify({ refused: `${event.type}: a name field looks like key material` }));
          return false;
        }
        const envelope = {
          time: now(),
          installId: consent.installId ?? fallbackInstallId,
          sessionId: options.sessionId,
          keyscopeVersion,
        };
        const line = JSON.stringify({ ...envelope, ...(guarded.value as AnalyticsEvent) });
        try {
          spool.append(line);
        } catch (error) {
          fail(error);
          return false;
        }
        debugLine(line);
        return true;
      } catch {
        return false;
      }
    },
    enabled,
    consent: () => consent,
    setConsent(next: EffectiveConsent) {
      consent = next;
      applyMask();
    },
    close() {
      if (closed) return;
      closed = true;
      applyMask();
      try {
        spool.close();
      } catch {
        // Unsealed is fine: ingest treats a file whose writer is gone like a sealed one.
      }
      try {
        native?.close();
      } catch {
        // As above: a segment left unsealed is recognised by its dead writer.
      }
    },
  };
}
