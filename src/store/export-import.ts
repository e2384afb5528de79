/**
 * Moving a run between stores as a file: JSON (one self-describing document) or Parquet (samples as rows,
 * the rest as metadata), chosen by the file's extension on export and by its content on import, so a
 * renamed file still imports. Exports are published only when complete (files/ atomic-write.ts).
 */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';

import { type DuckDBConnection } from '@duckdb/node-api';

import { type RunRecord } from '../model/index.js';
import { ErrorCodes, FileError, InvalidArgumentError } from '../core/index.js';
import { pathExists, publishFileAsync, removeQuietly, temporaryPathFor, writeFailure } from '../files/index.js';
import { readJsonExport, writeJsonExport } from './json-file.js';
import { readParquetExport, writeParquetExport } from './parquet-file.js';
import { StoreError } from './store-error.js';

export type ExportFormat = 'json' | 'parquet';

export interface ExportOptions {
  /** Replace `file` if it exists (atomically); without it an existing file is an error. */
  force?: boolean;
}

export interface ExportResult {
  format: ExportFormat;
  /** Per-iteration samples written (the ns series of every completed case). */
  samples: number;
}

export function exportFormatOf(file: string): ExportFormat {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.parquet') return 'parquet';
  throw new InvalidArgumentError(
    ErrorCodes.invalidOption,
    `exportRun: cannot tell the format of ${file} from its extension; name it .json or .parquet`,
  );
}

function alreadyExists(file: string): FileError {
  return new FileError(ErrorCodes.fileExists, `${file} exists; pass force: true to replace it`);
}

export function sampleCount(run: RunRecord): number {
  return run.cases.reduce((sum, result) => sum + (result.state === 'completed' ? result.samples.ns.length : 0), 0);
}

/** Writes `run` (stored under `runKey`) to `file`, in the format its extension names. */
export async function exportRunFile(
  connection: DuckDBConnection,
  run: RunRecord,
  runKey: number,
  file: string,
  options: ExportOptions,
): Promise<ExportResult> {
  const format = exportFormatOf(file);
  const force = options.force ?? false;
  // Checked before any work too, so that a refusal costs nothing; publishing checks again, atomically.
  if (!force && pathExists(file)) throw alreadyExists(file);
  const temporary = temporaryPathFor(file);
  try {
    if (format === 'json') await writeJsonExport(run, temporary);
    else await writeParquetExport(connection, run, runKey, temporary);
  } catch (error) {
    removeQuietly(temporary);
    throw writeFailure(file, error);
  }
  try {
    await publishFileAsync(temporary, file, { replace: force });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyExists(file);
    throw writeFailure(file, error);
  }
  return { format, samples: sampleCount(run) };
}

function importFailure(file: string, reason: string): StoreError {
  return new StoreError(ErrorCodes.importInvalid, `${file} is not a keyscope run export: ${reason}`);
}

async function readHead(file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a directory' : `it cannot be read (${code})`;
    throw importFailure(file, reason);
  }
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Reads the run in an export file, whichever format it has; KS_IMPORT_INVALID when it is not one. */
export async function readRunFile(connection: DuckDBConnection, file: string): Promise<RunRecord> {
  const head = await readHead(file);
  const result = head.equals(Buffer.from('PAR1')) ? await readParquetExport(connection, file) : await readJsonExport(file);
  if (typeof result === 'string') throw importFailure(file, result);
  return result;
}
