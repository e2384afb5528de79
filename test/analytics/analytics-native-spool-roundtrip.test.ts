/**
 * Every field of every native record kind survives the trip through the mapped file and readSpoolSegment:
 * the envelope from the header, api, algorithm, outcome, flags, durations, cycles, burst counts and the time
 * to the microsecond.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { readSpoolSegment } from '../../src/analytics/spool/binary-segment.js';
import { openNativeSpool, type NativeSpool } from '../../src/analytics/capture/native-spool.js';
import { generateKeyPair, generateKeyPairSync } from '../../src/index.js';
import { native } from '../../src/core/native/binding.js';

const envelope = { installId: '3f0c1f0e-5a55-4b8e-9d51-2f64c1b1a0aa', sessionId: 'b1e5a1c4-7f59-4d38-8a53-0a1bd0c9e6f1', keyscopeVersion: '0.1.0' };
let spool: NativeSpool | undefined;
afterEach(() => spool?.close());

function spoolDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'keyscope-spool-')), 'spool');
}

describe('native spool records round-trip through readSpoolSegment', () => {
  it('keeps every field of api.call, keygen.timing, security.burst and the export/failure records', async () => {
    const dir = spoolDir();
    spool = openNativeSpool({ dir, ...envelope, burstThreshold: 2 });
    spool.setScopeMask(1 | 2 | 8);
    const before = Date.now();
    generateKeyPairSync('ed25519');
    await generateKeyPair('rsa-1024', { allowWeak: true });
    spool.recordExport('exportPrivateKey', 'rsa-1024', 'der', true);
    spool.recordExport('exportPublicKey', 'ed25519', 'jwk', false);
    spool.recordApiFailure('generateKeyPairSync', 'not-an-algorithm');
    spool.recordApiFailure('exportPublicKey', null);
    spool.close();
    const after = Date.now();

    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^perf-${process.pid}-\\d+-0\\.bin$`));
    const { header, events, nextRecord } = readSpoolSegment(join(dir, files[0]!), 0);
    expect(header).toMatchObject({ version: 1, capacity: 1024, pid: process.pid, sealed: true, ...envelope });
    expect(header.createdMs).toBeGreaterThanOrEqual(before - 1);
    expect(header.createdMs).toBeLessThanOrEqual(after + 1);
    // With usage and performance both on, one timing record stands for a key's api.call too.
    expect(nextRecord).toBe(events.length - 2);

    const body = events.map(({ time: _t, installId: _i, sessionId: _s, keyscopeVersion: _v, ...rest }) => rest);
    const expectTiming = (api: string, algorithm: string) => ({
      type: 'keygen.timing',
      scope: 'performance',
      api,
      algorithm,
      implementation: 'keyscope',
      outcome: 'ok',
      durationNs: expect.any(Number),
      cycles: native.cycleCounter().available ? expect.any(Number) : null,
    });
    expect(body).toEqual([
      { type: 'api.call', scope: 'usage', api: 'generateKeyPairSync', algorithm: 'ed25519', outcome: 'ok', allowWeak: false },
      expectTiming('generateKeyPairSync', 'ed25519'),
      { type: 'api.call', scope: 'usage', api: 'generateKeyPair', algorithm: 'rsa-1024', outcome: 'ok', allowWeak: true },
      expectTiming('generateKeyPair', 'rsa-1024'),
      // The second key reached the threshold of 2 within the second (or a later second had 2 keys: never here).
      ...(body.some((e) => e.type === 'security.burst')
        ? [{ type: 'security.burst', scope: 'security', algorithm: 'rsa-1024', keysInSecond: 2 }]
        : []),
      { type: 'api.call', scope: 'usage', api: 'exportPrivateKey', algorithm: 'rsa-1024', outcome: 'ok', format: 'der', encrypted: true },
      { type: 'api.call', scope: 'usage', api: 'exportPublicKey', algorithm: 'ed25519', outcome: 'ok', format: 'jwk' },
      { type: 'api.call', scope: 'usage', api: 'generateKeyPairSync', algorithm: '<invalid>', outcome: 'error', allowWeak: false },
      { type: 'api.call', scope: 'usage', api: 'exportPublicKey', algorithm: '<invalid>', outcome: 'error' },
    ]);
    for (const event of events) {
      expect(event).toMatchObject(envelope);
      if (event.type === 'security.burst') {
        // Stamped with the start of its second.
        expect(event.time % 1000).toBe(0);
        expect(event.time).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      } else {
        expect(event.time).toBeGreaterThanOrEqual(before - 1);
        expect(event.time).toBeLessThanOrEqual(after + 1);
        // Microseconds are kept: three decimals at most.
        expect(Math.abs(event.time * 1000 - Math.round(event.time * 1000))).toBeLessThan(1e-3);
      }
      if (event.type === 'keygen.timing') {
        expect(event.durationNs).toBeGreaterThan(0);
        expect(event.durationNs).toBeLessThan((after - before + 1) * 1e6);
      }
    }
    // The RSA key cannot take less time than the ed25519 one: the durations are per record, not shuffled.
    const timings = events.filter((e) => e.type === 'keygen.timing');
    expect(timings[1]!.durationNs).toBeGreaterThan(timings[0]!.durationNs);
  });

  it('reads on from a record index, as ingest does for a file it has partly consumed', () => {
    const dir = spoolDir();
    spool = openNativeSpool({ dir, ...envelope });
    spool.setScopeMask(1);
    for (let i = 0; i < 5; i++) generateKeyPairSync(i % 2 === 0 ? 'ed25519' : 'x25519');
    const [file] = readdirSync(dir);
    const path = join(dir, file!);
    // Live (not sealed yet): the reader sees the committed records and stops at the first empty slot.
    const live = readSpoolSegment(path, 0);
    expect(live.header.sealed).toBe(false);
    expect(live.nextRecord).toBe(5);
    const rest = readSpoolSegment(path, 3);
    expect(rest.nextRecord).toBe(5);
    expect(rest.events.map((e) => (e.type === 'api.call' ? e.algorithm : e.type))).toEqual(['x25519', 'ed25519']);
    generateKeyPairSync('x448');
    const more = readSpoolSegment(path, live.nextRecord);
    expect(more.events.map((e) => (e.type === 'api.call' ? e.algorithm : e.type))).toEqual(['x448']);
    expect(more.nextRecord).toBe(6);
  });
});
