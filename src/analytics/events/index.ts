/**
 * What analytics records: every event's shape and schema, the scopes, where its files live, and how errors
 * are fingerprinted. Both the capture side and the warehouse build on it.
 */
export { errorFingerprint, fingerprintFrames } from './fingerprint.js';
export { type AnalyticsPaths, ensureAnalyticsHome, resolveAnalyticsPaths } from './paths.js';
export { algorithmIdPattern, unknownCommandName, validateEvent, validateRecordedEvent } from './schemas.js';
export { allScopes, type AnalyticsEvent, type ApiName, apiNames, type BenchRunEvent, type ErrorEvent, type EventEnvelope, type EventInput, eventScopes, type EventType, type RecordedEvent, type RepeatedFailuresEvent, type Scope, scopeBits, type Surface } from './types.js';
