/**
 * "sync-rsa-blocks-event-loop": generateKeyPairSync for RSA holds the JavaScript thread for the whole prime
 * search. When the p90 of those keys is 50 ms or more (three dropped frames, or a server answering nothing
 * for 50 ms), the async generateKeyPair, which runs the same native code on the libuv thread pool, is the
 * fix. The durations come from keygen.timing (performance scope), the call count from api.call (usage
 * scope); either may be missing when only one scope is consented, so the call count may be 0.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { eventCountsRollup, keygenLatency, QueryParameters, rollupSource } from '../../analytics/query/index.js';
import type { Recommendation } from './types.js';

/** p90 at or above this blocks the event loop for longer than any interactive or serving budget allows. */
export const blockingP90Ns = 50_000_000;
/** Timed keys needed before a p90 is worth acting on. */
export const minimumSyncKeys = 5;

const syncApi = 'generateKeyPairSync';

async function syncCalls(connection: DuckDBConnection, since: Date, until: Date): Promise<Map<string, number>> {
  const parameters = new QueryParameters();
  const source = rollupSource(eventCountsRollup, { since, until }, parameters);
  const sql = `
    SELECT algorithm, sum(events)::DOUBLE AS calls
      FROM ${source}
     WHERE type = 'api.call' AND operation = ${parameters.text(syncApi)} AND starts_with(algorithm, 'rsa-')
     GROUP BY algorithm`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowsJS();
  return new Map(rows.map(([algorithm, calls]) => [String(algorithm), Number(calls)]));
}

const ms = (ns: number) => Math.round(ns / 1e4) / 100;

/**
 * One finding for every RSA size whose sync generation blocks: the cause and the fix are the same call. Sizes
 * are listed by the time they held the event loop (p50 x keys), longest first.
 */
export async function syncRsaBlocksEventLoop(connection: DuckDBConnection, window: { since: Date; until: Date }): Promise<Recommendation[]> {
  const timings = (await keygenLatency(connection, { ...window, api: syncApi, outcome: 'ok' })).filter(
    (t) => t.algorithm.startsWith('rsa-') && t.count >= minimumSyncKeys && t.p90 >= blockingP90Ns,
  );
  if (timings.length === 0) return [];
  const calls = await syncCalls(connection, window.since, window.until);
  const heldMs = (t: (typeof timings)[number]) => (t.p50 * t.count) / 1e6;
  timings.sort((a, b) => heldMs(b) - heldMs(a) || a.algorithm.localeCompare(b.algorithm));
  const worst = timings.reduce((a, b) => (b.p90 > a.p90 ? b : a));
  const sizes = timings.map((t) => `'${t.algorithm}'`).join(', ');
  return [
    {
      id: 'sync-rsa-blocks-event-loop',
      kind: 'sync-rsa-blocks-event-loop',
      severity: 'high',
      impact: { value: timings.reduce((sum, t) => sum + heldMs(t), 0), unit: 'ms the event loop was held' },
      title:
        timings.length === 1
          ? `generateKeyPairSync('${worst.algorithm}') blocks the event loop for ${ms(worst.p50)} ms (p50), ${ms(worst.p90)} ms (p90)`
          : `generateKeyPairSync blocks the event loop for ${timings.length} RSA sizes, up to ${ms(worst.p90)} ms (p90, ${worst.algorithm})`,
      action: `Call generateKeyPair(${timings.length === 1 ? sizes : '...'}) (async)${timings.length === 1 ? '' : ` for ${sizes}`}: it runs the same key generation on the thread pool, so the event loop keeps serving while the primes are found.`,
      covers: timings.map((t) => ({
        subject: t.algorithm,
        values: { algorithm: t.algorithm, calls: calls.get(t.algorithm) ?? 0, keys: t.count, p50Ms: ms(t.p50), p90Ms: ms(t.p90) },
      })),
      evidence: {
        source: 'analytics',
        values: { api: syncApi, sizes: timings.length, keys: timings.reduce((sum, t) => sum + t.count, 0), worstP90Ms: ms(worst.p90), thresholdMs: blockingP90Ns / 1e6 },
        window: { since: window.since.toISOString(), until: window.until.toISOString() },
      },
    },
  ];
}
