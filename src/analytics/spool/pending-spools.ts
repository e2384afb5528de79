/**
 * The spool files waiting in the spool directory, with what ingest needs to know about each: its kind, its
 * writer's pid, and whether that writer is gone. A file whose writer is gone can be deleted once fully
 * ingested, and its torn last line (a kill mid-write) discarded; a live writer's file is only read up to its
 * last complete line or committed record.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { readAt } from './read-at.js';
import { eventSpoolPattern, sealedMarker } from './event-spool.js';

export type SpoolKind = 'events' | 'perf';

export interface PendingSpool {
  /** File name in the spool directory (the key of spool_progress). */
  name: string;
  path: string;
  kind: SpoolKind;
  pid: number;
  startMs: number;
  bytes: number;
  /** The writer closed it cleanly: it will never grow again. */
  sealed: boolean;
  /** Sealed, or the writer's process no longer exists. */
  writerGone: boolean;
}

/** perf-<pid>-<startMs>-<seq>.bin (native/analytics/analytics_spool.h). */
export const perfSpoolPattern = /^perf-(\d+)-(\d+)-(\d+)\.bin$/;

/** SpoolHeader.sealed: after magic[8], version, record_size, capacity, pid (u32 each) and created_ms (i64). */
const perfSealedOffset = 32;

const sealedLine = Buffer.from(`${sealedMarker}\n`);

function isSealed(path: string, kind: SpoolKind, bytes: number): boolean {
  if (kind === 'events') {
    return bytes >= sealedLine.length && readAt(path, bytes - sealedLine.length, sealedLine.length).equals(sealedLine);
  }
  const word = readAt(path, perfSealedOffset, 4);
  return word.length === 4 && word.readUInt32LE(0) === 1;
}

/** When this process started (ms): a file with our pid but an earlier start is a previous process's. */
const thisProcessStartMs = Date.now() - process.uptime() * 1000;
/** Clock granularity and the time between process start and uptime's origin. */
const startSlackMs = 2000;

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function describe(dir: string, name: string): PendingSpool | null {
  const events = eventSpoolPattern.exec(name);
  const perf = events ? null : perfSpoolPattern.exec(name);
  const match = events ?? perf;
  if (!match) return null;
  const kind: SpoolKind = events ? 'events' : 'perf';
  const path = join(dir, name);
  try {
    const bytes = statSync(path).size;
    const pid = Number(match[1]);
    const sealed = isSealed(path, kind, bytes);
    const startMs = Number(match[2]);
    // Containers give every run the same pid: our own pid on a file older than this process is a previous run.
    const previousRunOfOurPid = pid === process.pid && startMs < thisProcessStartMs - startSlackMs;
    return { name, path, kind, pid, startMs, bytes, sealed, writerGone: sealed || previousRunOfOurPid || !processAlive(pid) };
  } catch (error) {
    // Deleted meanwhile by another ingesting process: nothing pending there any more.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** A performance segment's sequence number (perf-...-10.bin comes after -9.bin); 0 for event spools. */
function segmentSeq(name: string): number {
  return Number(perfSpoolPattern.exec(name)?.[3] ?? 0);
}

/** Every spool file in `dir`, oldest writer first, a writer's segments in order; an absent directory has none. */
export function listPendingSpools(dir: string): PendingSpool[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map((name) => describe(dir, name))
    .filter((spool): spool is PendingSpool => spool !== null)
    .sort((a, b) => a.startMs - b.startMs || a.pid - b.pid || segmentSeq(a.name) - segmentSeq(b.name) || a.name.localeCompare(b.name));
}
