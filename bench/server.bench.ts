/**
 * The team server's benchmarks (issue 18, section 4), on a scratch PostgreSQL of their own (test/support/postgres-cluster.ts)
 * and the real server (`keyscope server`, a child process, as deployed), from runs made of a real quick run
 * (test/fixtures/quick-run-a.parquet, see bench/server-runs.ts):
 *  1. push: a run of 1,000,000 samples, pushed with `keyscope push` from a local store, stored in < 5 s (median of
 *     5, fresh run ids), with its parts timed in process: loading it, encoding it, the request, the server's decode
 *     and transaction.
 *  2. history: one case's overviews over 1,000 runs of a branch read in < 200 ms (RemoteRuns.findRunOverviews, what
 *     `keyscope history CASE --server` reads), stage by stage (PostgreSQL, the server's decoding and encoding, the
 *     transfer, the client's decoding), the whole `keyscope history` command, and all 20 cases for comparison.
 *  3. load: 8 clients pushing while the server is stopped with SIGTERM and killed with SIGKILL (bench/server-load.ts):
 *     no run lost, duplicated or half-written, and every client told the truth.
 * The scratch PostgreSQL keeps its durability settings (startScratchCluster's `durable`: fsync, synchronous_commit
 * and full_page_writes on, as deployed), so a commit waits for the disk.
 * Usage: npm run bench:server [-- --only push,history,load --repeats 5 --history-runs 1000 --clients 8 --per-client 25]
 * Writes reports/bench-server.json. Works in a temporary directory it removes; needs dist/ (npm run build:ts).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { caseIdentity } from '../src/model/index.js';
import type { RunRecord } from '../src/model/types.js';
import { RemoteRuns, ServerClient } from '../src/remote/index.js';
import { caseOverview } from '../src/server/case-overview.js';
import { createToken, openServerDatabase } from '../src/server/index.js';
import { readOverviewsJson, saveRun } from '../src/server/run-table.js';
import { decodeInlineDocument, encodeDocument, openStore, reviveSpecialNumbers } from '../src/store/index.js';
import { startScratchCluster } from '../test/support/postgres-cluster.js';
import { loadWithRestarts, type LoadResult } from './server-load.js';
import { createBenchDatabase, databaseSize, freePort, runKeyscope, type ServerChild, postgresSettings, startServerChild, stopServerChild } from './server-processes.js';
import { historyRun, loadQuickRun, millionSampleRun, sampleCounts } from './server-runs.js';

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string', default: 'push,history,load' },
    repeats: { type: 'string', default: '5' },
    samples: { type: 'string', default: '1000000' },
    'history-runs': { type: 'string', default: '1000' },
    clients: { type: 'string', default: '8' },
    'per-client': { type: 'string', default: '25' },
  },
});
const parts = new Set(flags.only.split(','));
const repeats = Number(flags.repeats);
const totalSamples = Number(flags.samples);
const historyRuns = Number(flags['history-runs']);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const worst = (xs: number[]) => Math.max(...xs);
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function timed<T>(work: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const result = await work();
  return [performance.now() - start, result];
}

/** Rows of the final table: what, target, measured, verdict. */
const table: [string, string, string, string][] = [];
const report: Record<string, unknown> = {};

interface Context {
  superuserUrl: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  template: RunRecord;
}

/** A database with the server's schema, a token and its project's id. */
async function prepareDatabase(ctx: Context, name: string) {
  const url = await createBenchDatabase(ctx.superuserUrl, name);
  const { pool } = await openServerDatabase(url, { maxConnections: 4 });
  const { token } = await createToken(pool, { project: 'bench', scopes: ['runs:write', 'runs:read'] });
  const { rows } = await pool.query<{ project_id: string }>("SELECT project_id FROM projects WHERE name = 'bench'");
  return { url, pool, token, projectId: Number(rows[0]!.project_id) };
}

// ---------------------------------------------------------------------------------------------------------------
// 1. A pushed run of 1M samples stored in < 5 s.

