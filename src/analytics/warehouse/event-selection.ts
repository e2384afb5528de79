/**
 * Which events export and delete act on: scopes and a time range. Times are ISO dates ("2026-01-31",
 * "2026-01-31T12:00:00Z") or durations back from now ("30d", "12h", "2w", "90m"). Everything is turned into SQL
 * from validated values only (scope names from the fixed list, times as integer microseconds).
 */
import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { type Scope, allScopes } from '../events/index.js';

export interface EventSelection {
  scopes?: readonly Scope[];
  /** Inclusive lower bound, ms since the epoch. */
  sinceMs?: number;
  /** Exclusive upper bound, ms since the epoch. */
  untilMs?: number;
}

const unitMs: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "30d" -> now - 30 days; an ISO date or date-time -> that instant (UTC when no zone is given). */
export function parseTimeArgument(text: string, option: string, nowMs: number = Date.now()): number {
  const duration = /^(\d+)([mhdw])$/.exec(text.trim());
  if (duration) return nowMs - Number(duration[1]) * unitMs[duration[2]!]!;
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    const iso = /T|\s/.test(text.trim()) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text.trim()) ? `${text.trim()}Z` : text.trim();
    const ms = Date.parse(iso);
    if (Number.isFinite(ms)) return ms;
  }
  throw new KeyscopeError(ErrorCodes.usage, `${option} must be an ISO date (2026-01-31) or a duration such as 30d, 12h, 2w (got ${JSON.stringify(text.slice(0, 40))})`);
}

export function parseScopes(values: readonly string[]): Scope[] {
  for (const value of values) {
    if (!(allScopes as readonly string[]).includes(value)) {
      throw new KeyscopeError(ErrorCodes.analyticsUnknownScope, `unknown analytics scope ${JSON.stringify(value.slice(0, 40))} (scopes: ${allScopes.join(', ')})`);
    }
  }
  return [...new Set(values as Scope[])];
}

function micros(ms: number): string {
  return (BigInt(Math.floor(ms)) * 1000n).toString();
}

/** The WHERE condition (without WHERE) for `events`; "true" selects everything. */
export function selectionCondition(selection: EventSelection): string {
  const parts: string[] = [];
  if (selection.scopes !== undefined) {
    const scopes = parseScopes(selection.scopes);
    parts.push(scopes.length === 0 ? 'false' : `scope IN (${scopes.map((scope) => `'${scope}'`).join(', ')})`);
  }
  if (selection.sinceMs !== undefined) parts.push(`time >= make_timestamp(${micros(selection.sinceMs)})`);
  if (selection.untilMs !== undefined) parts.push(`time < make_timestamp(${micros(selection.untilMs)})`);
  return parts.length === 0 ? 'true' : parts.join(' AND ');
}

export function selectsEverything(selection: EventSelection): boolean {
  return selection.scopes === undefined && selection.sinceMs === undefined && selection.untilMs === undefined;
}
