/**
 * Multi-row INSERTs with an explicit type for every parameter. The explicit types matter: DuckDB's client
 * infers INTEGER for any whole JavaScript number, which would turn -0 into 0 in a DOUBLE column and refuse
 * 2^31; with DOUBLE declared, every number is stored exactly as given.
 */
import { type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

export interface Column {
  name: string;
  type: DuckDBType;
}

/** Rows per statement: large enough that a run's metadata takes a handful of statements, small enough to bind fast. */
const rowsPerStatement = 256;

export async function insertRows(
  connection: DuckDBConnection,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly DuckDBValue[])[],
): Promise<void> {
  const names = columns.map((c) => c.name).join(', ');
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const batch = rows.slice(start, start + rowsPerStatement);
    const values: DuckDBValue[] = [];
    const types: DuckDBType[] = [];
    const tuples: string[] = [];
    for (const row of batch) {
      const placeholders: string[] = [];
      row.forEach((value, i) => {
        values.push(value);
        types.push(columns[i]!.type);
        placeholders.push(`$${values.length}`);
      });
      tuples.push(`(${placeholders.join(', ')})`);
    }
    await connection.run(`INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')}`, values, types);
  }
}
