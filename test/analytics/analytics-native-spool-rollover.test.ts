/**
 * Segment rollover: a full segment is sealed and the next one (seq + 1) opened, growing x4 up to the maximum,
 * and the records read back in file order are the calls in the order they were made.
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { readSpoolSegment } from '../../src/analytics/spool/binary-segment.js';
import { openNativeSpool, type NativeSpool } from '../../src/analytics/capture/native-spool.js';
import { type AlgorithmId, generateKeyPairSync } from '../../src/index.js';

let spool: NativeSpool | undefined;
afterEach(() => spool?.close());

describe('native spool segment rollover', () => {
  it('seals full segments, grows them x4 to the maximum and keeps every record in order across files', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keyscope-spool-')), 'spool');
    spool = openNativeSpool({ dir, installId: 'i', sessionId: 's', keyscopeVersion: 'v', firstSegmentRecords: 4, maxSegmentRecords: 32 });
    spool.setScopeMask(1);
    const cycle: AlgorithmId[] = ['ed25519', 'x25519', 'ed448', 'x448', 'ec-p256'];
    const made: string[] = [];
    for (let i = 0; i < 150; i++) {
      const id = cycle[i % cycle.length]!;
      generateKeyPairSync(id);
      made.push(id);
    }

    const names = readdirSync(dir);
    const seq = (name: string) => Number(/^perf-\d+-\d+-(\d+)\.bin$/.exec(name)![1]);
    names.sort((a, b) => seq(a) - seq(b));
    // 4 + 16 + 32 * 4 = 148 records, then the 7th segment holds the last 2.
    expect(names.map(seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const segments = names.map((name) => readSpoolSegment(join(dir, name), 0));
    expect(segments.map((s) => s.header.capacity)).toEqual([4, 16, 32, 32, 32, 32, 32]);
    expect(segments.map((s) => s.header.sealed)).toEqual([true, true, true, true, true, true, false]);
    expect(segments.map((s) => s.nextRecord)).toEqual([4, 16, 32, 32, 32, 32, 2]);
    names.forEach((name, i) => expect(statSync(join(dir, name)).size).toBe(256 + 64 * segments[i]!.header.capacity));

    const read = segments.flatMap((s) => s.events).map((e) => (e.type === 'api.call' ? e.algorithm : e.type));
    expect(read).toEqual(made);
    const times = segments.flatMap((s) => s.events).map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    spool.close();
    expect(readSpoolSegment(join(dir, names.at(-1)!), 0).header.sealed).toBe(true);
  });

  it('a reopened spool starts a new small segment and never reuses a file name', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keyscope-spool-')), 'spool');
    const first = openNativeSpool({ dir, installId: 'first', sessionId: 's', keyscopeVersion: 'v', firstSegmentRecords: 4 });
    first.setScopeMask(1);
    generateKeyPairSync('ed25519');
    spool = openNativeSpool({ dir, installId: 'second', sessionId: 's', keyscopeVersion: 'v', firstSegmentRecords: 4 });
    // The replaced handle no longer steers the spool.
    first.setScopeMask(0);
    spool.setScopeMask(1);
    generateKeyPairSync('x25519');
    first.close();
    generateKeyPairSync('x448');
    spool.close();
    const names = readdirSync(dir).sort();
    expect(names).toHaveLength(2);
    const [a, b] = names.map((name) => readSpoolSegment(join(dir, name), 0));
    expect([a!.header.installId, a!.header.sealed, a!.events.length]).toEqual(['first', true, 1]);
    expect([b!.header.installId, b!.header.sealed, b!.events.length]).toEqual(['second', true, 2]);
  });
});
