/**
 * Reads one segment of the native performance spool (perf-<pid>-<startMs>-<seq>.bin), mirroring the layout in
 * native/analytics/analytics_spool.h: a 256-byte header, then fixed 64-byte records. A record counts once its
 * commit word says so; the first one that does not (not written yet, or torn by a kill) ends what can be read now.
 *
 * Ingest reads millions of these, so this is plain Buffer offsets and a small string cache, no per-record
 * allocation beyond the event object itself.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';

import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { algorithmIdPattern, type ApiName, apiNames, type RecordedEvent } from '../events/index.js';

export interface SpoolSegmentHeader {
  version: number;
  capacity: number;
  pid: number;
  createdMs: number;
  sealed: boolean;
  installId: string;
  sessionId: string;
  keyscopeVersion: string;
}

/** What the addon writes for a caller's algorithm that was not a valid id (analytics_spool.h kInvalidAlgorithm). */
const invalidAlgorithm = '<invalid>';
const envelopeIdPattern = /^[A-Za-z0-9-]{1,40}$/;
const versionPattern = /^[A-Za-z0-9 ._+()-]{1,24}$/;

/** The layout constants of analytics_spool.h. */
const magic = Buffer.from('KSPERF01', 'latin1');
const formatVersion = 1;
const headerBytes = 256;
const recordBytes = 64;
const committed = 0x4b53524d;
/** One read covers at most this many records (4 MiB, a full default segment). */
const recordsPerRead = 65536;

const recordKind = { apiCall: 1, keygenTiming: 2, burst: 3 } as const;
const flagAllowWeak = 1;
const flagEncrypted = 2;
/** A timing record that also stands for the call's api.call (analytics_spool.h kFlagApiCall). */
const flagApiCall = 16;
/** By format code: bits 2-3 of a record's flags, plus 4 when bit 5 is set (analytics_spool.h). */
const formats = [undefined, 'pem', 'der', 'jwk', 'openssh'] as const;

function corrupt(path: string, why: string): KeyscopeError {
  return new KeyscopeError(ErrorCodes.analyticsSpoolCorrupt, `performance spool ${basename(path)} is corrupt: ${why}`);
}

/** A NUL-padded field as text. */
function paddedText(buffer: Buffer, start: number, length: number): string {
  const nul = buffer.indexOf(0, start);
  const end = nul === -1 || nul > start + length ? start + length : nul;
  return buffer.toString('latin1', start, end);
}

function readHeader(path: string, fd: number): SpoolSegmentHeader {
  const size = fstatSync(fd).size;
  const header = Buffer.alloc(headerBytes);
  if (size < headerBytes || readSync(fd, header, 0, headerBytes, 0) < headerBytes) {
    throw corrupt(path, `${size} bytes is shorter than its header`);
  }
  if (!header.subarray(0, 8).equals(magic)) throw corrupt(path, 'bad magic');
  const version = header.readUInt32LE(8);
  if (version !== formatVersion) throw corrupt(path, `format version ${version}, expected ${formatVersion}`);
  const recordSize = header.readUInt32LE(12);
  if (recordSize !== recordBytes) throw corrupt(path, `record size ${recordSize}, expected ${recordBytes}`);
  const capacity = header.readUInt32LE(16);
  // The writer sizes the file to its full capacity before anyone can see it: a shorter file was cut.
  if (size < headerBytes + capacity * recordBytes) {
    throw corrupt(path, `${size} bytes is shorter than ${capacity} records`);
  }
  const ids = { installId: paddedText(header, 40, 40), sessionId: paddedText(header, 80, 40), keyscopeVersion: paddedText(header, 120, 24) };
  // The envelope goes into the database with every record: checked like a JSONL line's, once per segment.
  if (!envelopeIdPattern.test(ids.installId) || !envelopeIdPattern.test(ids.sessionId) || !versionPattern.test(ids.keyscopeVersion)) {
    throw corrupt(path, 'its header holds an id or version that keyscope never writes');
  }
  return {
    version,
    capacity,
    pid: header.readUInt32LE(20),
    createdMs: Number(header.readBigInt64LE(24)),
    sealed: header.readUInt32LE(32) === 1,
    ...ids,
  };
}

