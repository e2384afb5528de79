/**
 * The package entry exports startDashboard (loaded on first use) and the monitoring functions: a library user
 * can run the dashboard without the CLI, and the URL it gives opens with its token and is refused without it.
 */
import { describe, expect, it } from 'vitest';

import * as keyscope from '../../src/index.js';
import { keyscopeVersion } from '../../src/core/version.js';
import { tempAnalyticsPaths } from '../support/analytics-fixtures.js';

describe('package exports of the dashboard and monitoring', () => {
  it('starts a dashboard that answers with its token and refuses without it', async () => {
    const dashboard = await keyscope.startDashboard({ port: 0, paths: tempAnalyticsPaths(), rulesFile: null });
    try {
      expect(dashboard.url).toBe(`${dashboard.origin}/?token=${dashboard.token}`);
      const withToken = await fetch(`${dashboard.origin}/api/system`, { headers: { authorization: `Bearer ${dashboard.token}` } });
      expect(withToken.status).toBe(200);
      expect(((await withToken.json()) as { versions: { keyscope: string } }).versions.keyscope).toBe(keyscopeVersion);
      expect((await fetch(`${dashboard.origin}/api/system`)).status).toBe(401);
    } finally {
      await dashboard.close();
    }
  });

  it('exports alerts, recommendations and the metrics snapshot', () => {
    for (const name of ['evaluateAlerts', 'loadAlertRules', 'defaultAlertRulesFile', 'sendAlertsToWebhook', 'recommend', 'collectMetricsSnapshot'] as const) {
      expect(typeof keyscope[name]).toBe('function');
    }
    expect(new keyscope.AlertNotifier().newlyFiring([])).toEqual([]);
  });
});
