/**
 * This process's JSONL event spool: one JSON line per recorded event, appended with one write(2), so a kill -9
 * loses at most the line being written (a torn last line, which ingest discards once the writer is gone).
 * Writers never touch DuckDB: whichever process opens the database ingests the spools, so no process ever
 * waits for another.
 *
 * The file is opened on the first event only: a process that records nothing leaves nothing behind.
 */
import { closeSync, mkdirSync, openSync, writeSync, constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** The line a clean close appends: the writer is done, the file can be deleted once ingested. */
export const sealedMarker = '{"sealed":true}';

export const eventSpoolPattern = /^events-(\d+)-(\d+)-([0-9a-f]{8})\.jsonl$/;

export function eventSpoolName(pid: number, startMs: number, suffix: string): string {
  return `events-${pid}-${startMs}-${suffix}.jsonl`;
}

export interface EventSpool {
  /** The file, once the first line opened it (null before). */
  readonly path: string | null;
  /** Appends one line (the JSON text of one event, without its newline). Throws on I/O failure. */
  append(line: string): void;
  /** Writes the sealed marker (when the file exists) and closes it; later appends throw. */
  close(): void;
}

export function createEventSpool(options: { dir: string; startMs?: number; pid?: number }): EventSpool {
  const pid = options.pid ?? process.pid;
  const startMs = options.startMs ?? Date.now();
  let fd: number | null = null;
  let path: string | null = null;
  let closed = false;

  function writeAll(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    // A regular file takes the whole buffer in one write; the loop only covers a short write (disk full).
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd!, bytes, offset, bytes.length - offset);
  }

  function open(): void {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    path = join(options.dir, eventSpoolName(pid, startMs, randomBytes(4).toString('hex')));
    // O_EXCL: two writers can never share a file, even with a recycled pid and the same millisecond.
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL, 0o600);
  }

  return {
    get path() {
      return path;
    },
    append(line: string) {
      if (closed) throw new Error('event spool is closed');
      if (fd === null) open();
      writeAll(`${line}\n`);
    },
    close() {
      if (closed) return;
      closed = true;
      if (fd === null) return;
      try {
        writeAll(`${sealedMarker}\n`);
      } finally {
        closeSync(fd);
        fd = null;
      }
    },
  };
}
