/**
 * The query string of every page-data endpoint (PageQuery), validated with zod, and the time range it names
 * resolved into dates, the previous range of equal length (for trends) and the chart bucket. A bad value is
 * a 400 KS_DASHBOARD_INVALID_QUERY naming the parameter.
 */
import { z } from 'zod';

import type { QueryFilter } from '../../analytics/query/index.js';
import { ErrorCodes } from '../../core/index.js';
import { DashboardError } from './api-error.js';
import type { PageQuery, ResolvedRange } from './api-types.js';

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

/** The relative ranges the app offers. */
export const relativeRanges: Readonly<Record<string, number>> = {
  '15m': 15 * minuteMs,
  '1h': hourMs,
  '24h': dayMs,
  '7d': 7 * dayMs,
  '30d': 30 * dayMs,
  '180d': 180 * dayMs,
};

export const defaultRange = '24h';

/**
 * A filter value: a name from the data (algorithm ids, API names, "cli keygen", "ml-kem*"), never markup or SQL:
 * letters, digits, space and . _ : / * -; markup characters (< >, quotes, &) are refused.
 */
const filterValue = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' })
  .regex(/^[A-Za-z0-9 ._:/*-]+$/, { error: 'must be a name (letters, digits, space and . _ : / * - only; no < > or quotes)' });

const isoRange = /^(.+)\.\.(.+)$/;

export const rangeSchema = z.string().refine((value) => value in relativeRanges || isoRange.test(value), {
  error: 'must be 15m, 1h, 24h, 7d, 30d, 180d or ISO..ISO',
});

export const pageQuerySchema = z.strictObject({
  range: rangeSchema.optional(),
  algorithm: filterValue.optional(),
  implementation: filterValue.optional(),
  operation: filterValue.optional(),
  outcome: z.enum(['ok', 'error'], { error: 'must be ok or error' }).optional(),
});

/** A resolved page query: the dates, the filter for the analytics queries, and the chart bucket. */
export interface ResolvedQuery {
  query: PageQuery;
  range: ResolvedRange;
  since: Date;
  until: Date;
  bucket: ResolvedRange['bucket'];
  /** The range's filter (since, until and the filters). */
  filter: QueryFilter;
  /** The same filter over the previous range of equal length. */
  previous: QueryFilter;
}

function invalid(message: string): DashboardError {
  return new DashboardError(400, ErrorCodes.dashboardInvalidQuery, message);
}

/** The first zod issue as "name: problem". */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  if (issue.code === 'unrecognized_keys') return `unknown parameter ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
  const name = issue.path.length > 0 ? issue.path.join('.') : 'query';
  return `${name}: ${issue.message}`;
}

/** Parses the query string object of a request, ignoring `extra` keys the endpoint itself reads (page, token). */
export function parsePageQuery(raw: unknown, extra: readonly string[] = []): PageQuery {
  const object = typeof raw === 'object' && raw !== null ? { ...(raw as Record<string, unknown>) } : {};
  for (const key of extra) delete object[key];
  const parsed = pageQuerySchema.safeParse(object);
  if (!parsed.success) throw invalid(`bad query parameter (${describeIssue(parsed.error)})`);
  const query: PageQuery = { range: parsed.data.range ?? defaultRange };
  for (const key of ['algorithm', 'implementation', 'operation', 'outcome'] as const) {
    if (parsed.data[key] !== undefined) Object.assign(query, { [key]: parsed.data[key] });
  }
  return query;
}

function parseInstant(text: string, name: string): Date {
  // Date.parse accepts many shapes; the app sends ISO strings, so anything without a date part is refused.
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw invalid(`bad query parameter (range: ${name} ${JSON.stringify(text)} is not an ISO date)`);
  return new Date(ms);
}

/** About 60–200 points for every range the app offers. */
export function bucketFor(lengthMs: number): ResolvedRange['bucket'] {
  if (lengthMs <= 6 * hourMs) return 'minute';
  if (lengthMs <= 14 * dayMs) return 'hour';
  return 'day';
}

export function resolvePageQuery(query: PageQuery, now: Date): ResolvedQuery {
  const range = query.range;
  let since: Date;
  let until: Date;
  const relative = relativeRanges[range];
  if (relative !== undefined) {
    until = now;
    since = new Date(now.getTime() - relative);
  } else {
    const match = isoRange.exec(range);
    if (match === null) throw invalid(`bad query parameter (range: ${JSON.stringify(range)})`);
    since = parseInstant(match[1]!, 'start');
    until = parseInstant(match[2]!, 'end');
    if (since.getTime() >= until.getTime()) throw invalid('bad query parameter (range: the start must be before the end)');
    if (until.getTime() - since.getTime() > 3660 * dayMs) throw invalid('bad query parameter (range: at most 10 years)');
  }
  const lengthMs = until.getTime() - since.getTime();
  const bucket = bucketFor(lengthMs);
  const filters: QueryFilter = {};
  if (query.algorithm !== undefined) filters.algorithm = query.algorithm;
  if (query.implementation !== undefined) filters.implementation = query.implementation;
  if (query.operation !== undefined) filters.operation = query.operation;
  if (query.outcome !== undefined) filters.outcome = query.outcome;
  return {
    query,
    range: { since: since.toISOString(), until: until.toISOString(), bucket },
    since,
    until,
    bucket,
    filter: { ...filters, since, until },
    previous: { ...filters, since: new Date(since.getTime() - lengthMs), until: since },
  };
}
