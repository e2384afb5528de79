/**
 * Writes key files so that a reader never sees half a key and nothing is overwritten by accident: each file is
 * written to a temporary file beside its destination with its exact mode (files/ does that) and moved into place
 * only when every file is ready. Without `force`, link(2) publishes it, which fails atomically if the
 * destination appeared meanwhile; with `force`, rename(2) replaces it atomically.
 */
import { resolve } from 'node:path';

import { ErrorCodes, FileError } from '../core/index.js';
import { pathExists, publishFile, removeQuietly, writeFailure, writeTemporaryFile } from '../files/index.js';

export interface FileToWrite {
  path: string;
  data: string | Buffer;
  /** 0o600 for private keys: enforced with fchmod whatever the umask. */
  mode: number;
}

/** Fails early, before any work, when a destination exists and force was not given. */
export function assertWritable(paths: readonly string[], force: boolean): void {
  const resolved = paths.map((p) => resolve(p));
  if (new Set(resolved).size !== resolved.length) {
    throw new FileError(ErrorCodes.invalidOption, `the private and public key cannot go to the same file (${paths[0]})`);
  }
  if (force) return;
  for (const path of paths) {
    if (pathExists(path)) throw new FileError(ErrorCodes.fileExists, `${path} exists; pass --force to replace it`);
  }
}

/** Writes all files or none of them (a file published before a later one failed is removed again). */
export function writeFilesAtomically(files: readonly FileToWrite[], force: boolean): void {
  const temporaries: string[] = [];
  for (const file of files) {
    try {
      temporaries.push(writeTemporaryFile(file.path, file.data, { mode: file.mode, exactMode: true }));
    } catch (error) {
      temporaries.forEach(removeQuietly);
      throw writeFailure(file.path, error);
    }
  }
  const published: string[] = [];
  for (const [index, file] of files.entries()) {
    try {
      publishFile(temporaries[index]!, file.path, { replace: force });
      published.push(file.path);
    } catch (error) {
      temporaries.slice(index + 1).forEach(removeQuietly);
      if (!force) published.forEach(removeQuietly);
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new FileError(ErrorCodes.fileExists, `cannot write ${file.path}: it was created meanwhile; pass --force to replace it`, { cause: error });
      }
      throw writeFailure(file.path, error);
    }
  }
}
