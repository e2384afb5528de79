/**
 * How a recorded event becomes a row of `events` (schema.ts): the envelope and the fields queries filter or
 * aggregate on are columns, every other allowlisted property goes into `properties` as JSON.
 */
import type { RecordedEvent } from '../events/index.js';

export interface EventRow {
  /** Milliseconds since the epoch; fractions carry the native records' microseconds. */
  timeMs: number;
  scope: string;
  type: string;
  installId: string;
  sessionId: string;
  keyscopeVersion: string;
  operation: string | null;
  algorithm: string | null;
  outcome: string | null;
  durationNs: number | null;
  cycles: number | null;
  errorCode: string | null;
  fingerprint: string | null;
  /** JSON text of the remaining properties; null when there are none. */
  properties: string | null;
}

/** Properties that are columns (or the envelope) for every type; the rest of each type goes to `properties`. */
const envelopeKeys = new Set(['time', 'installId', 'sessionId', 'keyscopeVersion', 'type', 'scope']);

/**
 * The native spool's records (millions of them) have properties of a handful of shapes: their JSON text is
 * built once per shape instead of once per row.
 */
const apiCallProperties = new Map<number, string | null>();
const timingProperties = new Map<string, string | null>();

function cachedProperties<K>(cache: Map<K, string | null>, key: K, build: () => string | null): string | null {
  let text = cache.get(key);
  if (text === undefined) {
    text = build();
    if (cache.size < 1024) cache.set(key, text);
  }
  return text;
}

const formatCodes = { pem: 1, der: 2, jwk: 3, openssh: 4 } as const;

function flag(value: boolean | undefined): number {
  return value === undefined ? 0 : value ? 1 : 2;
}

/** api.call's optional properties as one small number (no string built per row). */
function apiCallKey(event: { allowWeak?: boolean; format?: keyof typeof formatCodes; encrypted?: boolean }): number {
  return flag(event.allowWeak) | (flag(event.encrypted) << 2) | ((event.format === undefined ? 0 : formatCodes[event.format]) << 4);
}

function rest(event: RecordedEvent, columns: readonly string[]): string | null {
  const properties: Record<string, unknown> = {};
  let any = false;
  for (const [key, value] of Object.entries(event)) {
    if (envelopeKeys.has(key) || columns.includes(key) || value === undefined) continue;
    properties[key] = value;
    any = true;
  }
  return any ? JSON.stringify(properties) : null;
}

export function emptyEventRow(): EventRow {
  return {
    timeMs: 0,
    scope: '',
    type: '',
    installId: '',
    sessionId: '',
    keyscopeVersion: '',
    operation: null,
    algorithm: null,
    outcome: null,
    durationNs: null,
    cycles: null,
    errorCode: null,
    fingerprint: null,
    properties: null,
  };
}

/**
 * The row of `event`. Ingest passes one scratch row (`into`) for millions of events, so mapping allocates
 * nothing; every field is set on every call.
 */
export function eventRow(event: RecordedEvent, into: EventRow = emptyEventRow()): EventRow {
  const row = into;
  row.timeMs = event.time;
  row.scope = event.scope;
  row.type = event.type;
  row.installId = event.installId;
  row.sessionId = event.sessionId;
  row.keyscopeVersion = event.keyscopeVersion;
  row.operation = null;
  row.algorithm = null;
  row.outcome = null;
  row.durationNs = null;
  row.cycles = null;
  row.errorCode = null;
  row.fingerprint = null;
  row.properties = null;
  switch (event.type) {
    case 'command':
      row.operation = event.command;
      row.algorithm = event.algorithm ?? null;
      row.outcome = event.outcome;
      row.errorCode = event.code ?? null;
      row.durationNs = Math.round(event.durationMs * 1e6);
      row.properties = rest(event, ['command', 'algorithm', 'outcome', 'code', 'durationMs']);
      break;
    case 'api.call':
      row.operation = event.api;
      row.algorithm = event.algorithm;
      row.outcome = event.outcome;
      row.properties = cachedProperties(apiCallProperties, apiCallKey(event), () => rest(event, ['api', 'algorithm', 'outcome']));
      break;
    case 'keygen.timing':
      row.operation = event.api;
      row.algorithm = event.algorithm;
      row.outcome = event.outcome;
      row.durationNs = Math.round(event.durationNs);
      row.cycles = event.cycles === null ? null : Math.round(event.cycles);
      row.properties = cachedProperties(timingProperties, event.implementation, () => rest(event, ['api', 'algorithm', 'outcome', 'durationNs', 'cycles']));
      break;
    case 'error':
      row.operation = event.operation;
      row.algorithm = event.algorithm ?? null;
      row.errorCode = event.code;
      row.fingerprint = event.fingerprint;
      row.properties = rest(event, ['operation', 'algorithm', 'code', 'fingerprint']);
      break;
    case 'security.weak-parameters':
      row.operation = event.operation;
      row.algorithm = event.algorithm;
      row.properties = rest(event, ['operation', 'algorithm']);
      break;
    case 'security.burst':
      row.algorithm = event.algorithm;
      row.properties = rest(event, ['algorithm']);
      break;
    case 'security.repeated-failures':
      row.errorCode = event.code;
      row.fingerprint = event.fingerprint;
      row.properties = rest(event, ['code', 'fingerprint']);
      break;
    case 'session.start':
    case 'bench.run':
      row.properties = rest(event, []);
      break;
  }
  return row;
}
