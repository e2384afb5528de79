/**
 * Writing a file so that a reader sees the old content or the new, never half of it, even if the process is
 * killed mid-write: the data goes to a temporary file beside the destination (same directory, so the same file
 * system), created exclusively, written and fsynced; only then is it published under its name. rename(2)
 * replaces the destination atomically; link(2) fails atomically (EEXIST) when the destination exists, for a
 * caller that must never overwrite. A failure leaves no temporary file behind, and the error thrown is the
 * system's own, for each caller to word (file-errors.ts has the shared wording).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { privateFileMode } from './private-files.js';

export interface NewFileOptions {
  /** The file's permissions (default 0600: keyscope's own files are the person's alone); the umask narrows them. */
  mode?: number;
  /** Set `mode` exactly whatever the umask (a private key stays 0600 under umask 000, a public key 0644 under 077). */
  exactMode?: boolean;
}

export interface AtomicWriteOptions extends NewFileOptions {
  /** Replace an existing destination (default true); false fails with EEXIST and leaves it as it was. */
  replace?: boolean;
}

/** A fresh name beside `destination`, hidden and ending in .tmp: `.report.html.1a2b3c4d5e6f.tmp`. */
export function temporaryPathFor(destination: string): string {
  return join(dirname(destination), `.${basename(destination)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Removes a file if it is there; quietly, since the error worth reporting is the one that made it stray. */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Not ours to remove after all: leave it.
  }
}

/** Whether anything (a file, a folder, even a dangling symlink) has this name. */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates `path`, which must not exist yet, with `data`, synced to disk; a failed write leaves no file. */
export function writeNewFile(path: string, data: string | Uint8Array, options: NewFileOptions = {}): void {
  const mode = options.mode ?? privateFileMode;
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    if (options.exactMode === true) fchmodSync(fd, mode);
    writeFileSync(fd, data); // unlike one write(2), loops until all of it is written
    fsyncSync(fd);
  } catch (error) {
    // The write's error is the one worth reporting (ENOSPC, EIO), not a close that fails after it.
    try {
      closeSync(fd);
    } catch {
      // Already reporting the write's failure.
    }
    removeQuietly(path);
    throw error;
  }
  try {
    closeSync(fd);
  } catch (error) {
    removeQuietly(path);
    throw error;
  }
}

/** writeNewFile without blocking the event loop, for the library's async calls (reports, run exports). */
export async function writeNewFileAsync(path: string, data: string | Uint8Array, options: NewFileOptions = {}): Promise<void> {
  const mode = options.mode ?? privateFileMode;
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    if (options.exactMode === true) await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {}); // the write's error is the one worth reporting
    await rm(path, { force: true }).catch(() => {});
    throw error;
  }
  try {
    await handle.close();
  } catch (error) {
    await rm(path, { force: true }).catch(() => {});
    throw error;
  }
}

/** Writes `data` to a new temporary file beside `destination` and returns its path, for publishFile. */
export function writeTemporaryFile(destination: string, data: string | Uint8Array, options: NewFileOptions = {}): string {
  const temporary = temporaryPathFor(destination);
  writeNewFile(temporary, data, options);
  return temporary;
}

/** writeTemporaryFile without blocking the event loop. */
export async function writeTemporaryFileAsync(destination: string, data: string | Uint8Array, options: NewFileOptions = {}): Promise<string> {
  const temporary = temporaryPathFor(destination);
  await writeNewFileAsync(temporary, data, options);
  return temporary;
}

/**
 * Puts the finished `temporary` (from writeTemporaryFile, or a file DuckDB wrote there) in place as
 * `destination`; the temporary file is gone afterwards either way.
 */
export function publishFile(temporary: string, destination: string, options: { replace: boolean }): void {
  try {
    if (options.replace) renameSync(temporary, destination);
    else linkSync(temporary, destination);
  } finally {
    removeQuietly(temporary);
  }
}

/** publishFile without blocking the event loop. */
export async function publishFileAsync(temporary: string, destination: string, options: { replace: boolean }): Promise<void> {
  try {
    if (options.replace) await rename(temporary, destination);
    else await link(temporary, destination);
  } finally {
    await rm(temporary, { force: true }).catch(() => {});
  }
}

/** Writes `data` to `file` all at once (see above). */
export function writeFileAtomically(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const { replace = true, ...newFile } = options;
  publishFile(writeTemporaryFile(file, data, newFile), file, { replace });
}

/** A name for keeping a bad file next to the good one: `consent.json.corrupt-2025-01-02T03-04-05-678Z`. */
export function setAsideName(file: string, label: string, now: number): string {
  return `${file}.${label}-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
}
