/**
 * Writes sample series through DuckDB's appender, one data chunk (2048 rows, DuckDB's vector size) at a time.
 * The appender takes part in the connection's open transaction, so samples commit or vanish with their run.
 * Values go into the chunk's typed-array-backed vectors and cross into DuckDB once per column per chunk: per
 * value appender calls, or INSERT statements, would cost a native call (or a parse) per sample instead.
 */
import { type DuckDBConnection, DuckDBDataChunk, DOUBLE, INTEGER, type DuckDBVector } from '@duckdb/node-api';

import { sampleColumns } from './schema.js';

/** DuckDB's STANDARD_VECTOR_SIZE: the most rows one data chunk holds. */
const chunkRows = 2048;
const columnTypes = sampleColumns.map((name) => (name === 'ns' || name === 'cycles' || name === 'candidates' ? DOUBLE : INTEGER));

export interface SampleSeries {
  caseOrdinal: number;
  ns: Float64Array;
  cycles: Float64Array | null;
  candidates: Float64Array | null;
}

/** Rows a case takes: its longest series (the series of one case normally have one value per iteration each). */
export function rowsFor(series: SampleSeries): number {
  return Math.max(series.ns.length, series.cycles?.length ?? 0, series.candidates?.length ?? 0);
}

function setSeries(vector: DuckDBVector, series: Float64Array | null, from: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const seq = from + i;
    vector.setItem(i, series !== null && seq < series.length ? series[seq]! : null);
  }
}

export async function appendSamples(connection: DuckDBConnection, runKey: number, cases: readonly SampleSeries[]): Promise<void> {
  const appender = await connection.createAppender('samples');
  try {
    // One chunk is reused while full chunks go in; a shorter last chunk of a case needs its own row count.
    let chunk: DuckDBDataChunk | undefined;
    for (const series of cases) {
      const rows = rowsFor(series);
      for (let from = 0; from < rows; from += chunkRows) {
        const count = Math.min(chunkRows, rows - from);
        if (!chunk || chunk.rowCount !== count) chunk = DuckDBDataChunk.create(columnTypes, count);
        const [runKeys, ordinals, seqs, ns, cycles, candidates] = sampleColumns.map((_, i) => chunk!.getColumnVector(i));
        for (let i = 0; i < count; i++) {
          runKeys!.setItem(i, runKey);
          ordinals!.setItem(i, series.caseOrdinal);
          seqs!.setItem(i, from + i);
        }
        setSeries(ns!, series.ns, from, count);
        setSeries(cycles!, series.cycles, from, count);
        setSeries(candidates!, series.candidates, from, count);
        for (const vector of [runKeys, ordinals, seqs, ns, cycles, candidates]) vector!.flush();
        appender.appendDataChunk(chunk);
      }
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
