/**
 * The zod schemas of every event type in types.ts, enforced by the recorder before anything is written. Each
 * schema is strict: an unknown property refuses the whole event (a silently dropped field would hide a caller
 * that tries to record more than PRIVACY.md says). Names come from fixed shapes, never free text: algorithm
 * ids, command and option names, API names, error codes.
 */
import { z } from 'zod';

import { type AnalyticsEvent, type EventEnvelope, type EventType, apiNames } from './types.js';

/** The shape of every algorithm id keyscope knows ("ed25519", "rsa-3072", "ml-kem-768"). */
export const algorithmIdPattern = /^[a-z0-9-]{2,23}$/;
/** "keygen", "runs list", "analytics status". */
export const commandNamePattern = /^[a-z][a-z -]{0,40}$/;
/** "--format", "--allow-weak". */
export const optionNamePattern = /^--[a-z][a-z-]{0,30}$/;
/** KS_UNKNOWN_ALGORITHM, ERR_OSSL_EVP_BAD_DECRYPT, EACCES. */
const errorCodePattern = /^[A-Z][A-Z0-9_]{1,63}$/;
/** Error class names: TypeError, InvalidArgumentError. */
const errorTypePattern = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;
/** A command's name when the command line named none that exists: counted without what was typed. */
export const unknownCommandName = '(unknown)';
/** "cli keygen", "api generateKeyPair". */
const operationPattern = /^[a-z][A-Za-z0-9 -]{0,60}$/;
/** OpenSSL library and reason names ("EVP routines", "unsupported algorithm"): outside text, so only kept
 * short and on one line here; the guard judges the content (and may have replaced it by its marker). */
const opensslName = z.string().max(80).regex(/^[^\n\r]*$/);
const fingerprintPattern = /^[0-9a-f]{16}$/;
/** Versions and platform words: "v20.17.0", "OpenSSL 3.0.13 30 Jan 2024", "linux", "x64". */
const versionText = z.string().regex(/^[A-Za-z0-9 ._+()-]{1,64}$/);
/** Bench suite and case names, as the suite files spell them: printable, no quotes, short. */
const benchName = z.string().regex(/^[\x20-\x21\x23-\x26\x28-\x5b\x5d-\x7e]{1,200}$/);

const algorithmId = z.string().regex(algorithmIdPattern);
const outcome = z.enum(['ok', 'error']);
const surface = z.enum(['cli', 'library']);
/** An export's format (api.call) and keygen --format. */
const keyFormat = z.enum(['pem', 'der', 'jwk', 'openssh']);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const duration = z.number().finite().min(0);
const maxMessageLength = 500;

export const sessionStartSchema = z.strictObject({
  type: z.literal('session.start'),
  scope: z.literal('usage'),
  surface,
  platform: z.string().regex(/^[a-z0-9]{1,20}$/),
  arch: z.string().regex(/^[a-z0-9_]{1,20}$/),
  nodeVersion: versionText,
  opensslVersion: versionText,
});

export const commandSchema = z.strictObject({
  type: z.literal('command'),
  scope: z.literal('usage'),
  command: z.union([z.string().regex(commandNamePattern), z.literal(unknownCommandName)]),
  options: z.array(z.string().regex(optionNamePattern)).max(40),
  algorithm: algorithmId.optional(),
  format: keyFormat.optional(),
  outcome,
  code: z.string().regex(errorCodePattern).optional(),
  exitCode: z.number().int().min(0).max(255),
  durationMs: duration,
});

export const apiCallSchema = z.strictObject({
  type: z.literal('api.call'),
  scope: z.literal('usage'),
  api: z.enum(apiNames),
  algorithm: algorithmId,
  outcome,
  allowWeak: z.boolean().optional(),
  format: keyFormat.optional(),
  encrypted: z.boolean().optional(),
});

export const keygenTimingSchema = z.strictObject({
  type: z.literal('keygen.timing'),
  scope: z.literal('performance'),
  api: z.enum(['generateKeyPairSync', 'generateKeyPair']),
  algorithm: algorithmId,
  implementation: z.string().regex(/^[a-z0-9-]{1,32}$/),
  outcome,
  durationNs: duration,
  cycles: duration.nullable(),
});

