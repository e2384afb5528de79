/** One DuckDB transaction around some work: committed when the work finishes, rolled back when it throws. */
import { type DuckDBConnection } from '@duckdb/node-api';

export async function inTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await connection.run('BEGIN TRANSACTION');
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // A failed statement may already have aborted the transaction, so the rollback itself can fail: the
    // original error is the one worth reporting.
    await connection.run('ROLLBACK').catch(() => {});
    throw error;
  }
  await connection.run('COMMIT');
  return result;
}
