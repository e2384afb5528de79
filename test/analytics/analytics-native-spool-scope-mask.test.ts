/**
 * The native spool records exactly the scopes the Recorder turned on: nothing at all (not even a file) with
 * the mask at 0 or with only scopes it has no records for, and per scope only that scope's record kinds.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { readSpoolSegment } from '../../src/analytics/spool/binary-segment.js';
import { openNativeSpool, type NativeSpool } from '../../src/analytics/capture/native-spool.js';
import { type RecordedEvent, scopeBits } from '../../src/analytics/events/types.js';
import { generateKeyPair, generateKeyPairSync } from '../../src/index.js';

const envelope = { installId: 'install', sessionId: 'session', keyscopeVersion: '0.1.0' };
let spool: NativeSpool | undefined;
afterEach(() => spool?.close());

function spoolDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'keyscope-spool-')), 'spool');
}

function readAll(dir: string): RecordedEvent[] {
  const seq = (name: string) => Number(/-(\d+)\.bin$/.exec(name)![1]);
  return readdirSync(dir)
    .filter((name) => name.startsWith('perf-'))
    .sort((a, b) => seq(a) - seq(b))
    .flatMap((name) => readSpoolSegment(join(dir, name), 0).events);
}

/** Three quick keys (two of them necessarily in one wall-clock second), one async, one export, one failure. */
async function exercise(target: NativeSpool): Promise<void> {
  for (let i = 0; i < 3; i++) generateKeyPairSync('ed25519');
  await generateKeyPair('ec-p256');
  target.recordExport('exportPublicKey', 'ed25519', 'pem', false);
  target.recordApiFailure('generateKeyPairSync', 'ed25519');
}

describe('native spool scope mask', () => {
  it('writes nothing and creates no file or directory with the mask at 0', async () => {
    const dir = spoolDir();
    spool = openNativeSpool({ dir, ...envelope, burstThreshold: 2 });
    await exercise(spool);
    spool.setScopeMask(0);
    await exercise(spool);
    spool.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('writes nothing for the errors scope alone (errors go through the JSONL spool)', async () => {
    const dir = spoolDir();
    spool = openNativeSpool({ dir, ...envelope, burstThreshold: 2 });
    spool.setScopeMask(scopeBits.errors);
    await exercise(spool);
    spool.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('usage: one api.call per call and nothing else', async () => {
    const dir = spoolDir();
    spool = openNativeSpool({ dir, ...envelope, burstThreshold: 2 });
    spool.setScopeMask(scopeBits.usage);
    await exercise(spool);
    spool.close();
    const events = readAll(dir);
    expect(events.map((e) => e.type)).toEqual(Array(6).fill('api.call'));
    expect(events.map((e) => (e.type === 'api.call' ? `${e.api} ${e.algorithm} ${e.outcome}` : ''))).toEqual([
      'generateKeyPairSync ed25519 ok',
      'generateKeyPairSync ed25519 ok',
      'generateKeyPairSync ed25519 ok',
      'generateKeyPair ec-p256 ok',
      'exportPublicKey ed25519 ok',
      'generateKeyPairSync ed25519 error',
    ]);
  });

  it('performance: one keygen.timing per generated key and nothing else', async () => {
    const dir = spoolDir();
    spool = openNativeSpool({ dir, ...envelope, burstThreshold: 2 });
    spool.setScopeMask(scopeBits.performance);
    await exercise(spool);
    spool.close();
    const events = readAll(dir);
    expect(events.map((e) => (e.type === 'keygen.timing' ? `${e.api} ${e.algorithm}` : e.type))).toEqual([
      'generateKeyPairSync ed25519',
      'generateKeyPairSync ed25519',
      'generateKeyPairSync ed25519',
      'generateKeyPair ec-p256',
    ]);
  });

  it('security: only security.burst, once per second that reaches the threshold', async () => {
    const dir = spoolDir();
    spool = openNativeSpool({ dir, ...envelope, burstThreshold: 2 });
    spool.setScopeMask(scopeBits.security);
    await exercise(spool);
    spool.close();
    const events = readAll(dir);
    expect(events.length).toBeGreaterThanOrEqual(1);
    const seconds = new Set<number>();
    for (const event of events) {
      expect(event).toMatchObject({ type: 'security.burst', scope: 'security', keysInSecond: 2 });
      expect(event.time % 1000).toBe(0);
      seconds.add(event.time);
    }
    expect(seconds.size).toBe(events.length);
  });

  it('follows mask changes at once, in the middle of a run', () => {
    const dir = spoolDir();
    spool = openNativeSpool({ dir, ...envelope });
    spool.setScopeMask(scopeBits.usage | scopeBits.performance);
    generateKeyPairSync('ed25519');
    spool.setScopeMask(scopeBits.usage);
    generateKeyPairSync('x25519');
    spool.setScopeMask(0);
    generateKeyPairSync('x448');
    spool.setScopeMask(scopeBits.performance);
    generateKeyPairSync('ed448');
    spool.close();
    generateKeyPairSync('ec-p256');
    const events = readAll(dir);
    expect(events.map((e) => (e.type === 'api.call' || e.type === 'keygen.timing' ? `${e.type} ${e.algorithm}` : e.type))).toEqual([
      'api.call ed25519',
      'keygen.timing ed25519',
      'api.call x25519',
      'keygen.timing ed448',
    ]);
  });
});
