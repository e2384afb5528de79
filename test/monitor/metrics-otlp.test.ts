import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { analyticsPathsIn } from '../../src/analytics/events/paths.js';
import { ErrorCodes } from '../../src/core/errors.js';
import { collectMetricsSnapshot } from '../../src/monitor/metrics/index.js';
import { startOtlpMetricsExport } from '../../src/monitor/metrics/otlp.js';
import { keyscopeVersion } from '../../src/core/version.js';
import { type FixtureDatabase, insertEvents, openFixtureDatabase } from '../support/analytics-query-fixtures.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: OtlpBody;
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string };
}
interface OtlpPoint {
  attributes: OtlpAttribute[];
  asDouble?: number;
  asInt?: number | string;
}
interface OtlpMetric {
  name: string;
  unit?: string;
  sum?: { dataPoints: OtlpPoint[]; isMonotonic?: boolean };
  gauge?: { dataPoints: OtlpPoint[] };
}
interface OtlpBody {
  resourceMetrics: { resource: { attributes: OtlpAttribute[] }; scopeMetrics: { metrics: OtlpMetric[] }[] }[];
}

const now = new Date(Date.UTC(2026, 10, 20, 12, 30));
let db: FixtureDatabase;
let server: Server;
let url: string;
let received: Received[] = [];

beforeAll(async () => {
  db = await openFixtureDatabase();
  await insertEvents(
    db.connection,
    Array.from({ length: 5 }, (_, i) => ({
      time: now.getTime() - 60_000 + i,
      type: 'keygen.timing' as const,
      operation: 'generateKeyPair',
      algorithm: 'ec-p256',
      outcome: 'ok' as const,
      durationNs: 52_000,
      properties: { implementation: 'keyscope', cycles: null },
    })),
  );
  // A local OTLP/HTTP receiver: records every request and answers as a collector does.
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`;
});
afterAll(async () => {
  db.close();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
});

const paths = analyticsPathsIn('/nonexistent/keyscope-home');
const read = () => collectMetricsSnapshot(db.connection, { paths, now });

function attribute(attributes: OtlpAttribute[], key: string): string | undefined {
  return attributes.find((a) => a.key === key)?.value.stringValue;
}

function metric(body: OtlpBody, name: string): OtlpMetric {
  const found = body.resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics)).find((m) => m.name === name);
  if (found === undefined) throw new Error(`no metric ${name} in the export`);
  return found;
}

const value = (point: OtlpPoint) => point.asDouble ?? Number(point.asInt);

describe('OTLP/HTTP metrics export', () => {
  it('shutdown flushes: the receiver gets POST /v1/metrics as JSON with the resource and the fixture\'s count', async () => {
    // An interval far longer than the test: only shutdown can have sent it.
    const exporter = startOtlpMetricsExport({ url, intervalMs: 600_000, headers: { authorization: 'Bearer test-token' }, read });
    await exporter.shutdown();
    expect(received).toHaveLength(1);
    const [request] = received as [Received];
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/metrics');
    expect(request.headers['content-type']).toContain('application/json');
    expect(request.headers['authorization']).toBe('Bearer test-token');

    const resource = request.body.resourceMetrics[0]!.resource.attributes;
    expect(attribute(resource, 'service.name')).toBe('keyscope');
    expect(attribute(resource, 'service.version')).toBe(keyscopeVersion);

    const keys = metric(request.body, 'keyscope.keys.generated');
    expect(keys.sum?.isMonotonic).toBe(true);
    expect(keys.sum!.dataPoints.map((p) => [attribute(p.attributes, 'algorithm'), attribute(p.attributes, 'implementation'), attribute(p.attributes, 'outcome'), value(p)])).toEqual([
      ['ec-p256', 'keyscope', 'ok', 5],
    ]);
    // 52 000 ns lies in the HDR bucket 51 968..52 223 ns.
    const duration = metric(request.body, 'keyscope.keygen.duration');
    expect(duration.unit).toBe('s');
    expect(duration.gauge!.dataPoints.map((p) => [attribute(p.attributes, 'quantile'), value(p)]).sort()).toEqual([
      ['0.5', 52_223e-9],
      ['0.9', 52_223e-9],
      ['0.99', 52_223e-9],
    ]);
    expect(value(metric(request.body, 'keyscope.spool.backlog').gauge!.dataPoints[0]!)).toBe(0);
  });

  it('forceFlush exports now, and each collection reads a fresh snapshot', async () => {
    let reads = 0;
    const exporter = startOtlpMetricsExport({
      url,
      intervalMs: 600_000,
      read: async () => {
        reads++;
        return { ...(await read()), spoolBacklogFiles: reads };
      },
    });
    await exporter.forceFlush();
    await exporter.forceFlush();
    await exporter.shutdown();
    expect(reads).toBe(3);
    expect(received.map((r) => value(metric(r.body, 'keyscope.spool.backlog').gauge!.dataPoints[0]!))).toEqual([1, 2, 3]);
  });

  it('refuses a URL that is not http(s) with a stable code', () => {
    expect(() => startOtlpMetricsExport({ url: 'collector:4318', read })).toThrow(expect.objectContaining({ code: ErrorCodes.invalidOption }) as Error);
    expect(() => startOtlpMetricsExport({ url: 'not a url', read })).toThrow(expect.objectContaining({ code: ErrorCodes.invalidOption }) as Error);
    expect(() => startOtlpMetricsExport({ url, intervalMs: 0, read })).toThrow(expect.objectContaining({ code: ErrorCodes.invalidOption }) as Error);
  });
});
