/** A failed write in words a person can act on, as a KS_FILE_WRITE FileError naming the file. */
import { ErrorCodes, FileError } from '../core/index.js';

/** Why the system refused, as a phrase ("permission denied"), or its error code when there is no better one. */
export function fileErrorReason(error: unknown): string {
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
      return code ?? (error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
}

/** `cannot write <destination>: <reason>`; a FileError already worded is passed on as it is. */
export function writeFailure(destination: string, error: unknown): FileError {
  if (error instanceof FileError) return error;
  return new FileError(ErrorCodes.fileWrite, `cannot write ${destination}: ${fileErrorReason(error)}`, { cause: error });
}
