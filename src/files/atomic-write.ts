/**
 * Replaces a small file all at once: readers see the old content or the new, never half of it, even if the
 * process is killed mid-write (temp file in the same directory, fsync, rename).
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** Writes `text` to `file` with `mode` (0600 by default: only the owner reads consent and session files). */
export function writeFileAtomically(file: string, text: string, mode = 0o600): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone or never renamed: the original error is the one worth reporting.
    }
    throw error;
  }
}

/** A name for keeping a bad file next to the good one: `consent.json.corrupt-2025-01-02T03-04-05-678Z`. */
export function setAsideName(file: string, label: string, now: number): string {
  return `${file}.${label}-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
}
