/**
 * The spool is shared by every thread of the process: async keygen on libuv's threads and a worker_thread's
 * sync keygen append at once, across many segment rollovers, and every record lands exactly once, whole,
 * with each call's records side by side.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';

import { readSpoolSegment } from '../../src/analytics/spool/binary-segment.js';
import { openNativeSpool, type NativeSpool } from '../../src/analytics/capture/native-spool.js';
import type { RecordedEvent } from '../../src/analytics/events/types.js';
import { generateKeyPair } from '../../src/index.js';
import { nativeAddonPath } from '../../src/core/native/binding.js';

let spool: NativeSpool | undefined;
afterEach(() => spool?.close());

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const binding = require(workerData.addon);
for (let i = 0; i < workerData.count; i++) binding.generateKeyPairSync('ed25519', false);
parentPort.postMessage('done');
`;

function runWorker(count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: { addon: nativeAddonPath, count } });
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
  });
}

describe('native spool under concurrent writers', () => {
  it('keeps every record of libuv threads and a worker_thread exactly once, across rollovers', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keyscope-spool-')), 'spool');
    // Tiny segments: dozens of rollovers while four libuv threads and a worker append.
    spool = openNativeSpool({ dir, installId: 'i', sessionId: 's', keyscopeVersion: 'v', firstSegmentRecords: 8, maxSegmentRecords: 32 });
    spool.setScopeMask(1 | 2);
    const asyncKeys = 400;
    const workerKeys = 400;
    const worker = runWorker(workerKeys);
    const batches: Promise<unknown>[] = [];
    for (let i = 0; i < asyncKeys; i++) batches.push(generateKeyPair('x25519'));
    await Promise.all([worker, ...batches]);
    spool.close();

    const seq = (name: string) => Number(/-(\d+)\.bin$/.exec(name)![1]);
    const files = readdirSync(dir).sort((a, b) => seq(a) - seq(b));
    expect(files.length).toBeGreaterThan(10);
    const events: RecordedEvent[] = [];
    files.forEach((name, i) => {
      const segment = readSpoolSegment(join(dir, name), 0);
      expect(segment.header.sealed).toBe(true);
      // A retired segment is full: every claimed slot was committed before the seal.
      if (i < files.length - 1) expect(segment.nextRecord).toBe(segment.header.capacity);
      events.push(...segment.events);
    });

    expect(events).toHaveLength(2 * (asyncKeys + workerKeys));
    const counts = new Map<string, number>();
    for (let i = 0; i < events.length; i += 2) {
      const call = events[i]!;
      const timing = events[i + 1]!;
      // One call's api.call and timing come from one record (or two claimed together): always adjacent.
      expect(call.type).toBe('api.call');
      expect(timing.type).toBe('keygen.timing');
      if (call.type !== 'api.call' || timing.type !== 'keygen.timing') continue;
      expect([timing.api, timing.algorithm, timing.time]).toEqual([call.api, call.algorithm, call.time]);
      counts.set(`${call.api} ${call.algorithm}`, (counts.get(`${call.api} ${call.algorithm}`) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ 'generateKeyPair x25519': asyncKeys, 'generateKeyPairSync ed25519': workerKeys });
  });
});
