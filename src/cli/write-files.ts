/**
 * Writes key files so that a reader never sees half a key and nothing is overwritten by accident: each file is
 * written to a temporary file beside its destination (created exclusively, with its final mode, then fsynced)
 * and moved into place only when every file is ready. Without `force`, link(2) publishes it, which fails
 * atomically if the destination appeared meanwhile; with `force`, rename(2) replaces it atomically.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { link, lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

import { ErrorCodes, FileError } from '../core/index.js';

export interface FileToWrite {
  path: string;
  data: string | Buffer;
  /** 0o600 for private keys: enforced with fchmod whatever the umask. */
  mode: number;
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'its directory does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return code ?? String(error);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Fails early, before any work, when a destination exists and force was not given. */
export async function assertWritable(paths: readonly string[], force: boolean): Promise<void> {
  const resolved = paths.map((p) => resolve(p));
  if (new Set(resolved).size !== resolved.length) {
    throw new FileError(ErrorCodes.invalidOption, `the private and public key cannot go to the same file (${paths[0]})`);
  }
  if (force) return;
  for (const path of paths) {
    if (await exists(path)) throw new FileError(ErrorCodes.fileExists, `${path} exists; pass --force to replace it`);
  }
}

async function writeTemporary(file: FileToWrite): Promise<string> {
  const temporary = join(dirname(file.path), `.${basename(file.path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temporary, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, file.mode);
  } catch (error) {
    throw new FileError(ErrorCodes.fileWrite, `cannot write ${file.path}: ${reasonOf(error)}`, { cause: error });
  }
  try {
    await handle.chmod(file.mode);
    await handle.writeFile(file.data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temporary).catch(() => {});
    throw new FileError(ErrorCodes.fileWrite, `cannot write ${file.path}: ${reasonOf(error)}`, { cause: error });
  }
  await handle.close();
  return temporary;
}

async function publish(temporary: string, path: string, force: boolean): Promise<void> {
  if (force) {
    await rename(temporary, path);
    return;
  }
  try {
    await link(temporary, path);
  } finally {
    await unlink(temporary).catch(() => {});
  }
}

/** Writes all files or none of them (a file published before a later one failed is removed again). */
export async function writeFilesAtomically(files: readonly FileToWrite[], force: boolean): Promise<void> {
  const temporaries: string[] = [];
  try {
    for (const file of files) temporaries.push(await writeTemporary(file));
  } catch (error) {
    await Promise.all(temporaries.map((t) => unlink(t).catch(() => {})));
    throw error;
  }
  const published: string[] = [];
  for (const [index, file] of files.entries()) {
    try {
      await publish(temporaries[index]!, file.path, force);
      published.push(file.path);
    } catch (error) {
      await Promise.all(temporaries.slice(index + 1).map((t) => unlink(t).catch(() => {})));
      if (!force) await Promise.all(published.map((p) => unlink(p).catch(() => {})));
      const code = (error as NodeJS.ErrnoException).code === 'EEXIST' ? ErrorCodes.fileExists : ErrorCodes.fileWrite;
      const reason = code === ErrorCodes.fileExists ? 'it was created meanwhile; pass --force to replace it' : reasonOf(error);
      throw new FileError(code, `cannot write ${file.path}: ${reason}`, { cause: error });
    }
  }
}
