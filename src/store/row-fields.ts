/**
 * Typed reads of result rows (as getRowObjectsJS gives them). A value of the wrong type means the database
 * no longer holds what the store wrote, so each reader throws KS_STORE_CORRUPT naming the table and column.
 */
import { type JS } from '@duckdb/node-api';

import { ErrorCodes } from '../core/index.js';
import { StoreError } from './store-error.js';

export type Row = Record<string, JS>;

export class RowReader {
  constructor(
    private readonly path: string,
    private readonly table: string,
  ) {}

  private bad(column: string, expected: string): StoreError {
    return new StoreError(ErrorCodes.storeCorrupt, `keyscope store ${this.path} is corrupt (${this.table}.${column} is not ${expected})`);
  }

  text(row: Row, column: string): string {
    const value = row[column];
    if (typeof value !== 'string') throw this.bad(column, 'a string');
    return value;
  }

  optionalText(row: Row, column: string): string | null {
    return row[column] === null ? null : this.text(row, column);
  }

  number(row: Row, column: string): number {
    const value = row[column];
    if (typeof value !== 'number') throw this.bad(column, 'a number');
    return value;
  }

  optionalNumber(row: Row, column: string): number | null {
    return row[column] === null ? null : this.number(row, column);
  }

  boolean(row: Row, column: string): boolean {
    const value = row[column];
    if (typeof value !== 'boolean') throw this.bad(column, 'a boolean');
    return value;
  }

  optionalBoolean(row: Row, column: string): boolean | null {
    return row[column] === null ? null : this.boolean(row, column);
  }

  textList(row: Row, column: string): string[] {
    const value = row[column];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw this.bad(column, 'a list of strings');
    return value as string[];
  }

  /** A list of numbers (an INTEGER[] column), or null where the column is NULL. */
  optionalNumberList(row: Row, column: string): number[] | null {
    const value = row[column];
    if (value === null) return null;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'number')) throw this.bad(column, 'a list of numbers');
    return value as number[];
  }

  /** A list whose entries are numbers or NULL (null), or null where the column is NULL. */
  optionalNullableNumberList(row: Row, column: string): (number | null)[] | null {
    const value = row[column];
    if (value === null) return null;
    if (!Array.isArray(value) || !value.every((item) => item === null || typeof item === 'number')) {
      throw this.bad(column, 'a list of numbers and NULLs');
    }
    return value as (number | null)[];
  }

  /** One of `choices`, typed as the union the caller expects. */
  choice<T extends string>(row: Row, column: string, choices: readonly T[]): T {
    const value = this.text(row, column);
    if (!(choices as readonly string[]).includes(value)) throw this.bad(column, `one of ${choices.join(', ')}`);
    return value as T;
  }
}
