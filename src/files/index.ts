/** TODO door of src/files */
export { setAsideName, writeFileAtomically } from './atomic-write.js';
export { keepDatabasePrivate, keepPrivate } from './private-files.js';
