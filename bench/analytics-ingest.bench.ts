/**
 * Analytics ingest benchmark (the analytics issue's target: ingest >= 500k events/s). Writes synthetic events
 * into spool files in a temporary analytics home, then times ingestPendingSpools into a fresh database:
 *  1. binary: api.call records written by the real native spool (recordExport: the cheap JS-to-native path,
 *     so millions of records do not need millions of key generations);
 *  2. JSONL: command events written through the event spool, one line each (the recorder's own validation is
 *     not the subject here; ingest validates every line again).
 * Usage: npx tsx bench/analytics-ingest.bench.ts [--quick] [--binary N] [--jsonl N]. Removes its directory.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ingestPendingSpools } from '../src/analytics/warehouse/ingest.js';
import { openAnalyticsDatabase } from '../src/analytics/warehouse/open-analytics-database.js';
import { analyticsPathsIn } from '../src/analytics/events/paths.js';
import { createEventSpool } from '../src/analytics/spool/event-spool.js';
import { listPendingSpools } from '../src/analytics/spool/pending-spools.js';
import { openNativeSpool } from '../src/analytics/capture/native-spool.js';
import { scopeBits } from '../src/analytics/events/types.js';
import { keyscopeVersion } from '../src/core/version.js';

const quick = process.argv.includes('--quick');
function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const binaryEvents = flag('--binary', quick ? 200_000 : 2_000_000);
const jsonlEvents = flag('--jsonl', quick ? 100_000 : 1_000_000);
const target = 500_000;

const installId = '3f0d6a43-7f6e-4a8e-9d38-6f1f5d2c8b11';
const sessionId = '8c2b1e90-5d4f-4b7a-a1c3-2e6f9d8b7a64';

function writeBinary(spoolDir: string, count: number): number {
  const start = performance.now();
  const spool = openNativeSpool({ dir: spoolDir, installId, sessionId, keyscopeVersion });
  spool.setScopeMask(scopeBits.usage);
  const algorithms = ['ed25519', 'ec-p256', 'rsa-2048', 'x25519'];
  for (let i = 0; i < count; i++) spool.recordExport(i % 2 === 0 ? 'exportPrivateKey' : 'exportPublicKey', algorithms[i & 3]!, 'pem', false);
  spool.close();
  return performance.now() - start;
}

function writeJsonl(spoolDir: string, count: number): number {
  const start = performance.now();
  const spool = createEventSpool({ dir: spoolDir });
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    spool.append(
      JSON.stringify({
        time: now + i,
        installId,
        sessionId,
        keyscopeVersion,
        type: 'command',
        scope: 'usage',
        command: i % 3 === 0 ? 'keygen' : 'bench',
        options: ['--format'],
        algorithm: 'ed25519',
        format: 'pem',
        outcome: 'ok',
        exitCode: 0,
        durationMs: i % 1000,
      }),
    );
  }
  spool.close();
  return performance.now() - start;
}

function pendingBytes(spoolDir: string): number {
  return listPendingSpools(spoolDir).reduce((sum, spool) => sum + spool.bytes, 0);
}

function row(name: string, events: number, writeMs: number, ingestMs: number, bytes: number): void {
  const rate = events / (ingestMs / 1000);
  console.log(
    `${name.padEnd(8)} ${events.toLocaleString('en').padStart(11)} events  write ${writeMs.toFixed(0).padStart(6)} ms  ` +
      `spool ${(bytes / 1024 / 1024).toFixed(1).padStart(7)} MiB  ingest ${ingestMs.toFixed(0).padStart(6)} ms  ` +
      `${(rate / 1000).toFixed(0).padStart(6)} k events/s (target >= ${target / 1000}k: ${rate >= target ? 'met' : 'MISSED'})`,
  );
}

async function measure(name: string, count: number, write: (spoolDir: string, count: number) => number): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'keyscope-ingest-bench-'));
  try {
    const paths = analyticsPathsIn(home);
    const writeMs = write(paths.spoolDir, count);
    const bytes = pendingBytes(paths.spoolDir);
    const db = await openAnalyticsDatabase({ paths, ingest: false });
    try {
      const start = performance.now();
      const result = await ingestPendingSpools(db);
      const ingestMs = performance.now() - start;
      if (result.events !== count) throw new Error(`${name}: ingested ${result.events} of ${count} events`);
      row(name, count, writeMs, ingestMs, bytes);
    } finally {
      await db.close();
    }
    console.log(`${''.padEnd(8)} database ${(statSync(paths.database).size / 1024 / 1024).toFixed(1)} MiB`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`analytics ingest benchmark: ${binaryEvents.toLocaleString('en')} binary, ${jsonlEvents.toLocaleString('en')} JSONL events`);
  await measure('binary', binaryEvents, writeBinary);
  await measure('jsonl', jsonlEvents, writeJsonl);
}

await main();