/** Byte compare in JS: Buffer#compare is a native call, which costs more than a few bytes compared here. */
function sameBytes(bytes: Buffer, chunk: Buffer, start: number, length: number): boolean {
  if (bytes.length !== length) return false;
  for (let i = 0; i < length; i++) if (bytes[i] !== chunk[start + i]) return false;
  return true;
}

/**
 * The algorithm field of records, decoded once per distinct field: a segment's records name a few algorithms
 * over and over, and making a string per record was most of the read. Fields are looked up by a hash of their
 * bytes up to the NUL, and the bytes are compared before a cached name is trusted.
 */
class AlgorithmNames {
  readonly #byHash = new Map<number, { bytes: Buffer; name: string }>();

  decode(path: string, chunk: Buffer, start: number): string {
    let hash = 0x811c9dc5;
    let length = 0;
    for (; length < 24; length++) {
      const byte = chunk[start + length]!;
      if (byte === 0) break;
      hash = Math.imul(hash ^ byte, 0x01000193);
    }
    const known = this.#byHash.get(hash);
    if (known !== undefined && sameBytes(known.bytes, chunk, start, length)) return known.name;
    const name = chunk.toString('latin1', start, start + length);
    // Each distinct name is checked once, like the JSONL schemas check theirs: an id, or the addon's marker.
    if (name !== invalidAlgorithm && !algorithmIdPattern.test(name)) throw corrupt(path, 'a record names an algorithm keyscope never writes');
    this.#byHash.set(hash, { bytes: Buffer.from(chunk.subarray(start, start + length)), name });
    return name;
  }
}

/** Unsigned 64-bit field as a number (exact below 2^53, which durations and cycle counts stay under). */
function u64(buffer: Buffer, offset: number): number {
  return buffer.readUInt32LE(offset + 4) * 0x100000000 + buffer.readUInt32LE(offset);
}

/**
 * CLOCK_REALTIME ns to ms, exact to the microsecond: ns = hi * 2^32 + lo, and 2^32 = 4294967 * 1000 + 296, so
 * floor(ns / 1000) = hi * 4294967 + floor((hi * 296 + lo) / 1000), every term an exact double.
 */
function timeMs(buffer: Buffer, offset: number): number {
  const hi = buffer.readUInt32LE(offset + 4);
  const lo = buffer.readUInt32LE(offset);
  return (hi * 4294967 + Math.floor((hi * 296 + lo) / 1000)) / 1000;
}

/**
 * The committed records of a segment from `fromRecord` on, as events, and the index after the last one read.
 * A timing record flagged kFlagApiCall yields two events (its api.call, then itself): records, not events, are
 * what `nextRecord` counts. It stops at the first uncommitted record (a live writer's next slot), unless
 * `skipUncommitted`: for a dead writer's segment, where several threads may each have been killed mid-record,
 * every committed record up to `maxRecords` is read, past the torn ones.
 * Throws KS_ANALYTICS_SPOOL_CORRUPT for a file that is not a spool segment of this format (or is cut short).
 */
