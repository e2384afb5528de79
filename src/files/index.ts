/** Files keyscope writes: all at once through a temporary file beside them, and private to the person. */
export {
  type AtomicWriteOptions,
  type NewFileOptions,
  pathExists,
  publishFile,
  publishFileAsync,
  removeQuietly,
  setAsideName,
  temporaryPathFor,
  writeFileAtomically,
  writeNewFile,
  writeNewFileAsync,
  writeTemporaryFile,
  writeTemporaryFileAsync,
} from './atomic-write.js';
export { fileErrorReason, writeFailure } from './file-errors.js';
export { keepDatabasePrivate, keepPrivate } from './private-files.js';
