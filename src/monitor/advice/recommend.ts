/**
 * Recommendations: every suggestion the data supports, each with its evidence. Two sources, either of which
 * may be absent: the analytics database (keys people actually generated, over `since`..`now`) and the run
 * store (the newest bench run started in that window).
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import type { RunRecord } from '../../model/index.js';
import type { RunStore } from '../../store/index.js';
import { costlierThanEqualStrength, type MedianMeasurement } from './costlier-than-equal-strength.js';
import { impreciseBenchCases } from './imprecise-bench-case.js';
import { keygenLatency } from '../../analytics/query/index.js';
import { syncRsaBlocksEventLoop } from './sync-rsa-blocks-event-loop.js';
import type { Recommendation, RecommendationSeverity } from './types.js';

export type { CoveredSubject, Recommendation, RecommendationKind, RecommendationSeverity } from './types.js';

export const defaultRecommendationDays = 30;
const dayMs = 24 * 60 * 60 * 1000;

export interface RecommendSources {
  analytics: DuckDBConnection | null;
  store: RunStore | null;
}

export interface RecommendOptions {
  now?: Date;
  /** Default: 30 days before `now`. */
  since?: Date;
}

/** The newest stored run that started inside the window (cycles are not needed). */
async function newestRun(store: RunStore, since: Date, until: Date): Promise<RunRecord | null> {
  const listing = (await store.listRuns()).find((run) => {
    const started = Date.parse(run.startedAt);
    return started >= since.getTime() && started <= until.getTime();
  });
  if (listing === undefined) return null;
  return (await store.getRun(listing.id, { cycles: false })) ?? null;
}

/** Per suite/implementation and algorithm, the smallest case median (cases differing in threads or mode). */
function benchMedians(run: RunRecord): MedianMeasurement[] {
  const byKey = new Map<string, MedianMeasurement>();
  for (const c of run.cases) {
    if (c.state !== 'completed' || c.key.algorithm === null) continue;
    const measurement = { algorithm: c.key.algorithm, group: `${c.key.suite}/${c.key.implementation}`, medianNs: c.summary.ns.median, samples: c.samples.ns.length };
    const key = `${measurement.group}\u0000${measurement.algorithm}`;
    const known = byKey.get(key);
    if (known === undefined || measurement.medianNs < known.medianNs) byKey.set(key, measurement);
  }
  return [...byKey.values()];
}

const severityOrder: readonly RecommendationSeverity[] = ['high', 'medium', 'low'];

/** Ranked: by severity, then by impact (larger first; severity follows the kind, so impacts share a unit), then id. */
export function rankRecommendations(recommendations: readonly Recommendation[]): Recommendation[] {
  return [...recommendations].sort(
    (a, b) => severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity) || b.impact.value - a.impact.value || a.id.localeCompare(b.id),
  );
}

/** How many `keyscope recommend` shows unless asked for --all. */
export const shortListLength = 5;

/** Every finding the data supports, one item each, ranked (rankRecommendations); either source may be null (absent). */
export async function recommend(sources: RecommendSources, options: RecommendOptions = {}): Promise<Recommendation[]> {
  const now = options.now ?? new Date();
  const since = options.since ?? new Date(now.getTime() - defaultRecommendationDays * dayMs);
  const window = { since: since.toISOString(), until: now.toISOString() };
  const found: Recommendation[] = [];

  if (sources.analytics !== null) {
    const latency = await keygenLatency(sources.analytics, { since, until: now, outcome: 'ok' }, ['implementation']);
    const medians = latency.map((l) => ({ algorithm: l.algorithm, group: l.implementation ?? 'unknown', medianNs: l.p50, samples: l.count }));
    // Two implementations can both name an algorithm: the one with more keys comes first and is kept.
    const costly = costlierThanEqualStrength(medians, { source: 'analytics', window });
    found.push(...costly.sort((a, b) => Number(b.evidence.values['keys']) - Number(a.evidence.values['keys'])));
    found.push(...(await syncRsaBlocksEventLoop(sources.analytics, { since, until: now })));
  }

  if (sources.store !== null) {
    const run = await newestRun(sources.store, since, now);
    if (run !== null) {
      // Real usage (analytics) says more about what people pay than a bench run does: it wins a tie.
      const known = new Set(found.map((r) => r.id));
      const fromBench = costlierThanEqualStrength(benchMedians(run), { source: 'bench', extra: { runId: run.id, runStartedAt: run.startedAt } });
      for (const recommendation of fromBench) {
        if (!known.has(recommendation.id)) {
          known.add(recommendation.id);
          found.push(recommendation);
        }
      }
      found.push(...impreciseBenchCases(run));
    }
  }

  // One recommendation per id: the first found (analytics before bench, more keys before fewer).
  const unique = new Map<string, Recommendation>();
  for (const recommendation of found) if (!unique.has(recommendation.id)) unique.set(recommendation.id, recommendation);
  return rankRecommendations([...unique.values()]);
}
