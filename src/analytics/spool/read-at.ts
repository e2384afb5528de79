/** Reads up to `length` bytes of a file at `position` (fewer at its end). */
import { closeSync, openSync, readSync } from 'node:fs';

export function readAt(path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length);
    const read = readSync(fd, buffer, 0, length, position);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
