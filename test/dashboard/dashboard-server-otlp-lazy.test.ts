/**
 * A dashboard started without an OTLP URL never loads OpenTelemetry (its SDK and exporter are about 20 MB of
 * the server's memory, bench/dashboard.bench.ts); with one, it does.
 */
import { describe, expect, it } from 'vitest';

import { spawnSnippet, src, tempAnalyticsPaths, waitForChild } from '../support/analytics-fixtures.js';

/** Starts a dashboard in a fresh process and prints how many modules of OpenTelemetry's SDK and exporter it loaded. */
async function openTelemetryModulesLoaded(otlpUrl: string | null): Promise<number> {
  const paths = tempAnalyticsPaths('keyscope-dashboard-otlp-');
  const child = spawnSnippet(`
    import { createRequire } from 'node:module';
    const { startDashboard } = await import(${JSON.stringify(src('dashboard/index.ts'))});
    const { analyticsPathsIn } = await import(${JSON.stringify(src('analytics/events/paths.ts'))});
    const dashboard = await startDashboard({
      port: 0,
      paths: analyticsPathsIn(${JSON.stringify(paths.home)}),
      storePath: ${JSON.stringify(`${paths.home}/runs.duckdb`)},
      rulesFile: null,
      ${otlpUrl === null ? '' : `otlpUrl: ${JSON.stringify(otlpUrl)},`}
    });
    // @opentelemetry/api itself is small and prom-client (/metrics) loads it; the SDK and exporter are the weight.
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => /@opentelemetry[\\/](sdk-metrics|exporter-metrics-otlp-http)/.test(file)).length;
    await dashboard.close();
    process.stdout.write(String(loaded));
  `);
  const result = await waitForChild(child);
  expect(result.code, result.stderr).toBe(0);
  return Number(result.stdout);
}

describe('the dashboard and OpenTelemetry', () => {
  it('loads none of it without an OTLP URL, and loads it for one', async () => {
    expect(await openTelemetryModulesLoaded(null)).toBe(0);
    // Nothing listens there: the final push on close fails, which the dashboard reports and does not wait on.
    expect(await openTelemetryModulesLoaded('http://127.0.0.1:9/v1/metrics')).toBeGreaterThan(0);
  });
});
