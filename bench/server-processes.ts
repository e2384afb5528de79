/**
 * keyscope as its own processes for the team-server benchmark: the real `keyscope server` on a chosen port (started,
 * stopped with SIGTERM, killed with SIGKILL, started again on the same port), one-shot commands timed wall to wall,
 * a fetch probe that logs every HTTP attempt a command makes, and the scratch PostgreSQL's databases.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

import pg from 'pg';

/** The harness's free-port finder, for the server child's fixed port (it restarts on the same one). */
export { freePort } from '../test/support/postgres-cluster.js';

export const binPath = fileURLToPath(new URL('../bin/keyscope.js', import.meta.url));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface CommandResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The error code of `keyscope: error KS_…: message`, if it printed one. */
  code: string | null;
}

/** `keyscope <args>` to its end, timed from spawn to exit (what a user waits for). */
export function runKeyscope(args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<CommandResult> {
  const start = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, binPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => {
      const code = /keyscope: error (KS_[A-Z0-9_]+):/.exec(stderr)?.[1] ?? null;
      resolve({ status, signal, stdout, stderr, ms: performance.now() - start, code });
    });
  });
}

export interface ServerChild {
  url: string;
  child: ChildProcess;
  /** ms from spawn until it printed its URL. */
  startMs: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** `keyscope server --database URL --port PORT [...extra]`, once it prints `keyscope server: URL (schema N)`. */
export function startServerChild(databaseUrl: string, port: number, env: NodeJS.ProcessEnv, extra: string[] = []): Promise<ServerChild> {
  const start = performance.now();
  // The URL through the environment, as the CLI recommends: not in `ps`.
  const child = spawn(process.execPath, [binPath, 'server', '--port', String(port), ...extra], {
    env: { ...env, KEYSCOPE_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const url = /^keyscope server: (\S+) /.exec(line)?.[1];
      if (url === undefined) reject(new Error(`unexpected first line from keyscope server: ${line}`));
      else resolve({ url, child, startMs: performance.now() - start, exited, stderr: () => stderr });
    });
    void exited.then(({ code, signal }) => reject(new Error(`keyscope server exited before listening (${code ?? signal}): ${stderr.trim()}`)));
  });
}

/** Stops a server child with `signal` and waits for it to exit; ms from the signal to the exit. */
export async function stopServerChild(server: ServerChild, signal: 'SIGTERM' | 'SIGKILL'): Promise<{ ms: number; code: number | null; signal: NodeJS.Signals | null }> {
  const start = performance.now();
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  const exit = await server.exited;
  return { ms: performance.now() - start, ...exit };
}

/**
 * A module for `node --import` that wraps the command's fetch and appends one JSON line per HTTP attempt to the
 * file in $KEYSCOPE_BENCH_PROBE: when it started and ended (epoch ms), method, path, and the status or the
 * network error. ServerClient retries inside one command; this is how those retries are seen from outside.
 */
const probeSource = `
import { appendFileSync } from 'node:fs';
const file = process.env.KEYSCOPE_BENCH_PROBE;
const original = globalThis.fetch;
if (file && original) {
  globalThis.fetch = async function probedFetch(input, init) {
    const start = Date.now();
    const method = init?.method ?? 'GET';
    const path = new URL(String(input)).pathname;
    const log = (fields) => appendFileSync(file, JSON.stringify({ pid: process.pid, start, end: Date.now(), method, path, ...fields }) + '\\n');
    try {
      const response = await original(input, init);
      log({ status: response.status });
      return response;
    } catch (error) {
      log({ error: error?.cause?.code ?? error?.cause?.message ?? error?.name ?? String(error) });
      throw error;
    }
  };
}
`;

/** Writes the probe into `dir`; the node arguments that load it. */
export function installFetchProbe(dir: string): string[] {
  const file = join(dir, 'fetch-probe.mjs');
  writeFileSync(file, probeSource);
  return ['--import', pathToFileURL(file).href];
}

export interface ProbeLine {
  pid: number;
  start: number;
  end: number;
  method: string;
  path: string;
  status?: number;
  error?: string;
}

/** A database of the scratch cluster owned by a role of its own (a deployment's privileges, not a superuser's). */
export async function createBenchDatabase(superuserUrl: string, name: string): Promise<string> {
  const password = randomBytes(18).toString('hex');
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    await client.query(`CREATE ROLE ${client.escapeIdentifier(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${client.escapeLiteral(password)}`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} OWNER ${client.escapeIdentifier(name)} TEMPLATE template0`);
  } finally {
    await client.end();
  }
  const url = new URL(superuserUrl);
  url.username = name;
  url.password = password;
  url.pathname = `/${name}`;
  return url.toString();
}

/** pg_database_size of the database at `url`, bytes. */
export async function databaseSize(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
    return Number(rows[0]!.size);
  } finally {
    await client.end();
  }
}

/** The PostgreSQL settings that decide what a commit costs, as a benchmark should report them. */
export async function postgresSettings(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'server_version', 'wal_level') ORDER BY name",
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  } finally {
    await client.end();
  }
}