async function pushBenchmark(ctx: Context): Promise<void> {
  console.log(`\n1. push of a ${totalSamples.toLocaleString('en')}-sample run (${repeats} repeats, fresh run ids)`);
  const db = await prepareDatabase(ctx, 'keyscope_bench_push');
  let server: ServerChild | undefined;
  try {
    server = await startServerChild(db.url, await freePort(), ctx.env);
    const storePath = join(ctx.dir, 'push.duckdb');
    const runs: RunRecord[] = [];
    const [buildMs] = await timed(() => {
      for (let i = 0; i < repeats; i++) runs.push(millionSampleRun(ctx.template, i + 1, totalSamples));
    });
    // The in-process breakdown pushes the same runs again under ids of their own.
    const again = runs.map((run) => ({ ...run, id: randomUUID() }));
    const store = await openStore(storePath);
    const [saveMs] = await timed(async () => {
      for (const run of [...runs, ...again]) await store.saveRun(run);
    });
    await store.close();
    const { samples, values } = sampleCounts(runs[0]!);
    console.log(`   ${runs.length} runs built in ${ms(buildMs)}: ${runs[0]!.cases.length} cases, ${samples.toLocaleString('en')} ns samples, ${values.toLocaleString('en')} stored values (ns, cycles, prime candidates); saved to the local store in ${ms(saveMs)}`);

    // What the user waits for: `keyscope push RUN` from the local store (a new process: start-up, the store, the request, the server's transaction).
    const command: number[] = [];
    for (const run of runs) {
      const r = await runKeyscope(['push', run.id, '--server', server.url, '--db', storePath, '--json'], { ...ctx.env, KEYSCOPE_TOKEN: db.token });
      const answer = r.status === 0 ? (JSON.parse(r.stdout) as { pushed: { stored: boolean }[] }) : undefined;
      if (answer?.pushed[0]?.stored !== true) throw new Error(`keyscope push did not store run ${run.id} (exit ${r.status}): ${r.stderr.trim() || r.stdout.trim()}`);
      command.push(r.ms);
      console.log(`   keyscope push ${run.id.slice(0, 8)}: ${ms(r.ms)}`);
    }

    // The same work in process, part by part.
    const remote = new RemoteRuns(new ServerClient(new URL(server.url), db.token));
    const local = await openStore(storePath, { readOnly: true });
    const parts: Record<string, number[]> = { load: [], encode: [], stringify: [], put: [], parse: [], decode: [], overviews: [], saveRun: [] };
    let bodyBytes = 0;
    try {
      for (const run of again) {
        const [load, loaded] = await timed(() => local.getRun(run.id));
        const [encode, document] = await timed(() => encodeDocument(loaded!, 'inline'));
        const [stringify, text] = await timed(() => JSON.stringify(document));
        bodyBytes = Buffer.byteLength(text);
        // The request as push makes it (ServerClient stringifies the document itself): HTTP, the server's decode and save.
        const [put, stored] = await timed(() => remote.put(document));
        if (!stored) throw new Error(`run ${run.id} was already stored`);
        // The server's part, here in process against the same database, for a third id.
        const third = randomUUID();
        const [parse, parsed] = await timed(() => JSON.parse(text.replaceAll(run.id, third)) as unknown);
        const [decode, decoded] = await timed(() => decodeInlineDocument(parsed));
        if (typeof decoded === 'string') throw new Error(decoded);
        const [overviews] = await timed(() => decoded.cases.map(caseOverview));
        const [save, outcome] = await timed(() => saveRun(db.pool, db.projectId, decoded));
        if (!outcome.stored) throw new Error('saveRun did not store the run');
        for (const [name, value] of Object.entries({ load, encode, stringify, put, parse, decode, overviews, saveRun: save })) parts[name]!.push(value);
      }
    } finally {
      await local.close();
    }
    const serverSide = median(parts.parse!) + median(parts.decode!) + median(parts.saveRun!);
    const breakdown = Object.fromEntries(Object.entries(parts).map(([name, xs]) => [name, { median: median(xs), worst: worst(xs) }]));
    console.log(`   request body ${mib(bodyBytes)} (${(bodyBytes / values).toFixed(1)} bytes a value)`);
    console.log('   in process (median / worst):');
    const describe: Record<string, string> = {
      load: 'client: store.getRun from DuckDB',
      encode: 'client: encodeDocument (inline)',
      stringify: 'client: JSON.stringify of the document',
      put: 'client: RemoteRuns.put (stringify + HTTP + server)',
      parse: 'server: JSON.parse of the body',
      decode: 'server: decodeInlineDocument (zod)',
      overviews: '  of which in saveRun: block medians',
      saveRun: 'server: saveRun (digest, overviews, transaction)',
    };
    for (const [name, xs] of Object.entries(parts)) console.log(`     ${describe[name]!.padEnd(52)} ${ms(median(xs)).padStart(9)} / ${ms(worst(xs)).padStart(9)}`);
    console.log(`     ${'server total (parse + decode + saveRun)'.padEnd(52)} ${ms(serverSide).padStart(9)}`);

    const m = median(command);
    table.push([`push ${totalSamples.toLocaleString('en')} samples (keyscope push, new process)`, '< 5000 ms', `median ${ms(m)}, worst ${ms(worst(command))}`, m < 5000 ? 'met' : 'MISSED']);
    table.push(['  request body', '', mib(bodyBytes), '']);
    report.push = { samples, values, bodyBytes, commandMs: command, breakdown, buildMs, localSaveMs: saveMs, databaseBytes: await databaseSize(db.url) };
  } finally {
    if (server) await stopServerChild(server, 'SIGTERM');
    await db.pool.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 2. History of one case over 1,000 runs read in < 200 ms.

async function historyBenchmark(ctx: Context): Promise<void> {
  console.log(`\n2. history over ${historyRuns} runs of branch main (quick-run shape, saved with saveRun in process: no HTTP)`);
  const db = await prepareDatabase(ctx, 'keyscope_bench_history');
  let server: ServerChild | undefined;
  try {
    // Two at a time (the pool's connections), oldest first.
    let next = 0;
    let values = 0;
    const [fillMs] = await timed(() =>
      Promise.all(
        [0, 1].map(async () => {
          while (next < historyRuns) {
            const run = historyRun(ctx.template, next++, { seed: 1 });
            values += sampleCounts(run).values;
            const outcome = await saveRun(db.pool, db.projectId, run);
            if (!outcome.stored) throw new Error('saveRun did not store a run');
          }
        }),
      ),
    );
    await db.pool.query('ANALYZE');
    const bytes = await databaseSize(db.url);
    console.log(`   ${historyRuns} runs (${values.toLocaleString('en')} stored values) built and saved in ${(fillMs / 1000).toFixed(1)} s; database ${mib(bytes)}`);

    server = await startServerChild(db.url, await freePort(), ctx.env);
    const remote = new RemoteRuns(new ServerClient(new URL(server.url), db.token));
    const testbed = ctx.template.testbed;
    const ecCase = ctx.template.cases.find((c) => c.key.case === 'keygen' && c.key.implementation === 'node:crypto' && c.key.algorithm === 'ec-p256')!;
    const identity = caseIdentity(ecCase);
    const filter = { branch: 'main', testbed, status: 'complete' as const, limit: historyRuns };

    const measure = async (name: string, work: () => Promise<unknown>, warmups = 3, times = 20) => {
      for (let i = 0; i < warmups; i++) await work();
      const xs: number[] = [];
      for (let i = 0; i < times; i++) xs.push((await timed(work))[0]);
      console.log(`   ${name.padEnd(62)} median ${ms(median(xs)).padStart(9)}  worst ${ms(worst(xs)).padStart(9)}`);
      return xs;
    };
    const check = (runs: { cases: unknown[] }[], cases: number) => {
      if (runs.length !== historyRuns || runs.some((r) => r.cases.length !== cases)) throw new Error(`expected ${historyRuns} runs of ${cases} cases, got ${runs.length}`);
    };
    const one = await measure('findRunOverviews, one case (keygen node:crypto ec-p256)', async () => check(await remote.findRunOverviews(filter, [identity]), 1));
    const all = await measure(`findRunOverviews, all ${ctx.template.cases.length} cases`, async () => check(await remote.findRunOverviews(filter), ctx.template.cases.length));
    const direct = await measure('  server part: readOverviewsJson in process, one case', async () => check(JSON.parse(await readOverviewsJson(db.pool, db.projectId, { ...filter, cases: [identity] })) as { cases: unknown[] }[], 1));
    const listing = await measure('findRuns (branch main, complete; history lists them first)', async () => remote.findRuns({ branch: 'main', status: 'complete' }));

    // Where one case's read spends its time: each stage alone (median of 10 after 3 warm-ups), and what the answer
    // is made of. The SQL is the query readOverviewsJson sends (its jsonb as text), copied here.
    const sql = `SELECT r.run_key, r.head::text AS head, c.overview::text AS overview
         FROM (SELECT r.run_key, r.head, r.started_at FROM runs r WHERE r.project_id = $1 AND r.branch = $2 AND r.testbed = $3 AND r.status = $4
                ORDER BY r.started_at DESC, r.run_key DESC LIMIT $5) r
         LEFT JOIN cases c ON c.run_key = r.run_key AND c.identity = ANY($6::text[])
        ORDER BY r.started_at DESC, r.run_key DESC, c.ordinal`;
    const sqlArgs = [db.projectId, 'main', testbed, 'complete', historyRuns, [identity]];
    const plan = await db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, sqlArgs);
    const planText = plan.rows.map((r) => r['QUERY PLAN']);
    const execution = Number(/Execution Time: ([\d.]+)/.exec(planText.join('\n'))?.[1] ?? NaN);
    const answer = async (body: object) => {
      const response = await fetch(`${server!.url}/v1/runs/overviews`, { method: 'POST', headers: { authorization: `Bearer ${db.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return response.text();
    };
    const oneText = await answer({ ...filter, cases: [identity] });
    const oneBytes = Buffer.byteLength(oneText);
    const allBytes = Buffer.byteLength(await answer(filter));
    const stageMs = async (work: () => unknown) => {
      for (let i = 0; i < 3; i++) await work();
      const xs: number[] = [];
      for (let i = 0; i < 10; i++) xs.push((await timed(work))[0]);
      return median(xs);
    };
    const stages: [string, number][] = [
      ['PostgreSQL executes the query (EXPLAIN ANALYZE)', execution],
      ['server: the query through pg (rows as text)', await stageMs(() => db.pool.query(sql, sqlArgs))],
      ['server: readOverviewsJson (the query, the answer assembled as text)', await stageMs(() => readOverviewsJson(db.pool, db.projectId, { ...filter, cases: [identity] }))],
      ['HTTP: fetch + text(), no parse (the server, the transfer)', await stageMs(() => answer({ ...filter, cases: [identity] }))],
      ['client: JSON.parse of the answer, no reviver', await stageMs(() => JSON.parse(oneText) as unknown)],
      ['client: JSON.parse of the answer with reviveSpecialNumbers (ServerClient)', await stageMs(() => JSON.parse(oneText, reviveSpecialNumbers) as unknown)],
    ];
    // The answer as it travels (special numbers encoded): what one run of it is made of.
    const newest = (JSON.parse(oneText) as { runs: Record<string, unknown>[] }).runs[0]!;
    const { cases: newestCases, environment, ...headRest } = newest as { cases: { blockMedians: unknown }[]; environment: unknown };
    const sizeOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
    const composition = {
      perRun: sizeOf(newest),
      environment: sizeOf(environment),
      restOfHead: sizeOf(headRest),
      caseOverview: sizeOf(newestCases),
      blockMedians: sizeOf(newestCases[0]!.blockMedians),
    };
    console.log(`   answers: one case ${mib(oneBytes)}, all cases ${mib(allBytes)}; one case's read, stage by stage (median of 10):`);
    for (const [name, value] of stages) console.log(`     ${name.padEnd(80)} ${ms(value).padStart(9)}`);
    console.log(
      `     bytes a run in the answer: ${composition.perRun} (environment ${composition.environment}, rest of the run ${composition.restOfHead}, ` +
        `the case ${composition.caseOverview}, of which block medians ${composition.blockMedians})`,
    );

    // `keyscope history` as a user runs it: a new process, three requests (listing, newest run, the cases asked for), the statistics, the table.
    const cli = async (pattern: string) => {
      const xs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await runKeyscope(['history', pattern, '--server', server!.url, '--branch', 'main', '--limit', String(historyRuns)], { ...ctx.env, KEYSCOPE_TOKEN: db.token });
        if (r.status !== 0 || !r.stdout.includes(`${historyRuns} runs`)) throw new Error(`keyscope history ${pattern} failed (exit ${r.status}): ${r.stderr.trim() || r.stdout.slice(0, 300)}`);
        xs.push(r.ms);
      }
      console.log(`   ${`keyscope history "${pattern}" --limit ${historyRuns} (new process)`.padEnd(62)} median ${ms(median(xs)).padStart(9)}  worst ${ms(worst(xs)).padStart(9)}`);
      return xs;
    };
    const cliEc = await cli('ec-p256');
    const cliOne = await cli('keygen node:crypto ec-p256');

    const m = median(one);
    table.push([`history, 1 case x ${historyRuns} runs (findRunOverviews)`, '< 200 ms', `median ${ms(m)}, worst ${ms(worst(one))}`, m < 200 ? 'met' : 'MISSED']);
    table.push([`  all 20 cases x ${historyRuns} runs (findRunOverviews)`, '', `median ${ms(median(all))}, worst ${ms(worst(all))}`, '']);
    table.push([`  keyscope history ec-p256 (8 cases match), new process`, '', `median ${ms(median(cliEc))} of 5`, '']);
    table.push([`  keyscope history "keygen node:crypto ec-p256", new process`, '', `median ${ms(median(cliOne))} of 5`, '']);
    table.push([`  database size (${historyRuns} quick runs)`, '', mib(bytes), '']);
    report.history = {
      runs: historyRuns,
      values,
      fillMs,
      databaseBytes: bytes,
      findRunOverviewsOneCaseMs: one,
      findRunOverviewsAllCasesMs: all,
      readOverviewsInProcessMs: direct,
      findRunsMs: listing,
      answerBytes: { oneCase: oneBytes, allCases: allBytes },
      cliHistoryEcP256Ms: cliEc,
      cliHistoryOneCaseMs: cliOne,
      explain: planText,
      oneCaseStagesMs: Object.fromEntries(stages),
      answerComposition: composition,
    };
  } finally {
    if (server) await stopServerChild(server, 'SIGTERM');
    await db.pool.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Load with restarts.

async function loadBenchmark(ctx: Context): Promise<void> {
  const clients = Number(flags.clients);
  const perClient = Number(flags['per-client']);
  console.log(`\n3. load: ${clients} clients (each a loop of keyscope push processes) x ${perClient} runs, the server stopped with SIGTERM and killed with SIGKILL`);
  const r: LoadResult = await loadWithRestarts({ superuserUrl: ctx.superuserUrl, dir: ctx.dir, env: ctx.env, template: ctx.template, clients, perClient, downMs: 1_000, maxAttempts: 5, log: console.log });
  const codes = Object.entries(r.errorsByCode).map(([code, n]) => `${code} x${n}`).join(', ') || 'none';
  console.log(`   ${r.runs} runs pushed in ${(r.wallMs / 1000).toFixed(1)} s by ${r.pushCommands} push commands; push median ${ms(r.pushMs.median)}, p90 ${ms(r.pushMs.p90)}, worst ${ms(r.pushMs.worst)}`);
  console.log(`   client-visible errors: ${codes}; runs whose push was run again: ${r.rerunRuns}; given up: ${r.gaveUp.length}`);
  console.log(`   told: ${r.told.stored} stored, ${r.told.already} already there`);
  console.log(`   HTTP (fetch probe): ${r.http.requests} requests, ${r.http.retries} retries inside ServerClient; in flight at the signals: ${JSON.stringify(r.http.inFlightAtSignal)}`);
  for (const [kind, n] of Object.entries(r.http.failuresByKind)) console.log(`     ${kind} x${n}`);
  for (const u of r.unexpectedErrors) console.log(`   UNEXPECTED error (run ${u.runId.slice(0, 8)}, exit ${u.status}): ${u.stderr}`);
  for (const s of r.restarts) if (s.oldServerStderr || s.startErrors.length > 0) console.log(`   ${s.signal}: server stderr: ${s.oldServerStderr || '-'}; start errors: ${s.startErrors.join(' | ') || '-'}`);
  if (r.finalServerStderr) console.log(`   last server's stderr: ${r.finalServerStderr}`);
  const c = r.check;
  console.log(`   database: ${c.inDatabase} runs; lost ${c.lost.length}, duplicated ${c.duplicated}, partial ${c.partial.length}, content differs ${c.contentMismatch.length}, stored though every push failed ${c.storedButFailed.length}, 503 then already there ${c.unavailableButStored.length}`);
  const ok = c.lost.length === 0 && c.duplicated === 0 && c.partial.length === 0 && c.contentMismatch.length === 0 && r.gaveUp.length === 0 && r.unexpectedErrors.length === 0 && c.unavailableButStored.length === 0 && c.inDatabase === r.runs;
  table.push([`load: ${clients} clients x ${perClient} runs, SIGTERM + SIGKILL restarts`, '0 lost / dup / partial; truthful', `${c.inDatabase}/${r.runs} stored; lost ${c.lost.length}, dup ${c.duplicated}, partial ${c.partial.length}, differ ${c.contentMismatch.length}`, ok ? 'met' : 'MISSED']);
  table.push(['  client-visible errors (re-run pushes)', '', `${codes} (${r.rerunRuns} runs re-pushed, ${r.gaveUp.length} given up)`, '']);
  table.push(['  ServerClient retries (fetch probe)', '', `${r.http.retries} of ${r.http.requests} requests`, '']);
  table.push(['  restarts: down (signal to listening)', '', r.restarts.map((s) => `${s.signal} ${ms(s.downMs)}`).join(', '), '']);
  report.load = r;
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const began = performance.now();
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  let lscpu = cpu;
  try {
    lscpu = /Model name:\s*(.+)/.exec(execFileSync('lscpu', { encoding: 'utf8' }))?.[1]?.trim() ?? cpu;
  } catch {
    // lscpu is not everywhere
  }
  console.log(`keyscope server benchmark: ${lscpu}, ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-server-bench-'));
  const cluster = await startScratchCluster({ durable: true });
  try {
    const settings = await postgresSettings(cluster.url);
    console.log(`PostgreSQL ${settings.server_version}: fsync ${settings.fsync}, synchronous_commit ${settings.synchronous_commit}, full_page_writes ${settings.full_page_writes}, shared_buffers ${(Number(settings.shared_buffers) * 8) / 1024} MiB`);
    // The CLI's children: no analytics, a home of their own, no CI variables deciding a branch.
    const env: NodeJS.ProcessEnv = { ...process.env, KEYSCOPE_HOME: join(dir, 'home'), KEYSCOPE_ANALYTICS: 'off', CI: '', GITHUB_ACTIONS: '' };
    const ctx: Context = { superuserUrl: cluster.url, dir, env, template: await loadQuickRun() };
    report.environment = { cpu: lscpu, cores: os.cpus().length, node: process.version, postgres: settings, loadAverageAtStart: os.loadavg() };
    if (parts.has('push')) await pushBenchmark(ctx);
    if (parts.has('history')) await historyBenchmark(ctx);
    if (parts.has('load')) await loadBenchmark(ctx);
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const took = (performance.now() - began) / 1000;
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[['', 'target', 'measured', ''], ...table].map((row) => row[i]!.length)));
  console.log(`\n${['', 'target', 'measured', 'verdict'].map((h, i) => h.padEnd(widths[i]!)).join('  ')}`);
  for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  console.log(`\nbenchmark took ${took.toFixed(0)} s`);
  report.date = new Date().toISOString();
  report.tookSeconds = took;
  report.table = table;
  mkdirSync(new URL('../reports/', import.meta.url), { recursive: true });
  writeFileSync(new URL('../reports/bench-server.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.log('wrote reports/bench-server.json');
}

await main();
