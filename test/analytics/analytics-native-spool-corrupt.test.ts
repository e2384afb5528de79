/**
 * readSpoolSegment refuses what is not a whole spool segment of this format with KS_ANALYTICS_SPOOL_CORRUPT:
 * garbage, a file cut short (shorter than its header, or than its capacity), a bad magic, version, record size,
 * or a committed record of an unknown kind.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { readSpoolSegment } from '../../src/analytics/spool/binary-segment.js';
import { openNativeSpool } from '../../src/analytics/capture/native-spool.js';
import { ErrorCodes, KeyscopeError } from '../../src/core/errors.js';
import { generateKeyPairSync } from '../../src/index.js';

let valid: Buffer;
let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'keyscope-spool-'));
  const dir = join(workDir, 'spool');
  const spool = openNativeSpool({ dir, installId: 'i', sessionId: 's', keyscopeVersion: 'v', firstSegmentRecords: 8 });
  spool.setScopeMask(1);
  generateKeyPairSync('ed25519');
  generateKeyPairSync('x25519');
  spool.close();
  valid = readFileSync(join(dir, readdirSync(dir)[0]!));
});

function fileWith(name: string, bytes: Buffer): string {
  const path = join(workDir, name);
  writeFileSync(path, bytes);
  return path;
}

function patched(offset: number, write: (b: Buffer) => void): Buffer {
  const copy = Buffer.from(valid);
  write(copy.subarray(offset));
  return copy;
}

function corruptError(path: string): KeyscopeError {
  try {
    readSpoolSegment(path, 0);
  } catch (error) {
    expect(error).toBeInstanceOf(KeyscopeError);
    return error as KeyscopeError;
  }
  throw new Error('expected KS_ANALYTICS_SPOOL_CORRUPT');
}

describe('readSpoolSegment on a corrupt file', () => {
  it('reads the untouched file (the cases below differ from it in one way each)', () => {
    expect(valid.length).toBe(256 + 8 * 64);
    expect(readSpoolSegment(fileWith('valid.bin', valid), 0).events).toHaveLength(2);
  });

  const cases: [label: string, bytes: () => Buffer, message: RegExp][] = [
    ['garbage', () => randomBytes(4096), /bad magic/],
    ['an empty file', () => Buffer.alloc(0), /0 bytes is shorter than its header/],
    ['a file cut inside its header', () => valid.subarray(0, 100), /100 bytes is shorter than its header/],
    ['a file cut inside its records', () => valid.subarray(0, 256 + 3 * 64), /448 bytes is shorter than 8 records/],
    ['a bad magic', () => patched(0, (b) => b.write('KSPERF99', 'latin1')), /bad magic/],
    ['another format version', () => patched(8, (b) => b.writeUInt32LE(2)), /format version 2, expected 1/],
    ['another record size', () => patched(12, (b) => b.writeUInt32LE(48)), /record size 48, expected 64/],
    ['a committed record of an unknown kind', () => patched(256 + 64 + 4, (b) => b.writeUInt16LE(9)), /record kind 9/],
    ['a committed record of an unknown api', () => patched(256 + 6, (b) => b.writeUInt16LE(7)), /record api 7/],
  ];

  it.each(cases)('refuses %s', (label, bytes, message) => {
    const error = corruptError(fileWith(`${label.replace(/\W+/g, '-')}.bin`, bytes()));
    expect(error.code).toBe(ErrorCodes.analyticsSpoolCorrupt);
    expect(error.message).toMatch(/^performance spool .*\.bin is corrupt: /);
    expect(error.message).toMatch(message);
  });

  it('refuses a file truncated after the fact', () => {
    const path = fileWith('truncated.bin', valid);
    truncateSync(path, 300);
    expect(corruptError(path).code).toBe(ErrorCodes.analyticsSpoolCorrupt);
  });
});
