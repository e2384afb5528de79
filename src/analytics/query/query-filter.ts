/**
 * The filter every analytics query takes where it means something: a time range, an algorithm, an operation
 * (an API or a command, matching its errors' "api <name>" / "cli <command>" too), an outcome, and the implementation that
 * generated a key (keygen.timing only: the latency and keygen.timing success-rate queries honour it, the
 * others have no such column and ignore it).
 */
import type { QueryParameters } from '../warehouse/index.js';

export interface QueryFilter {
  /** Events at or after this time. */
  since?: Date;
  /** Events before this time. */
  until?: Date;
  algorithm?: string;
  operation?: string;
  outcome?: 'ok' | 'error';
  /** keygen.timing's implementation ("keyscope", "node", ...). */
  implementation?: string;
}

/** Which parts of the filter a query honours (a session's duration has no single algorithm, for example). */
export type FilterPart = keyof QueryFilter;

/** The default parts: those every events-shaped table has (implementation is a keygen.timing property). */
const allParts: readonly FilterPart[] = ['since', 'until', 'algorithm', 'operation', 'outcome'];

/** Column names that differ from the events table's (fixed names, never input). */
export interface FilterColumns {
  time?: string;
  operation?: string;
}

/**
 * SQL conditions (joined with AND, or "TRUE" when none) for the parts of `filter` that `parts` lists, on the
 * events table's columns, or on those `columns` names instead (a rollup's `api`, error_groups' `first_seen`).
 */
export function filterConditions(filter: QueryFilter, parameters: QueryParameters, parts: readonly FilterPart[] = allParts, columns: FilterColumns = {}): string {
  const column = (name: 'time' | 'algorithm' | 'operation' | 'outcome') =>
    name === 'time' ? (columns.time ?? 'time') : name === 'operation' ? (columns.operation ?? 'operation') : name;
  const conditions: string[] = [];
  if (parts.includes('since') && filter.since !== undefined) conditions.push(`${column('time')} >= ${parameters.timestamp(filter.since)}`);
  if (parts.includes('until') && filter.until !== undefined) conditions.push(`${column('time')} < ${parameters.timestamp(filter.until)}`);
  if (parts.includes('algorithm') && filter.algorithm !== undefined) conditions.push(`${column('algorithm')} = ${parameters.text(filter.algorithm)}`);
  if (parts.includes('operation') && filter.operation !== undefined) {
    // An operation's errors carry it as "api <name>" or "cli <command>"; its other events as the bare name.
    const operation = parameters.text(filter.operation);
    conditions.push(`${column('operation')} IN (${operation}, 'api ' || ${operation}, 'cli ' || ${operation})`);
  }
  if (parts.includes('outcome') && filter.outcome !== undefined) conditions.push(`${column('outcome')} = ${parameters.text(filter.outcome)}`);
  if (parts.includes('implementation') && filter.implementation !== undefined) {
    conditions.push(`implementation = ${parameters.text(filter.implementation)}`);
  }
  return conditions.length === 0 ? 'TRUE' : conditions.join(' AND ');
}
