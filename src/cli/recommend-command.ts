/**
 * `keyscope recommend [--since WHEN] [--db PATH] [--all] [--json]`: data-driven suggestions with their
 * evidence, from the analytics database and the run store: one item per finding, ranked by severity then
 * impact, the top few unless --all. Either may be missing (analytics never enabled, no bench
 * run stored): the command then works from the other, and with neither it says so and recommends nothing.
 * Opening the analytics database ingests pending spools first, as every analytics command does.
 */
import { existsSync } from 'node:fs';

import { type AnalyticsDatabase, openAnalyticsDatabase, parseTimeArgument } from '../analytics/warehouse/index.js';
import { resolveAnalyticsPaths } from '../analytics/events/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { defaultRecommendationDays, recommend, type Recommendation, shortListLength } from '../monitor/advice/index.js';
import { openStore, resolveStorePath, type RunStore } from '../store/index.js';
import { analyticsWaitNotice } from './analytics-wait.js';

export interface RecommendIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface RecommendCommandOptions {
  since?: string;
  /** The run store (`--db`, as every command names it). */
  db?: string;
  json?: boolean;
  /** Every finding, not only the first shortListLength. */
  all?: boolean;
  /** Clock for tests. */
  now?: () => number;
}

const dayMs = 24 * 60 * 60 * 1000;

/** The run store when its file exists (opened read-only: recommend never writes), else null. */
async function openExistingStore(path: string): Promise<RunStore | null> {
  try {
    return await openStore(path, { readOnly: true });
  } catch (error) {
    if (error instanceof KeyscopeError && error.code === ErrorCodes.storeNotFound) return null;
    throw error;
  }
}

function formatValue(value: number | string): string {
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

const namedValues = (values: Record<string, number | string>) => Object.entries(values).map(([name, value]) => `${name}=${formatValue(value)}`).join(' ');

function describe(recommendations: readonly Recommendation[], header: string, more: number): string {
  const lines = [header];
  recommendations.forEach((r, index) => {
    lines.push('', `${index + 1}. [${r.severity}] ${r.title}`, `   ${r.action}`);
    if (r.covers.length > 1) {
      lines.push(`   covers ${r.covers.length}:`, ...r.covers.map((c) => `     ${c.subject}: ${namedValues(c.values)}`));
    }
    const window = r.evidence.window === undefined ? '' : `, ${r.evidence.window.since} .. ${r.evidence.window.until}`;
    lines.push(`   evidence (${r.evidence.source}${window}):`, `     ${namedValues(r.evidence.values)}`);
  });
  if (more > 0) lines.push('', `${more} more finding${more === 1 ? '' : 's'} ranked below these: keyscope recommend --all`);
  return `${lines.join('\n')}\n`;
}

export async function recommendCommand(options: RecommendCommandOptions, io: RecommendIO): Promise<number> {
  const nowMs = options.now?.() ?? Date.now();
  const since = new Date(options.since === undefined ? nowMs - defaultRecommendationDays * dayMs : parseTimeArgument(options.since, '--since', nowMs));
  if (since.getTime() >= nowMs) throw new KeyscopeError(ErrorCodes.usage, `--since must be in the past (got ${JSON.stringify(options.since)})`);

  const paths = resolveAnalyticsPaths(io.env);
  const storePath = resolveStorePath(options.db, io.env);
  let analytics: AnalyticsDatabase | null = null;
  let store: RunStore | null = null;
  try {
    // Never create an analytics database here: one that does not exist means analytics was never used.
    if (existsSync(paths.database)) analytics = await openAnalyticsDatabase({ paths, onWait: analyticsWaitNotice(io.stderr) });
    store = await openExistingStore(storePath);
    const recommendations = await recommend({ analytics: analytics?.connection ?? null, store }, { now: new Date(nowMs), since });
    const sources = { analytics: analytics === null ? null : paths.database, store: store === null ? null : storePath };
    const shown = options.all === true ? recommendations : recommendations.slice(0, shortListLength);
    const more = recommendations.length - shown.length;
    if (options.json === true) {
      const output = { since: since.toISOString(), until: new Date(nowMs).toISOString(), sources, total: recommendations.length, more, recommendations: shown };
      io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
      return 0;
    }
    const from = [sources.analytics === null ? 'no analytics database' : `analytics ${sources.analytics}`, sources.store === null ? 'no run store' : `runs ${sources.store}`];
    const count = recommendations.length === 0 ? 'no recommendations' : `${recommendations.length} recommendation${recommendations.length === 1 ? '' : 's'}`;
    const ranked = more > 0 ? `, the top ${shown.length} by severity then impact` : '';
    io.stdout.write(describe(shown, `${count}${ranked} since ${since.toISOString()} (${from.join('; ')})`, more));
    return 0;
  } finally {
    await store?.close();
    await analytics?.close();
  }
}
