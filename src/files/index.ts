/**
 * Files keyscope writes for the user or for itself: written whole or not at all, and private where they hold
 * anything personal.
 */
export { setAsideName, writeFileAtomically } from './atomic-write.js';
export { keepDatabasePrivate, keepPrivate } from './private-files.js';
