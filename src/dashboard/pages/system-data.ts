/**
 * GET /api/system: the analytics database (size, events, oldest and newest), the spool backlog, the ingest
 * rate, which measurement counters this machine offers (and why not), the host, the server process, versions.
 */
import { statSync } from 'node:fs';
import { arch, cpus, freemem, loadavg, platform, totalmem } from 'node:os';

import type { DuckDBConnection } from '@duckdb/node-api';

import { listPendingSpools } from '../../analytics/spool/index.js';
import type { AnalyticsPaths } from '../../analytics/events/index.js';
import { opensslVersion } from '../../analytics/capture/index.js';
import { keyscopeVersion, measureKeygen } from '../../core/index.js';
import type { SystemData } from '../http/api-types.js';
import type { IngestStats } from '../jobs/ingest-ticker.js';

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

let counters: Promise<SystemData['counters']> | null = null;

/**
 * Which counters a measurement gets here, asked once per process with the smallest measurement there is (one
 * ed25519 key): availability depends on the kernel and the CPU, not on anything that changes while we run.
 */
function counterAvailability(): Promise<SystemData['counters']> {
  counters ??= measureKeygen('ed25519', { iterations: 1 }).then(
    (measurement) =>
      Object.entries(measurement.counters)
        .map(([name, counter]) => ({ name, available: counter.available, reason: counter.available ? null : counter.reason }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    () => [],
  );
  return counters;
}

export async function systemData(connection: DuckDBConnection, options: { paths: AnalyticsPaths; ingest: IngestStats; startedAt: number }): Promise<SystemData> {
  const { paths } = options;
  const row = (
    await connection.runAndReadAll(
      `SELECT count(*)::DOUBLE AS events, epoch_ms(min(time))::DOUBLE AS oldest, epoch_ms(max(time))::DOUBLE AS newest,
              (SELECT version()) AS duckdb
         FROM event_rows`,
    )
  ).getRowObjectsJS()[0]!;
  const spools = listPendingSpools(paths.spoolDir);
  const cpuList = cpus();
  const memory = process.memoryUsage();
  const [one, five, fifteen] = loadavg() as [number, number, number];
  return {
    database: {
      path: paths.database,
      bytes: fileBytes(paths.database) + fileBytes(`${paths.database}.wal`),
      events: Number(row['events']),
      oldestEvent: row['oldest'] === null ? null : new Date(Number(row['oldest'])).toISOString(),
      newestEvent: row['newest'] === null ? null : new Date(Number(row['newest'])).toISOString(),
    },
    spool: {
      files: spools.length,
      bytes: spools.reduce((sum, spool) => sum + spool.bytes, 0),
      waitingForWriter: spools.filter((spool) => !spool.writerGone).length,
    },
    ingest: { ...options.ingest, eventsPerSecond: options.ingest.eventsLastMinute / 60 },
    counters: await counterAvailability(),
    host: {
      platform: platform(),
      arch: arch(),
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
      loadAverage: [one, five, fifteen],
      totalMemoryBytes: totalmem(),
      freeMemoryBytes: freemem(),
    },
    server: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, uptimeSeconds: (Date.now() - options.startedAt) / 1000 },
    versions: { keyscope: keyscopeVersion, node: process.version, openssl: opensslVersion(), duckdb: String(row['duckdb']) },
  };
}
