import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { analyticsPathsIn } from '../../src/analytics/events/paths.js';
import { alertsCommand } from '../../src/cli/alerts-command.js';
import { ErrorCodes } from '../../src/core/errors.js';
import type { Alert } from '../../src/monitor/alerts/index.js';
import { type FixtureEvent, insertEvents } from '../support/analytics-query-fixtures.js';
import { minute, timings } from '../support/alert-fixtures.js';
import { capturedIO, runCli } from '../support/cli.js';

const fakeIO = (home: string) => capturedIO({ KEYSCOPE_HOME: home });

const rulesYaml = `
rules:
  - name: rsa-slow
    metric: latency.p99
    algorithm: rsa-2048
    above: 100ms
    for: 5m
    severity: critical
  - name: ed-slow
    metric: latency.p99
    algorithm: ed25519
    above: 100ms
    for: 5m
anomaly:
  latency: { enabled: false }
  rate: { enabled: false }
`;

let home: string;
let rules: string;
/** Recent (retention keeps 180 days), so the real CLI, which evaluates at its own now, sees the same data. */
let now: number;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'keyscope-alerts-cli-'));
  rules = join(home, 'rules.yaml');
  writeFileSync(rules, rulesYaml);
  now = Date.now();
  // Every 20 s of the last 6 minutes: slow rsa-2048 keys, fast ed25519 keys; and one weak-parameters request.
  const events: FixtureEvent[] = [{ time: now - 30 * minute, type: 'security.weak-parameters', algorithm: 'rsa-1024', operation: 'cli keygen' }];
  for (let t = now - 6 * minute; t < now - 1000; t += 20_000) {
    events.push(...timings(t, 1, { algorithm: 'rsa-2048', durationNs: 300e6 }), ...timings(t, 1, { algorithm: 'ed25519', durationNs: 50e3 }));
  }
  const database = await openAnalyticsDatabase({ paths: analyticsPathsIn(home) });
  try {
    await insertEvents(database.connection, events);
  } finally {
    await database.close();
  }
});

let server: Server | null = null;
afterEach(async () => {
  if (server === null) return;
  server.closeAllConnections();
  await new Promise((resolve) => server!.close(resolve));
  server = null;
});

describe('keyscope alerts (in process)', () => {
  it('prints a table with each alert and its evidence', async () => {
    const { io, stdout } = fakeIO(home);
    expect(await alertsCommand({ rules, now: new Date(now) }, io)).toBe(0);
    const lines = stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SEVERITY\s+RULE\s+SINCE\s+TITLE$/);
    expect(lines[1]).toMatch(/^critical\s+rsa-slow\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+p99 latency of rsa-2048 is 300 ms, above 100 ms for 5m$/);
    expect(lines[2]).toMatch(/^\s+evidence: p99 latency \(ns\) = 300000000, baseline 100000000, 15 events, window \S+ \.\. \S+$/);
    expect(lines[3]).toMatch(/^warning\s+builtin\.weak-parameters\s+.*weak parameters requested for rsa-1024 1 time in the last 1d \(cli keygen\)$/);
    expect(lines).toHaveLength(5);
  });

  it('exits 1 with --fail-on at or below the worst severity firing, 0 above it or without it', async () => {
    const status = (failOn?: string) => alertsCommand({ rules, now: new Date(now), ...(failOn === undefined ? {} : { failOn }) }, fakeIO(home).io);
    expect(await status()).toBe(0);
    expect(await status('info')).toBe(1);
    expect(await status('critical')).toBe(1);
    // Without the critical rule only a warning fires.
    writeFileSync(rules, rulesYaml.replace('above: 100ms\n    for: 5m\n    severity: critical', 'above: 900ms\n    for: 5m'));
    expect(await status('critical')).toBe(0);
    expect(await status('warning')).toBe(1);
    await expect(status('fatal')).rejects.toMatchObject({ code: ErrorCodes.usage });
  });

  it('sends the alerts to --webhook, and --since narrows the built-ins', async () => {
    const bodies: string[] = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        bodies.push(body);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    expect(await alertsCommand({ rules, now: new Date(now), webhook, since: '10m' }, fakeIO(home).io)).toBe(0);
    expect(bodies).toHaveLength(1);
    const payload = JSON.parse(bodies[0]!) as { source: string; alerts: Alert[] };
    expect(payload.alerts.map((a) => a.id)).toEqual(['rsa-slow:rsa-2048']);
    await expect(alertsCommand({ rules, since: 'ten minutes' }, fakeIO(home).io)).rejects.toMatchObject({ code: ErrorCodes.usage });
    await expect(alertsCommand({ rules, webhook: 'ftp://example.com/' }, fakeIO(home).io)).rejects.toMatchObject({ code: ErrorCodes.usage });
  });
  it('prints the alerts before a failing webhook ends the command with KS_WEBHOOK_FAILED', async () => {
    server = createServer((_request, response) => response.writeHead(500).end());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const { io, stdout } = fakeIO(home);
    await expect(alertsCommand({ rules, now: new Date(now), webhook, json: true }, io)).rejects.toMatchObject({ code: ErrorCodes.webhookFailed });
    expect((JSON.parse(stdout()) as Alert[]).map((a) => a.id)).toEqual(['rsa-slow:rsa-2048', 'builtin.weak-parameters:rsa-1024']);
  });
});

describe('keyscope alerts (the real bin)', () => {
  it('evaluates a rules file and prints JSON; --fail-on sets the exit status; a bad rules file exits 2', async () => {
    const env = { KEYSCOPE_HOME: home };
    const result = await runCli(['alerts', '--rules', rules, '--json'], { env });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const alerts = JSON.parse(result.stdout) as Alert[];
    expect(alerts.map((a) => [a.id, a.severity, a.kind])).toEqual([
      ['rsa-slow:rsa-2048', 'critical', 'threshold'],
      ['builtin.weak-parameters:rsa-1024', 'warning', 'security'],
    ]);
    expect(alerts[0]!.evidence).toMatchObject({ metric: 'p99 latency (ns)', value: 300e6, baseline: 100e6 });

    expect((await runCli(['alerts', '--rules', rules, '--fail-on', 'critical'], { env })).status).toBe(1);

    const bad = join(home, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rules: [{ name: 'x', metric: 'error-rate', above: '200%' }] }));
    const refused = await runCli(['alerts', '--rules', bad], { env });
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(`keyscope: error KS_ALERT_RULES_INVALID: alert rules ${bad}: rules[0].above: a rate must be from 0% up to 100% (a percentage like 5% or a fraction like 0.05) (got "200%")\n`);
  });
});
