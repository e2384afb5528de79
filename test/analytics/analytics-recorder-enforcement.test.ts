import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { type AnalyticsEvent, scopeBits } from '../../src/analytics/events/types.js';
import { refusedMarker } from '../../src/analytics/capture/privacy/key-material-guard.js';
import { createRecorder, scopeMask } from '../../src/analytics/capture/recorder.js';
import { consentFor, sampleEvents, tempAnalyticsPaths, testSessionId } from '../support/analytics-fixtures.js';

function spoolLines(dir: string): Record<string, unknown>[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(`${dir}/${name}`, 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('Recorder: consent is checked before anything is touched', () => {
  it('records nothing and creates no spool file (not even the directory) without consent', () => {
    const paths = tempAnalyticsPaths();
    const recorder = createRecorder({ consent: consentFor([]), paths, sessionId: testSessionId });
    for (const event of Object.values(sampleEvents)) expect(recorder.record(event)).toBe(false);
    recorder.close();
    expect(existsSync(paths.spoolDir)).toBe(false);
  });

  it('records only the consented scope', () => {
    const paths = tempAnalyticsPaths();
    const recorder = createRecorder({ consent: consentFor(['errors']), paths, sessionId: testSessionId });
    expect(recorder.record(sampleEvents.command)).toBe(false);
    expect(recorder.record(sampleEvents.error)).toBe(true);
    expect(recorder.enabled('errors')).toBe(true);
    expect(recorder.enabled('usage')).toBe(false);
    const lines = spoolLines(paths.spoolDir);
    expect(lines.map((line) => line['type'])).toEqual(['error']);
  });

  it('follows setConsent at run time, in both directions', () => {
    const paths = tempAnalyticsPaths();
    const recorder = createRecorder({ consent: consentFor([]), paths, sessionId: testSessionId });
    expect(recorder.record(sampleEvents.command)).toBe(false);
    recorder.setConsent(consentFor(['usage']));
    expect(recorder.record(sampleEvents.command)).toBe(true);
    recorder.setConsent(consentFor([]));
    expect(recorder.record(sampleEvents.command)).toBe(false);
    expect(spoolLines(paths.spoolDir)).toHaveLength(1);
  });

  it('drops events after close() and seals the spool', () => {
    const paths = tempAnalyticsPaths();
    const recorder = createRecorder({ consent: consentFor(), paths, sessionId: testSessionId });
    expect(recorder.record(sampleEvents.command)).toBe(true);
    recorder.close();
    expect(recorder.record(sampleEvents.command)).toBe(false);
    expect(spoolLines(paths.spoolDir)).toEqual([expect.objectContaining({ type: 'command' }), { sealed: true }]);
  });
});

describe('Recorder: only allowlisted shapes are written', () => {
  it('refuses an unknown property, a wrong scope, an unknown type and a free-text algorithm', () => {
    const paths = tempAnalyticsPaths();
    const recorder = createRecorder({ consent: consentFor(), paths, sessionId: testSessionId });
    const bad: unknown[] = [
      { ...sampleEvents.command, hostname: 'build-box' },
      { ...sampleEvents.command, scope: 'errors' },
      { ...sampleEvents.command, type: 'command.extra' },
      { ...sampleEvents.apiCall, algorithm: 'my secret project key' },
      { ...sampleEvents.command, options: ['--out=/home/alice/key.pem'] },
      { ...sampleEvents.keygenTiming, durationNs: -1 },
      { ...sampleEvents.benchRun, summaries: [{ ...sampleEvents.benchRun.summaries[0], user: 'alice' }] },
    ];
    for (const event of bad) expect(recorder.record(event as AnalyticsEvent)).toBe(false);
    expect(spoolLines(paths.spoolDir)).toEqual([]);
  });

  it('accepts one valid event of every type and stamps the envelope', () => {
    const paths = tempAnalyticsPaths();
    const recorder = createRecorder({ consent: consentFor(), paths, sessionId: testSessionId, now: () => 1_700_000_000_000 });
    for (const event of Object.values(sampleEvents)) expect(recorder.record(event)).toBe(true);
    const lines = spoolLines(paths.spoolDir);
    expect(lines).toHaveLength(Object.keys(sampleEvents).length);
    for (const line of lines) {
      expect(line).toMatchObject({ time: 1_700_000_000_000, installId: consentFor().installId, sessionId: testSessionId });
      expect(typeof line['keyscopeVersion']).toBe('string');
    }
  });
});

describe('Recorder: the key-material guard', () => {
  const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHhPvm7JoM0a9wC5sTtHf4gZJ9LxJ3hQ5n0Q2rS7Yd8v\n-----END PRIVATE KEY-----';

  it('replaces a key in an error message, and keeps the event', () => {
    const paths = tempAnalyticsPaths();
    const recorder = createRecorder({ consent: consentFor(), paths, sessionId: testSessionId });
    expect(recorder.record({ ...sampleEvents.error, message: `cannot parse ${pem.replace(/\n/g, ' ')}` })).toBe(true);
    expect(recorder.record({ ...sampleEvents.error, stack: ['at parse (dist/core/keygen.js:1:1)', 'MC4CAQAwBQYDK2VwBCIEIHhPvm7JoM0a9wC5sTtHf4gZ'] })).toBe(true);
    const [first, second] = spoolLines(paths.spoolDir);
    expect(first!['message']).toBe(refusedMarker);
    expect(second!['stack']).toEqual(['at parse (dist/core/keygen.js:1:1)', refusedMarker]);
    expect(readFileSync(readdirSync(paths.spoolDir).map((name) => `${paths.spoolDir}/${name}`)[0]!, 'utf8')).not.toContain('MC4CAQAw');
  });

  it('drops the whole event when a name field looks like key material', () => {
    const paths = tempAnalyticsPaths();
    const recorder = createRecorder({ consent: consentFor(), paths, sessionId: testSessionId });
    // Shaped like an algorithm id, but a 20-digit hex run.
    expect(recorder.record({ ...sampleEvents.apiCall, algorithm: '3f9a0c41d2e87b65a9c1' })).toBe(false);
    expect(spoolLines(paths.spoolDir)).toEqual([]);
  });
});

describe('Recorder: debug output, failures, the native mask', () => {
  it('prints each recorded event as `keyscope analytics: <json>`', () => {
    const paths = tempAnalyticsPaths();
    const debug = new PassThrough();
    const recorder = createRecorder({ consent: consentFor(['usage']), paths, sessionId: testSessionId, debug });
    recorder.record(sampleEvents.command);
    recorder.record(sampleEvents.error); // not consented: nothing printed
    const lines = String(debug.read()).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^keyscope analytics: \{/);
    expect(JSON.parse(lines[0]!.slice('keyscope analytics: '.length))).toEqual(spoolLines(paths.spoolDir)[0]);
  });

  it('an unwritable spool directory gives one warning and turns analytics off for the process', () => {
    const paths = tempAnalyticsPaths();
    // The spool "directory" is a regular file: mkdir fails whatever the user's privileges (root included).
    const blocked = { ...paths, spoolDir: `${paths.consentFile}/spool` };
    mkdirSync(paths.home, { recursive: true });
    writeFileSync(paths.consentFile, '{}');
    const warnings: string[] = [];
    const masks: number[] = [];
    const recorder = createRecorder({
      consent: consentFor(),
      paths: blocked,
      sessionId: testSessionId,
      onWarning: (line) => warnings.push(line),
      nativeSpool: { setScopeMask: (mask) => masks.push(mask), close: () => {} },
    });
    expect(recorder.record(sampleEvents.command)).toBe(false);
    expect(recorder.record(sampleEvents.command)).toBe(false);
    expect(recorder.record(sampleEvents.error)).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/analytics is off for this process/);
    expect(recorder.enabled('usage')).toBe(false);
    expect(masks.at(-1)).toBe(0);
  });

  it('owns the native spool: the mask follows the consent, close() closes it', () => {
    const paths = tempAnalyticsPaths();
    const masks: number[] = [];
    let closed = 0;
    const recorder = createRecorder({
      consent: consentFor(['usage', 'security']),
      paths,
      sessionId: testSessionId,
      nativeSpool: { setScopeMask: (mask) => masks.push(mask), close: () => closed++ },
    });
    expect(masks).toEqual([scopeBits.usage | scopeBits.security]);
    recorder.setConsent(consentFor(['performance']));
    expect(masks.at(-1)).toBe(scopeBits.performance);
    expect(scopeMask(new Set(['usage', 'performance', 'errors', 'security']))).toBe(15);
    recorder.close();
    expect(masks.at(-1)).toBe(0);
    expect(closed).toBe(1);
  });
});
