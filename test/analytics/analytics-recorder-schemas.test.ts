/**
 * The event schemas the recorder enforces accept exactly the shapes of events/types.ts: every documented
 * field, optional ones optional, nothing else, and names only of their fixed shapes.
 */
import { describe, expect, it } from 'vitest';

import { errorEventFrom } from '../../src/analytics/capture/error-event.js';
import { validateEvent, validateRecordedEvent } from '../../src/analytics/events/schemas.js';
import { eventScopes } from '../../src/analytics/events/types.js';
import { type AlgorithmId, generateKeyPairSync } from '../../src/index.js';
import { sampleEvents, testInstallId, testSessionId } from '../support/analytics-fixtures.js';

function without(event: object, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...event };
  delete copy[key];
  return copy;
}

/** The optional properties of events/types.ts. */
const optionalFields: Record<string, string[]> = { command: ['algorithm', 'format'], 'api.call': ['allowWeak', 'format', 'encrypted'], error: ['algorithm'] };

describe('event schemas', () => {
  it('have one sample per event type, each valid', () => {
    expect(new Set(Object.values(sampleEvents).map((event) => event.type))).toEqual(new Set(Object.keys(eventScopes)));
    for (const event of Object.values(sampleEvents)) expect(validateEvent(event)).toEqual(event);
  });

  it('refuse a missing required field and an extra one, at any depth', () => {
    for (const event of Object.values(sampleEvents)) {
      for (const key of Object.keys(event)) {
        const optional = (optionalFields[event.type] ?? []).includes(key);
        expect(validateEvent(without(event, key)) === null, `${event.type} without ${key}`).toBe(!optional);
      }
      expect(validateEvent({ ...event, extra: 1 })).toBeNull();
    }
    expect(validateEvent({ ...sampleEvents.error, openssl: [{ library: 'x', reason: 'y', code: 1 }] })).toBeNull();
  });

  it('take names only of their fixed shapes', () => {
    const bad = [
      { ...sampleEvents.apiCall, algorithm: 'Ed25519' },
      { ...sampleEvents.apiCall, algorithm: 'a' },
      { ...sampleEvents.apiCall, algorithm: 'rsa 2048' },
      { ...sampleEvents.apiCall, api: 'eval' },
      { ...sampleEvents.command, command: 'keygen --out /etc/passwd' },
      { ...sampleEvents.command, options: ['-o'] },
      { ...sampleEvents.command, options: ['--out=key.pem'] },
      { ...sampleEvents.command, format: 'pkcs12' },
      { ...sampleEvents.error, fingerprint: 'not-hex-at-all!' },
      { ...sampleEvents.error, message: 'two\nlines' },
      { ...sampleEvents.keygenTiming, durationNs: Number.NaN },
      { ...sampleEvents.command, exitCode: 256 },
      { ...sampleEvents.command, scope: 'performance' },
    ];
    for (const event of bad) expect(validateEvent(event), JSON.stringify(event)).toBeNull();
    expect(validateEvent(null)).toBeNull();
    expect(validateEvent('command')).toBeNull();
    expect(validateEvent({ type: 'toString' })).toBeNull();
  });

  it('accept the error events error-tracking builds from real keyscope errors', () => {
    for (const algorithm of ['nope', 'rsa-1000']) {
      let event;
      try {
        generateKeyPairSync(algorithm as AlgorithmId);
      } catch (error) {
        event = errorEventFrom(error, { operation: 'api generateKeyPairSync', algorithm });
      }
      expect(event).toBeDefined();
      expect(validateEvent(event)).toEqual(event);
    }
  });

  it('check the envelope of a recorded line', () => {
    const envelope = { time: 1, installId: testInstallId, sessionId: testSessionId, keyscopeVersion: '0.1.0' };
    expect(validateRecordedEvent({ ...envelope, ...sampleEvents.burst })).toEqual({ ...envelope, ...sampleEvents.burst });
    expect(validateRecordedEvent({ ...envelope, installId: 'alice@laptop', ...sampleEvents.burst })).toBeNull();
    expect(validateRecordedEvent({ ...sampleEvents.burst })).toBeNull();
  });
});
