/**
 * Bound parameters for analytics SQL (queries, error groups): every value reaches DuckDB as a typed parameter
 * of a prepared statement, never as SQL text. `bind` returns the placeholder to put in the SQL.
 */
import { DOUBLE, type DuckDBType, type DuckDBValue, VARCHAR } from '@duckdb/node-api';

export class QueryParameters {
  readonly values: DuckDBValue[] = [];
  readonly types: DuckDBType[] = [];

  bind(value: DuckDBValue, type: DuckDBType): string {
    this.values.push(value);
    this.types.push(type);
    return `$${this.values.length}`;
  }

  text(value: string): string {
    return this.bind(value, VARCHAR);
  }

  number(value: number): string {
    return this.bind(value, DOUBLE);
  }

  /** A TIMESTAMP from a Date, converted in SQL from bound milliseconds (exact to the microsecond). */
  timestamp(date: Date): string {
    return `make_timestamp(CAST(round(${this.number(date.getTime())} * 1000) AS BIGINT))`;
  }
}
