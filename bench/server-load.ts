/**
 * Issue 18, section 4, target 3: pushes under load while the server restarts. Several clients, each a loop of
 * real `keyscope push RUN --json` processes over its own local store (what a CI job runs), push their runs one at
 * a time to a real `keyscope server` child on a fixed port; a third of the way through the server gets SIGTERM
 * (graceful), two thirds of the way SIGKILL (a crash), and each time it is started again on the same port about a
 * second later. A push that fails is run again, as a CI job would be, while its error is a retryable one.
 *
 * Afterwards the database is checked against what the clients were told: every run a push reported is stored,
 * once, whole (as many case rows as the run has cases, as many samples as it has) and byte for byte the run the
 * client had (SHA-256 of each sample series, computed in PostgreSQL and locally).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import pg from 'pg';

import type { RunRecord } from '../src/model/types.js';
import { createToken, openServerDatabase } from '../src/server/index.js';
import { openStore } from '../src/store/index.js';
import { historyRun } from './server-runs.js';
import {
  createBenchDatabase,
  databaseSize,
  freePort,
  installFetchProbe,
  type ProbeLine,
  runKeyscope,
  type ServerChild,
  sleep,
  startServerChild,
  stopServerChild,
} from './server-processes.js';

/** Error codes whose message says "retry": a re-run of the push may complete it. */
export const retryableCodes: ReadonlySet<string> = new Set(['KS_SERVER_UNREACHABLE', 'KS_SERVER_UNAVAILABLE', 'KS_SERVER_RATE_LIMITED']);

export interface LoadOptions {
  superuserUrl: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  template: RunRecord;
  clients: number;
  perClient: number;
  /** Pause between stopping the server and starting it again, ms. */
  downMs: number;
  /** Runs of a push per run before giving up. */
  maxAttempts: number;
  log(line: string): void;
}

interface PushAttempt {
  client: number;
  runId: string;
  attempt: number;
  startedAt: number;
  ms: number;
  status: number | null;
  /** What the client was told: stored now, already there, or an error (code). */
  told: 'stored' | 'already' | 'error';
  code: string | null;
  stderr: string;
}

interface Restart {
  signal: 'SIGTERM' | 'SIGKILL';
  /** The signal was sent while the server had a save's transaction open. */
  duringSave: boolean;
  at: number;
  afterPushes: number;
  stopMs: number;
  exit: string;
  oldServerStderr: string;
  /** From the signal until the new server printed its URL. */
  downMs: number;
  startAttempts: number;
  startErrors: string[];
}

export interface LoadResult {
  clients: number;
  runs: number;
  wallMs: number;
  pushCommands: number;
  /** Push commands that failed, by code. */
  errorsByCode: Record<string, number>;
  /** Failures with a code that does not say "retry", or no code at all. */
  unexpectedErrors: { runId: string; status: number | null; code: string | null; stderr: string }[];
  /** Runs whose push had to be run again (at least once). */
  rerunRuns: number;
  /** Runs still not pushed after maxAttempts. */
  gaveUp: string[];
  told: { stored: number; already: number };
  /** Push latency (one command, successful), ms. */
  pushMs: { median: number; p90: number; worst: number };
  http: {
    requests: number;
    /** ServerClient's own retries inside one command, seen by the fetch probe. */
    retries: number;
    failuresByKind: Record<string, number>;
    /** Requests under way when each restart's signal was sent. */
    inFlightAtSignal: Record<string, number>;
  };
  restarts: Restart[];
  check: {
    inDatabase: number;
    lost: string[];
    duplicated: number;
    partial: string[];
    contentMismatch: string[];
    /** Runs stored although every push of them failed (the server stored it, the client heard an error). */
    storedButFailed: string[];
    /** An error that says "nothing was stored" (503) followed by "already there": the error was not the truth. */
    unavailableButStored: string[];
  };
  finalServerStderr: string;
  databaseBytes: number;
}