export const benchRunSchema = z.strictObject({
  type: z.literal('bench.run'),
  scope: z.literal('performance'),
  cases: count,
  completed: count,
  errored: count,
  durationMs: duration,
  summaries: z
    .array(
      z.strictObject({
        suite: benchName,
        case: benchName,
        algorithm: algorithmId.nullable(),
        samples: count,
        medianNs: duration,
      }),
    )
    .max(5000),
});

export const errorSchema = z.strictObject({
  type: z.literal('error'),
  scope: z.literal('errors'),
  errorType: z.string().regex(errorTypePattern),
  code: z.string().regex(errorCodePattern).nullable(),
  message: z.string().max(maxMessageLength).refine((text) => !text.includes('\n'), 'must be one line'),
  openssl: z.array(z.strictObject({ library: opensslName, reason: opensslName })).max(16),
  stack: z.array(z.string().max(1000).regex(/^[^\n\r]*$/)).max(10),
  fingerprint: z.string().regex(fingerprintPattern),
  operation: z.string().regex(operationPattern),
  algorithm: algorithmId.optional(),
  nodeVersion: versionText,
  opensslVersion: versionText,
});

export const weakParametersSchema = z.strictObject({
  type: z.literal('security.weak-parameters'),
  scope: z.literal('security'),
  operation: z.string().regex(operationPattern),
  algorithm: algorithmId,
});

export const burstSchema = z.strictObject({
  type: z.literal('security.burst'),
  scope: z.literal('security'),
  algorithm: algorithmId,
  keysInSecond: count,
});

export const repeatedFailuresSchema = z.strictObject({
  type: z.literal('security.repeated-failures'),
  scope: z.literal('security'),
  fingerprint: z.string().regex(fingerprintPattern),
  code: z.string().regex(errorCodePattern).nullable(),
  failures: count,
  windowSeconds: count,
});

/** One schema per event type: adding a type to types.ts without a schema fails to compile here. */
export const eventSchemas: { readonly [T in EventType]: z.ZodType<Extract<AnalyticsEvent, { type: T }>> } = {
  'session.start': sessionStartSchema,
  command: commandSchema,
  'api.call': apiCallSchema,
  'keygen.timing': keygenTimingSchema,
  'bench.run': benchRunSchema,
  error: errorSchema,
  'security.weak-parameters': weakParametersSchema,
  'security.burst': burstSchema,
  'security.repeated-failures': repeatedFailuresSchema,
};

function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(eventSchemas, type);
}

/** The event when it is exactly one of the allowlisted shapes; null otherwise (never throws). */
export function validateEvent(input: unknown): AnalyticsEvent | null {
  if (input === null || typeof input !== 'object') return null;
  const type = (input as { type?: unknown }).type;
  if (!isEventType(type)) return null;
  const result = eventSchemas[type].safeParse(input);
  return result.success ? result.data : null;
}

/** The envelope the recorder stamps (and the ingest checks on JSONL lines it reads back). */
export const envelopeSchema = z.strictObject({
  time: z.number().finite().min(0),
  installId: z.string().regex(/^[A-Za-z0-9-]{1,40}$/),
  sessionId: z.string().regex(/^[A-Za-z0-9-]{1,40}$/),
  keyscopeVersion: versionText,
});

const envelopeKeys: ReadonlySet<string> = new Set(['time', 'installId', 'sessionId', 'keyscopeVersion']);

/**
 * Splits a recorded line's object into its envelope and validated event; null when either is not ours. The
 * body is copied key by key rather than with rest and spread syntax, which measured four times slower here,
 * and ingest calls this for every JSONL line.
 */
export function validateRecordedEvent(input: unknown): (EventEnvelope & AnalyticsEvent) | null {
  if (input === null || typeof input !== 'object') return null;
  const line = input as Record<string, unknown>;
  const envelope = envelopeSchema.safeParse({ time: line['time'], installId: line['installId'], sessionId: line['sessionId'], keyscopeVersion: line['keyscopeVersion'] });
  if (!envelope.success) return null;
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(line)) if (!envelopeKeys.has(key)) body[key] = line[key];
  const event = validateEvent(body);
  return event === null ? null : Object.assign(event, envelope.data);
}
