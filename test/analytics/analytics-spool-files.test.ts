import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createEventSpool, eventSpoolPattern, sealedMarker } from '../../src/analytics/spool/event-spool.js';
import { listPendingSpools, processAlive } from '../../src/analytics/spool/pending-spools.js';
import { tempAnalyticsPaths } from '../support/analytics-fixtures.js';

/** A pid that existed a moment ago and is gone now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('event spool', () => {
  it('creates nothing until the first line, then one 0600 file in a 0700 directory', () => {
    const { spoolDir } = tempAnalyticsPaths();
    const spool = createEventSpool({ dir: spoolDir, startMs: 1234 });
    expect(spool.path).toBeNull();
    expect(existsSync(spoolDir)).toBe(false);
    spool.append('{"a":1}');
    spool.append('{"a":2}');
    expect(spool.path).not.toBeNull();
    const name = spool.path!.slice(spoolDir.length + 1);
    expect(name).toMatch(eventSpoolPattern);
    expect(name.startsWith(`events-${process.pid}-1234-`)).toBe(true);
    expect(statSync(spool.path!).mode & 0o777).toBe(0o600);
    expect(statSync(spoolDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(spool.path!, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    spool.close();
    expect(readFileSync(spool.path!, 'utf8')).toBe(`{"a":1}\n{"a":2}\n${sealedMarker}\n`);
    expect(() => spool.append('{}')).toThrow();
  });

  it('a spool closed without lines leaves no file', () => {
    const { spoolDir } = tempAnalyticsPaths();
    createEventSpool({ dir: spoolDir }).close();
    expect(existsSync(spoolDir)).toBe(false);
  });
});

describe('pending spools', () => {
  it('lists spool files with kind, pid and whether the writer is gone', () => {
    const { spoolDir } = tempAnalyticsPaths();
    mkdirSync(spoolDir, { recursive: true });
    const gone = deadPid();
    expect(processAlive(gone)).toBe(false);
    expect(processAlive(process.pid)).toBe(true);
    const started = Date.now();
    writeFileSync(join(spoolDir, `events-${process.pid}-${started}-aaaaaaaa.jsonl`), '{}\n');
    // Our pid, but from before this process started: a previous run in a container that reuses pids.
    writeFileSync(join(spoolDir, `events-${process.pid}-150-abababab.jsonl`), '{}\n');
    writeFileSync(join(spoolDir, `events-${process.pid}-200-bbbbbbbb.jsonl`), `{}\n${sealedMarker}\n`);
    writeFileSync(join(spoolDir, `events-${gone}-300-cccccccc.jsonl`), '{}\n{"torn');
    const perf = Buffer.alloc(256);
    perf.writeUInt32LE(1, 32); // sealed
    writeFileSync(join(spoolDir, `perf-${process.pid}-400-0.bin`), perf);
    writeFileSync(join(spoolDir, 'notes.txt'), 'not a spool');
    const spools = listPendingSpools(spoolDir);
    expect(spools.map(({ name, kind, pid, sealed, writerGone }) => ({ name, kind, pid, sealed, writerGone }))).toEqual([
      { name: `events-${process.pid}-150-abababab.jsonl`, kind: 'events', pid: process.pid, sealed: false, writerGone: true },
      { name: `events-${process.pid}-200-bbbbbbbb.jsonl`, kind: 'events', pid: process.pid, sealed: true, writerGone: true },
      { name: `events-${gone}-300-cccccccc.jsonl`, kind: 'events', pid: gone, sealed: false, writerGone: true },
      { name: `perf-${process.pid}-400-0.bin`, kind: 'perf', pid: process.pid, sealed: true, writerGone: true },
      { name: `events-${process.pid}-${started}-aaaaaaaa.jsonl`, kind: 'events', pid: process.pid, sealed: false, writerGone: false },
    ]);
    expect(readdirSync(spoolDir)).toHaveLength(6);
  });

  it('an absent spool directory has nothing pending', () => {
    expect(listPendingSpools(join(tempAnalyticsPaths().home, 'nope'))).toEqual([]);
  });
});
