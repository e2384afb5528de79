/**
 * Puts an export file in place only when it is complete: it is written to a temporary file beside its
 * destination, then published with link(2), which fails atomically if the destination exists, or with
 * rename(2) when replacing was asked for. A reader never sees half an export, and nothing is overwritten
 * by accident.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { ErrorCodes, FileError } from '../core/index.js';

export function temporaryPathFor(destination: string): string {
  return join(dirname(destination), `.${basename(destination)}.${randomBytes(6).toString('hex')}.tmp`);
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'its directory does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'no space left on the device';
  return code ?? (error instanceof Error ? error.message.split('\n')[0]! : String(error));
}

export function writeFailure(destination: string, error: unknown): FileError {
  if (error instanceof FileError) return error;
  return new FileError(ErrorCodes.fileWrite, `cannot write ${destination}: ${reasonOf(error)}`, { cause: error });
}

/** Fails early, before an export does any work, when the destination exists and replacing was not asked for. */
export async function assertCanPublish(destination: string, force: boolean): Promise<void> {
  if (force) return;
  const exists = await lstat(destination).then(
    () => true,
    () => false,
  );
  if (exists) throw new FileError(ErrorCodes.fileExists, `${destination} exists; pass force: true to replace it`);
}

/** Moves the finished `temporary` to `destination`; the temporary file is gone afterwards either way. */
export async function publishFile(temporary: string, destination: string, force: boolean): Promise<void> {
  try {
    if (force) {
      await rename(temporary, destination);
      return;
    }
    try {
      await link(temporary, destination);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new FileError(ErrorCodes.fileExists, `${destination} exists; pass force: true to replace it`);
      }
      throw writeFailure(destination, error);
    }
  } finally {
    await rm(temporary, { force: true });
  }
}
