/**
 * A run as one Parquet export file, for runs too large for JSON to be pleasant: one row per sample
 * (case_ordinal, seq, ns, cycles, candidates), and the rest of the run (the run-document.ts document with
 * each series given as its length) in the file's key-value metadata under "keyscope-run". Parquet readers
 * elsewhere (pandas, polars, DuckDB) read the samples as a plain table; DuckDB reads the metadata back with
 * parquet_kv_metadata().
 */
import { type DuckDBConnection, VARCHAR } from '@duckdb/node-api';

import { type CaseResult, type RunRecord } from '../model/index.js';
import { encodeDocument, parquetDocumentSchema, type RunOutline } from './run-document.js';
import { describeIssue } from './run-schema.js';
import { SampleSink, type SeriesLengths } from './sample-reader.js';
import { duckdbReason } from '../duckdb/index.js';
import { StoreError } from './store-error.js';

export const parquetMetadataKey = 'keyscope-run';

/** A SQL string literal; COPY takes its file name and options as literals, not as bound parameters. */
function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Writes the samples of the run stored under `runKey` and the outline of `run` to `temporary`. */
export async function writeParquetExport(connection: DuckDBConnection, run: RunRecord, runKey: number, temporary: string): Promise<void> {
  const metadata = JSON.stringify(encodeDocument(run, 'parquet-columns'));
  await connection.run(
    `COPY (SELECT case_ordinal, seq, ns, cycles, candidates FROM samples WHERE run_key = ${Math.trunc(runKey)} ORDER BY case_ordinal, seq)
       TO ${sqlString(temporary)}
       (FORMAT parquet, COMPRESSION zstd, KV_METADATA {${sqlString(parquetMetadataKey)}: ${sqlString(metadata)}})`,
  );
}

class InvalidParquet extends Error {}

async function readOutline(connection: DuckDBConnection, file: string): Promise<RunOutline | string> {
  const rows = (
    await connection.runAndReadAll('SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata($1)', [file], [VARCHAR])
  ).getRowObjectsJS();
  const entry = rows.find((row) => row.key === parquetMetadataKey);
  if (!entry || typeof entry.value !== 'string') return `it is a Parquet file without keyscope "${parquetMetadataKey}" metadata`;
  let document: unknown;
  try {
    document = JSON.parse(entry.value);
  } catch {
    return `its "${parquetMetadataKey}" metadata is not JSON`;
  }
  const parsed = parquetDocumentSchema.safeParse(document);
  return parsed.success ? parsed.data.run : describeIssue(parsed.error, 'metadata');
}

/** The run in a Parquet export, or the reason the file is not one (as a one-line phrase). */
export async function readParquetExport(connection: DuckDBConnection, file: string): Promise<RunRecord | string> {
  try {
    const outline = await readOutline(connection, file);
    if (typeof outline === 'string') return outline;
    const lengths: SeriesLengths[] = [];
    outline.cases.forEach((result, caseOrdinal) => {
      if (result.state === 'completed') lengths.push({ caseOrdinal, ...result.samples });
    });
    // Checked before anything is allocated for them: the lengths come from the file, which may be hostile.
    const declared = lengths.reduce((sum, l) => sum + Math.max(l.ns, l.cycles ?? 0, l.candidates ?? 0), 0);
    const counted = (await connection.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM read_parquet($1)', [file], [VARCHAR])).getRowObjectsJS()[0];
    if (counted?.n !== declared) return `its metadata declares ${declared} sample rows but it has ${String(counted?.n)}`;
    const sink = new SampleSink(lengths, (reason) => new InvalidParquet(reason));
    const result = await connection.stream(
      'SELECT case_ordinal::INTEGER, seq::INTEGER, ns::DOUBLE, cycles::DOUBLE, candidates::DOUBLE FROM read_parquet($1)',
      [file],
      [VARCHAR],
    );
    await sink.consume(result);
    const cases = outline.cases.map((result, caseOrdinal): CaseResult =>
      result.state === 'completed' ? { ...result, samples: sink.series(caseOrdinal) } : result,
    );
    return { ...outline, cases } as RunRecord;
  } catch (error) {
    if (error instanceof InvalidParquet) return `its samples do not match its metadata: ${error.message}`;
    if (error instanceof StoreError) throw error;
    return `DuckDB cannot read it (${duckdbReason(error)})`;
  }
}