/** SHA-256 of each sample series of each case, in order, as PostgreSQL's sha256(bytea) gives it. */
function seriesHashes(run: RunRecord): string[] {
  const hex = (series: Float64Array | null) => (series === null ? 'null' : createHash('sha256').update(Buffer.from(series.buffer, series.byteOffset, series.byteLength)).digest('hex'));
  return run.cases.map((c) => (c.state === 'completed' ? [c.samples.ns, c.samples.cycles, c.samples.candidates].map(hex).join('/') : 'null/null/null'));
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
};

function readProbe(file: string): ProbeLine[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as ProbeLine);
  } catch {
    return [];
  }
}

export async function loadWithRestarts(o: LoadOptions): Promise<LoadResult> {
  const url = await createBenchDatabase(o.superuserUrl, 'keyscope_bench_load');
  const { pool } = await openServerDatabase(url, { maxConnections: 2 });
  try {
    // One token for every client, as one CI secret is shared by a project's jobs.
    const { token } = await createToken(pool, { project: 'load', scopes: ['runs:write', 'runs:read'], name: 'ci' });

    // Each client's own local store with its runs; what was stored is remembered as hashes only.
    const expected = new Map<string, { client: number; cases: number; samples: number; hashes: string[] }>();
    const plan: { store: string; ids: string[] }[] = [];
    for (let k = 0; k < o.clients; k++) {
      const path = join(o.dir, `client-${k}.duckdb`);
      const store = await openStore(path);
      const ids: string[] = [];
      try {
        for (let i = 0; i < o.perClient; i++) {
          const run = historyRun(o.template, i, { seed: 1_000 + k, branch: `load-${k}` });
          await store.saveRun(run);
          ids.push(run.id);
          const samples = run.cases.reduce((sum, c) => sum + (c.state === 'completed' ? c.samples.ns.length : 0), 0);
          expected.set(run.id, { client: k, cases: run.cases.length, samples, hashes: seriesHashes(run) });
        }
      } finally {
        await store.close();
      }
      plan.push({ store: path, ids });
    }
    const total = o.clients * o.perClient;
    o.log(`  ${o.clients} local stores of ${o.perClient} runs each ready; pushing ${total} runs`);

    const port = await freePort();
    const probeArgs = installFetchProbe(o.dir);
    const probeFile = (k: number) => join(o.dir, `probe-${k}.jsonl`);
    let server: ServerChild = await startServerChild(url, port, o.env);
    const serverUrl = server.url;
    const attempts: PushAttempt[] = [];
    const gaveUp: string[] = [];
    let finished = 0;
    let wake: () => void = () => {};
    const progressed = () => new Promise<void>((resolve) => (wake = resolve));

    const client = async (k: number) => {
      const { store, ids } = plan[k]!;
      for (const runId of ids) {
        for (let attempt = 1; ; attempt++) {
          const startedAt = Date.now();
          const r = await runKeyscope(['push', runId, '--server', serverUrl, '--db', store, '--json'], { ...o.env, KEYSCOPE_TOKEN: token, KEYSCOPE_BENCH_PROBE: probeFile(k) }, probeArgs);
          let told: PushAttempt['told'] = 'error';
          if (r.status === 0) {
            const answer = JSON.parse(r.stdout) as { pushed: { id: string; stored: boolean }[]; already: number };
            told = answer.pushed.length === 1 && answer.pushed[0]!.id === runId ? (answer.pushed[0]!.stored ? 'stored' : 'already') : answer.already === 1 ? 'already' : 'error';
          }
          attempts.push({ client: k, runId, attempt, startedAt, ms: r.ms, status: r.status, told, code: r.code, stderr: r.stderr.trim() });
          if (told !== 'error') break;
          if (attempt >= o.maxAttempts || (r.code !== null && !retryableCodes.has(r.code) && attempt >= 2)) {
            gaveUp.push(runId);
            break;
          }
          // A CI job re-run comes a little later.
          await sleep(1_000);
        }
        finished++;
        wake();
      }
    };

    // The signal goes when the server is inside a save's transaction (a backend of its with a transaction id), so
    // that a restart meets a run half-written rather than a server between requests.
    const watcher = new pg.Client({ connectionString: o.superuserUrl });
    await watcher.connect();
    const untilSaving = async (timeoutMs: number): Promise<boolean> => {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline) {
        // (checkToken's UPDATE of last_used_at writes too: not a save.)
        const { rows } = await watcher.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = 'keyscope_bench_load' AND application_name = 'keyscope-server' AND backend_xid IS NOT NULL AND query NOT LIKE 'UPDATE tokens%'",
        );
        if (rows.length > 0) return true;
        await sleep(2);
      }
      return false;
    };

    const restarts: Restart[] = [];
    const restart = async (signal: 'SIGTERM' | 'SIGKILL') => {
      const duringSave = await untilSaving(20_000);
      const at = Date.now();
      const afterPushes = finished;
      const start = performance.now();
      const stopped = await stopServerChild(server, signal);
      const oldServerStderr = server.stderr().trim();
      await sleep(o.downMs);
      const startErrors: string[] = [];
      let startAttempts = 0;
      for (;;) {
        startAttempts++;
        try {
          server = await startServerChild(url, port, o.env);
          break;
        } catch (error) {
          startErrors.push((error as Error).message.split('\n')[0]!);
          if (startAttempts >= 20) throw error;
          await sleep(250);
        }
      }
      restarts.push({
        signal,
        duringSave,
        at,
        afterPushes,
        stopMs: stopped.ms,
        exit: stopped.signal ?? `exit ${stopped.code}`,
        oldServerStderr,
        downMs: performance.now() - start,
        startAttempts,
        startErrors,
      });
      o.log(`  ${signal} after ${afterPushes} pushes${duringSave ? ', during a save transaction' : ' (no save transaction seen in 20 s)'}: stopped in ${stopped.ms.toFixed(0)} ms (${stopped.signal ?? `exit ${stopped.code}`}), listening again after ${(performance.now() - start).toFixed(0)} ms`);
    };

    const wallStart = performance.now();
    const clients = Promise.all(plan.map((_, k) => client(k)));
    const orchestrate = async () => {
      for (const [fraction, signal] of [[1 / 3, 'SIGTERM'], [2 / 3, 'SIGKILL']] as const) {
        while (finished < Math.floor(total * fraction)) await progressed();
        await restart(signal);
      }
    };
    try {
      await Promise.all([clients, orchestrate()]);
    } catch (error) {
      // Never leave a server running.
      server.child.kill('SIGKILL');
      throw error;
    } finally {
      await watcher.end();
    }
    const wallMs = performance.now() - wallStart;
    const finalStop = await stopServerChild(server, 'SIGTERM');
    const finalServerStderr = server.stderr().trim() + (finalStop.code === 0 ? '' : ` (final stop: ${finalStop.signal ?? `exit ${finalStop.code}`})`);

    // What the database holds.
    const { rows: stored } = await pool.query<{ id: string; cases: number; samples: string; case_rows: string; ns_values: string }>(
      `SELECT r.id::text AS id, r.cases, r.samples, count(c.ordinal) AS case_rows, coalesce(sum(octet_length(c.ns)), 0) / 8 AS ns_values
         FROM runs r JOIN projects p USING (project_id) LEFT JOIN cases c USING (run_key)
        WHERE p.name = 'load' GROUP BY r.run_key`,
    );
    const { rows: dupes } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM (SELECT 1 FROM runs GROUP BY project_id, id HAVING count(*) > 1) d');
    const { rows: hashRows } = await pool.query<{ id: string; ordinal: number; ns: string | null; cycles: string | null; candidates: string | null }>(
      `SELECT r.id::text AS id, c.ordinal, encode(sha256(c.ns), 'hex') AS ns, encode(sha256(c.cycles), 'hex') AS cycles, encode(sha256(c.candidates), 'hex') AS candidates
         FROM runs r JOIN cases c USING (run_key) ORDER BY r.id, c.ordinal`,
    );
    const databaseHashes = new Map<string, string[]>();
    for (const row of hashRows) {
      const list = databaseHashes.get(row.id) ?? [];
      list[row.ordinal] = [row.ns, row.cycles, row.candidates].map((h) => h ?? 'null').join('/');
      databaseHashes.set(row.id, list);
    }
    const inDatabase = new Map(stored.map((row) => [row.id, row]));
    const toldOk = new Set(attempts.filter((a) => a.told !== 'error').map((a) => a.runId));
    const partial = stored
      .filter((row) => {
        const want = expected.get(row.id);
        return Number(row.case_rows) !== row.cases || Number(row.ns_values) !== Number(row.samples) || want === undefined || want.cases !== row.cases || want.samples !== Number(row.samples);
      })
      .map((row) => row.id);
    const contentMismatch = stored.filter((row) => JSON.stringify(databaseHashes.get(row.id) ?? []) !== JSON.stringify(expected.get(row.id)?.hashes ?? null)).map((row) => row.id);
    const unavailableButStored: string[] = [];
    for (const [i, a] of attempts.entries()) {
      if (a.code !== 'KS_SERVER_UNAVAILABLE') continue;
      const next = attempts.slice(i + 1).find((b) => b.runId === a.runId);
      if (next?.told === 'already') unavailableButStored.push(a.runId);
    }

    // What the clients' fetches saw.
    const probes = plan.flatMap((_, k) => readProbe(probeFile(k)));
    const failuresByKind: Record<string, number> = {};
    let retries = 0;
    const byCommand = new Map<number, ProbeLine[]>();
    for (const line of probes) byCommand.set(line.pid, [...(byCommand.get(line.pid) ?? []), line]);
    for (const lines of byCommand.values()) {
      lines.sort((a, b) => a.start - b.start);
      for (const [i, line] of lines.entries()) {
        const failed = line.error !== undefined || (line.status !== undefined && line.status >= 429 && line.status !== 409);
        if (failed) {
          const kind = `${line.method} ${line.path}: ${line.error ?? `HTTP ${line.status}`}`;
          failuresByKind[kind] = (failuresByKind[kind] ?? 0) + 1;
        }
        const previous = lines[i - 1];
        if (previous && previous.method === line.method && previous.path === line.path && (previous.error !== undefined || (previous.status ?? 0) >= 429)) retries++;
      }
    }
    const inFlightAtSignal: Record<string, number> = {};
    for (const r of restarts) inFlightAtSignal[r.signal] = probes.filter((p) => p.start <= r.at && p.end >= r.at).length;

    const errorsByCode: Record<string, number> = {};
    for (const a of attempts.filter((x) => x.told === 'error')) errorsByCode[a.code ?? `exit ${a.status}`] = (errorsByCode[a.code ?? `exit ${a.status}`] ?? 0) + 1;
    const okMs = attempts.filter((a) => a.told !== 'error').map((a) => a.ms);
    return {
      clients: o.clients,
      runs: total,
      wallMs,
      pushCommands: attempts.length,
      errorsByCode,
      unexpectedErrors: attempts.filter((a) => a.told === 'error' && (a.code === null || !retryableCodes.has(a.code))).map((a) => ({ runId: a.runId, status: a.status, code: a.code, stderr: a.stderr.slice(0, 300) })),
      rerunRuns: new Set(attempts.filter((a) => a.attempt > 1).map((a) => a.runId)).size,
      gaveUp,
      told: { stored: attempts.filter((a) => a.told === 'stored').length, already: attempts.filter((a) => a.told === 'already').length },
      pushMs: { median: quantile(okMs, 0.5), p90: quantile(okMs, 0.9), worst: Math.max(...okMs) },
      http: { requests: probes.length, retries, failuresByKind, inFlightAtSignal },
      restarts,
      check: {
        inDatabase: stored.length,
        lost: [...toldOk].filter((id) => !inDatabase.has(id)),
        duplicated: Number(dupes[0]!.n),
        partial,
        contentMismatch,
        storedButFailed: [...inDatabase.keys()].filter((id) => !toldOk.has(id)),
        unavailableButStored,
      },
      finalServerStderr,
      databaseBytes: await databaseSize(url),
    };
  } finally {
    await pool.end();
  }
}
