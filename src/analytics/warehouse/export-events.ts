/**
 * `analytics export`: the recorded events as JSON (one array), CSV or Parquet, written by DuckDB's COPY. The
 * output is written to a private temporary file next to its destination and renamed into place (a reader never
 * sees half an export), or streamed to stdout. Parquet is binary: it needs --out.
 */
import { createReadStream, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { keepPrivate, publishFile } from '../../files/index.js';
import type { AnalyticsDatabase } from './analytics-database.js';
import type { Scope } from '../events/index.js';
import { type EventSelection, selectionCondition } from './event-selection.js';

export const exportFormats = ['json', 'csv', 'parquet'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportOptions extends EventSelection {
  format: ExportFormat;
  /** The file to write; null or absent: `stdout`. */
  out?: string | null;
  /** Where the data goes without `out` (default process.stdout). */
  stdout?: NodeJS.WritableStream;
}

export interface ExportResult {
  events: number;
  byScope: Partial<Record<Scope, number>>;
  format: ExportFormat;
  /** The file written, or null for stdout. */
  path: string | null;
}

const copyOptions: Record<ExportFormat, string> = {
  json: 'FORMAT json, ARRAY true',
  csv: 'FORMAT csv, HEADER true',
  parquet: 'FORMAT parquet, COMPRESSION zstd',
};

/** The columns as exported: time as ISO text in JSON/CSV (readable), a timestamp in Parquet (typed). */
function exportQuery(format: ExportFormat, condition: string): string {
  const time = format === 'parquet' ? 'time' : `strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS time`;
  return `SELECT ${time}, scope, type, install_id, session_id, keyscope_version, operation, algorithm, outcome,
                 duration_ns, cycles, error_code, fingerprint, properties
            FROM events WHERE ${condition} ORDER BY events.time, type`;
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export async function exportEvents(db: AnalyticsDatabase, options: ExportOptions): Promise<ExportResult> {
  if (!(exportFormats as readonly string[]).includes(options.format)) {
    throw new KeyscopeError(ErrorCodes.usage, `unknown export format ${JSON.stringify(String(options.format))} (formats: ${exportFormats.join(', ')})`);
  }
  const out = options.out ? resolve(options.out) : null;
  if (options.format === 'parquet' && out === null) {
    throw new KeyscopeError(ErrorCodes.usage, 'parquet export needs --out FILE (it is binary, not for a terminal or a pipe)');
  }
  const condition = selectionCondition(options);
  const counts = (
    await db.connection.runAndReadAll(`SELECT scope, count(*) FROM events WHERE ${condition} GROUP BY scope ORDER BY scope`)
  ).getRowsJS();
  const byScope: Partial<Record<Scope, number>> = {};
  let events = 0;
  for (const [scope, count] of counts) {
    byScope[scope as Scope] = Number(count);
    events += Number(count);
  }

  // The temporary file sits in the destination's directory (one rename, same file system), or in the private
  // analytics directory when streaming: the data never lands anywhere more public than it is going.
  const directory = out === null ? db.paths.home : dirname(out);
  const temporary = join(directory, `.keyscope-export-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await db.connection.run(`COPY (${exportQuery(options.format, condition)}) TO ${sqlString(temporary)} (${copyOptions[options.format]})`);
    // The events are as private as the database they come from, wherever the export goes (DuckDB's COPY
    // creates its file with the umask).
    keepPrivate(temporary);
    if (out !== null) {
      publishFile(temporary, out, { replace: true });
    } else {
      await pipeline(createReadStream(temporary), options.stdout ?? process.stdout, { end: false });
    }
  } finally {
    rmSync(temporary, { force: true });
  }
  return { events, byScope, format: options.format, path: out };
}