export function readSpoolSegment(
  path: string,
  fromRecord: number,
  maxRecords: number = Number.POSITIVE_INFINITY,
  options: { skipUncommitted?: boolean } = {},
): { header: SpoolSegmentHeader; events: RecordedEvent[]; nextRecord: number } {
  const fd = openSync(path, 'r');
  try {
    const header = readHeader(path, fd);
    const envelope = { installId: header.installId, sessionId: header.sessionId, keyscopeVersion: header.keyscopeVersion };
    const events: RecordedEvent[] = [];
    const algorithms = new AlgorithmNames();
    let next = Math.max(0, Math.min(fromRecord, header.capacity));
    const end = Math.min(header.capacity, next + maxRecords);
    let chunk = Buffer.alloc(0);
    while (next < end) {
      const want = Math.min(end - next, recordsPerRead);
      if (chunk.length < want * recordBytes) chunk = Buffer.allocUnsafe(want * recordBytes);
      const read = readSync(fd, chunk, 0, want * recordBytes, headerBytes + next * recordBytes);
      const records = Math.floor(read / recordBytes);
      let i = 0;
      for (; i < records; i++) {
        const at = i * recordBytes;
        if (chunk.readUInt32LE(at) !== committed) {
          if (options.skipUncommitted) continue;
          break;
        }
        const event = toEvent(path, chunk, at, envelope, algorithms);
        if (event.type === 'keygen.timing' && (chunk[at + 37]! & flagApiCall) !== 0) {
          const { api, algorithm, outcome } = event;
          const allowWeak = (chunk[at + 37]! & flagAllowWeak) !== 0;
          events.push({ time: event.time, installId: envelope.installId, sessionId: envelope.sessionId, keyscopeVersion: envelope.keyscopeVersion, type: 'api.call', scope: 'usage', api, algorithm, outcome, allowWeak });
        }
        events.push(event);
      }
      next += i;
      if (i < want) break;
    }
    return { header, events, nextRecord: next };
  } finally {
    closeSync(fd);
  }
}

function toEvent(
  path: string,
  chunk: Buffer,
  at: number,
  envelope: { installId: string; sessionId: string; keyscopeVersion: string },
  algorithms: AlgorithmNames,
): RecordedEvent {
  const kind = chunk.readUInt16LE(at + 4);
  const api: ApiName | undefined = apiNames[chunk.readUInt16LE(at + 6)];
  if (api === undefined) throw corrupt(path, `record api ${chunk.readUInt16LE(at + 6)}`);
  const time = timeMs(chunk, at + 8);
  const outcome = chunk[at + 36] === 0 ? 'ok' : 'error';
  const flags = chunk[at + 37]!;
  const algorithm = algorithms.decode(path, chunk, at + 40);
  switch (kind) {
    case recordKind.apiCall: {
      if (api === 'generateKeyPairSync' || api === 'generateKeyPair') {
        return { time, installId: envelope.installId, sessionId: envelope.sessionId, keyscopeVersion: envelope.keyscopeVersion, type: 'api.call', scope: 'usage', api, algorithm, outcome, allowWeak: (flags & flagAllowWeak) !== 0 };
      }
      const format = formats[((flags >> 2) & 3) | (((flags >> 5) & 1) << 2)];
      const event: RecordedEvent & { type: 'api.call' } = {
        time,
        installId: envelope.installId,
        sessionId: envelope.sessionId,
        keyscopeVersion: envelope.keyscopeVersion,
        type: 'api.call',
        scope: 'usage',
        api,
        algorithm,
        outcome,
      };
      if (format !== undefined) event.format = format;
      if (api === 'exportPrivateKey' && outcome === 'ok') event.encrypted = (flags & flagEncrypted) !== 0;
      return event;
    }
    case recordKind.keygenTiming: {
      if (api !== 'generateKeyPairSync' && api !== 'generateKeyPair') throw corrupt(path, `timing record of ${api}`);
      const cycles = u64(chunk, at + 24);
      return {
        time,
        installId: envelope.installId,
        sessionId: envelope.sessionId,
        keyscopeVersion: envelope.keyscopeVersion,
        type: 'keygen.timing',
        scope: 'performance',
        api,
        algorithm,
        implementation: 'keyscope',
        outcome,
        durationNs: u64(chunk, at + 16),
        cycles: cycles === 0 ? null : cycles,
      };
    }
    case recordKind.burst:
      return { time, installId: envelope.installId, sessionId: envelope.sessionId, keyscopeVersion: envelope.keyscopeVersion, type: 'security.burst', scope: 'security', algorithm, keysInSecond: chunk.readUInt32LE(at + 32) };
    default:
      throw corrupt(path, `record kind ${kind}`);
  }
}
