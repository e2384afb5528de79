/**
 * The package's monitoring entry points: alerts, recommendations and the metrics snapshot (light modules), and
 * the dashboard server, which brings fastify, prom-client and OpenTelemetry with it and is therefore loaded on
 * first use, so that `import 'keyscope'` costs what it cost before.
 */
import type { DashboardOptions, RunningDashboard } from './dashboard/index.js';

export type { DashboardOptions, RunningDashboard } from './dashboard/index.js';

/** Starts the dashboard server (`keyscope dashboard` without the CLI): close it with `close()`. */
export async function startDashboard(options: DashboardOptions = {}): Promise<RunningDashboard> {
  const dashboard = await import('./dashboard/index.js');
  return dashboard.startDashboard(options);
}
