/** The run store: benchmark runs kept in a DuckDB file, with export and import of single runs. */
export type { ExportFormat, ExportOptions, ExportResult } from './export-import.js';
export type { RunFilter } from './list-runs.js';
export type { LoadRunOptions } from './load-run.js';
export { openStore, type OpenStoreOptions } from './open-store.js';
export { readRunExport } from './read-export.js';
export { decodeInlineDocument, encodeDocument, encodeSpecialNumbers, reviveSpecialNumbers } from './run-document.js';
export { runRecordSchema } from './run-schema.js';
export type { RunStore } from './run-store.js';
export { currentSchemaVersion } from './schema.js';
export { StoreError } from './store-error.js';
export { defaultStoreFile, resolveStorePath } from './store-path.js';
