/**
 * Reads sample rows (case_ordinal, seq, ns, cycles, candidates) back into one Float64Array per series. Each
 * row lands at index `seq` of its case, so rows may arrive in any order and no ORDER BY (a sort of every
 * sample) is needed. Every row is checked against the lengths the case declares: a missing, repeated or
 * stray sample is reported through `invalid` rather than loaded as a silently different run.
 */
import { type DuckDBDataChunk, type DuckDBResult } from '@duckdb/node-api';

export interface SeriesLengths {
  caseOrdinal: number;
  ns: number;
  cycles: number | null;
  candidates: number | null;
}

export interface LoadedSeries {
  ns: Float64Array;
  cycles: Float64Array | null;
  candidates: Float64Array | null;
}

interface CaseSlot extends LoadedSeries {
  rows: number;
  seen: Uint8Array;
  filled: number;
}

export class SampleSink {
  private readonly slots = new Map<number, CaseSlot>();

  constructor(
    lengths: readonly SeriesLengths[],
    private readonly invalid: (reason: string) => Error,
  ) {
    for (const l of lengths) {
      const rows = Math.max(l.ns, l.cycles ?? 0, l.candidates ?? 0);
      this.slots.set(l.caseOrdinal, {
        ns: new Float64Array(l.ns),
        cycles: l.cycles === null ? null : new Float64Array(l.cycles),
        candidates: l.candidates === null ? null : new Float64Array(l.candidates),
        rows,
        seen: new Uint8Array(rows),
        filled: 0,
      });
    }
  }

  /** Reads every chunk of `result`, whose columns must be case_ordinal, seq, ns, cycles, candidates. */
  async consume(result: DuckDBResult): Promise<void> {
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      this.consumeChunk(chunk);
    }
  }

  private put(caseOrdinal: number, seq: number, name: string, target: Float64Array | null, value: number | null): void {
    if (target !== null && seq < target.length) {
      if (value === null) throw this.invalid(`case ${caseOrdinal} has no ${name} value at sample ${seq}`);
      target[seq] = value;
    } else if (value !== null) {
      throw this.invalid(`case ${caseOrdinal} has a ${name} value at sample ${seq}, beyond its ${target?.length ?? 0} ${name} samples`);
    }
  }

  private consumeChunk(chunk: DuckDBDataChunk): void {
    const [ordinals, seqs, ns, cycles, candidates] = [0, 1, 2, 3, 4].map((i) => chunk.getColumnVector(i));
    // Rows of one case arrive together: look its slot up once per run of rows, not once per row.
    let slotOrdinal: number | null = null;
    let slot: CaseSlot | undefined;
    // rowCount is a getter that calls into DuckDB: read it once, not once per row.
    const rowCount = chunk.rowCount;
    for (let row = 0; row < rowCount; row++) {
      const caseOrdinal = ordinals!.getItem(row) as number | null;
      if (caseOrdinal !== slotOrdinal || !slot) {
        slot = caseOrdinal === null ? undefined : this.slots.get(caseOrdinal);
        slotOrdinal = caseOrdinal;
      }
      const seq = seqs!.getItem(row) as number | null;
      if (caseOrdinal === null || !slot) throw this.invalid(`samples belong to case ${caseOrdinal}, which has no samples`);
      if (seq === null || seq < 0 || seq >= slot.rows) throw this.invalid(`case ${caseOrdinal} has a sample at position ${seq}, beyond its ${slot.rows}`);
      if (slot.seen[seq]) throw this.invalid(`case ${caseOrdinal} has sample ${seq} twice`);
      slot.seen[seq] = 1;
      slot.filled++;
      this.put(caseOrdinal, seq, 'ns', slot.ns, ns!.getItem(row) as number | null);
      this.put(caseOrdinal, seq, 'cycles', slot.cycles, cycles!.getItem(row) as number | null);
      this.put(caseOrdinal, seq, 'candidates', slot.candidates, candidates!.getItem(row) as number | null);
    }
  }


  /** The series of `caseOrdinal`, once every one of its samples has been read. */
  series(caseOrdinal: number): LoadedSeries {
    const slot = this.slots.get(caseOrdinal);
    if (!slot) throw this.invalid(`case ${caseOrdinal} has no samples`);
    if (slot.filled !== slot.rows) throw this.invalid(`case ${caseOrdinal} has ${slot.filled} of its ${slot.rows} samples`);
    return { ns: slot.ns, cycles: slot.cycles, candidates: slot.candidates };
  }
}
