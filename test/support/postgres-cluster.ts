/**
 * A private, throwaway PostgreSQL server: its own data directory in a fresh temporary folder, its own port on
 * 127.0.0.1 and its own unix socket in that folder, a superuser with a random password, and password
 * (scram-sha-256) authentication so that a wrong password is really refused. Nothing here touches the
 * machine's own cluster (if there is one), and stop() leaves nothing behind.
 *
 * No vitest import on purpose: the vitest global setup starts one per run, and benchmarks (tsx, outside
 * vitest) can start one the same way.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chown, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';

const execFileAsync = promisify(execFile);

/** The OS account that runs the server when we are root: initdb and postgres refuse to run as root. */
const OWNER = 'postgres';
const SERVER_BINARIES = ['initdb', 'postgres', 'pg_ctl'] as const;

export interface ScratchCluster {
  /** The superuser's URL over TCP, password included: postgres://USER:PASSWORD@127.0.0.1:PORT/postgres */
  url: string;
  superuser: string;
  password: string;
  port: number;
  /** Where the server's unix socket is (as `host` for a client: a path means a socket). */
  socketDir: string;
  dataDir: string;
  /** Fast shutdown, then the whole temporary folder is removed. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ScratchClusterOptions {
  /** Name of the superuser initdb creates (default keyscope_test). */
  superuser?: string;
  /** How long the server may take to accept connections (default 30 s). */
  startTimeoutMs?: number;
  /** Keep PostgreSQL's durability settings (fsync and synchronous commit on, as in production): for benchmarks. */
  durable?: boolean;
}

export type PostgresAvailability = { ok: true; binDir: string } | { ok: false; reason: string };

const isRoot = () => process.getuid?.() === 0;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const hasServerBinaries = (dir: string) => SERVER_BINARIES.every((name) => isExecutable(join(dir, name)));

/** First directory on PATH holding an executable `name`. */
function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '').split(delimiter).find((dir) => dir !== '' && isExecutable(join(dir, name)));
}

/**
 * The directory of initdb/postgres/pg_ctl: KEYSCOPE_PG_BIN if set, else Debian's newest
 * /usr/lib/postgresql/N/bin, else wherever postgres is on PATH (Homebrew, other distributions).
 */
function findBinDir(): string | undefined {
  const override = process.env.KEYSCOPE_PG_BIN;
  if (override) return hasServerBinaries(override) ? override : undefined;
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const dir = join(debianRoot, version, 'bin');
      if (hasServerBinaries(dir)) return dir;
    }
  }
  const dir = onPath('postgres');
  return dir !== undefined && hasServerBinaries(dir) ? dir : undefined;
}

/**
 * The environment for every process started here. Under `npm run test:asan` the sanitizer runtimes are
 * preloaded into every child of vitest; postgres is not built for that (and its forked backends would each
 * carry ASan), so they get the environment without them.
 */
function childEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !['LD_PRELOAD', 'ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS', 'NODE_OPTIONS'].includes(name)) env[name] = value;
  }
  return env;
}

/** The owner's uid and gid, or undefined when there is no such account. */
function ownerIds(): { uid: number; gid: number } | undefined {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, OWNER], { encoding: 'utf8', env: childEnvironment(), stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/** Whether startScratchCluster can work here, and if not, why (for a skip message or a CI failure). */
export function postgresAvailable(): PostgresAvailability {
  const binDir = findBinDir();
  if (binDir === undefined) {
    const where = process.env.KEYSCOPE_PG_BIN ? `KEYSCOPE_PG_BIN=${process.env.KEYSCOPE_PG_BIN}` : '/usr/lib/postgresql/*/bin or on PATH';
    return { ok: false, reason: `no PostgreSQL server binaries (${SERVER_BINARIES.join(', ')}) in ${where}` };
  }
  if (isRoot()) {
    if (onPath('runuser') === undefined) return { ok: false, reason: 'running as root, and there is no runuser to start PostgreSQL as another user' };
    if (ownerIds() === undefined) return { ok: false, reason: `running as root, and there is no '${OWNER}' user to run PostgreSQL as` };
  }
  return { ok: true, binDir };
}

/** [command, args] that run `binary` as the cluster's owner: the postgres user when we are root, else ourselves. */
function asOwner(binary: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', OWNER, '--', binary, ...args]] : [binary, args];
}

async function runAsOwner(binary: string, args: string[], what: string, hint = ''): Promise<void> {
  const [command, commandArgs] = asOwner(binary, args);
  try {
    await execFileAsync(command, commandArgs, { env: childEnvironment(), timeout: 60_000 });
  } catch (error) {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${what} failed: ${(stderr || stdout || message).trim()}${hint}`, { cause: error });
  }
}

/** A port nothing listens on right now (the kernel's pick). Another process may take it before postgres does: see the retry below. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function logTail(logFile: string, lines = 30): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

/** The postmaster's pid from its pid file (first line), once it has written one. */
function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type StartOutcome = 'ready' | 'port-taken';

/**
 * Waits until the server accepts the superuser on its unix socket. The socket is in our private folder, so
 * whatever answers there is our server, never another process that grabbed the port in the meantime; and
 * postgres creates it only after binding its TCP port, so TCP is listening too.
 */
async function waitUntilReady(server: ChildProcess, client: pg.ClientConfig, logFile: string, deadline: number): Promise<StartOutcome> {
  let lastError = '';
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      const log = logTail(logFile);
      if (/could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(log)) return 'port-taken';
      throw new Error(`PostgreSQL exited during start-up (exit ${server.exitCode ?? server.signalCode}). Server log:\n${log}`);
    }
    const probe = new pg.Client({ ...client, connectionTimeoutMillis: 2_000 });
    try {
      await probe.connect();
      await probe.end();
      return 'ready';
    } catch (error) {
      lastError = (error as Error).message;
      await probe.end().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      throw new Error(`PostgreSQL did not accept connections within the start timeout (last error: ${lastError}). Server log:\n${logTail(logFile)}`);
    }
    await sleep(50);
  }
}

export async function startScratchCluster(options: ScratchClusterOptions = {}): Promise<ScratchCluster> {
  const availability = postgresAvailable();
  if (!availability.ok) throw new Error(`cannot start a scratch PostgreSQL: ${availability.reason}`);
  const bin = (name: (typeof SERVER_BINARIES)[number]) => join(availability.binDir, name);
  const superuser = options.superuser ?? 'keyscope_test';
  const password = randomBytes(18).toString('hex');
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);

  const root = await mkdtemp(join(tmpdir(), 'keyscope-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'socket');
  const pwFile = join(root, 'pwfile');
  const logFile = join(root, 'server.log');
  let server: ChildProcess | undefined;
  // Ctrl-C makes vitest call process.exit() without running global teardowns: without this the server
  // would outlive the run. Only synchronous work is possible here, so: immediate shutdown, remove the folder.
  const onExit = () => {
    const pid = postmasterPid(dataDir) ?? server?.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // Already gone.
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  try {
    await mkdir(socketDir);
    await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
    if (isRoot()) {
      const ids = ownerIds()!;
      for (const path of [root, socketDir, pwFile]) await chown(path, ids.uid, ids.gid);
    }
    // --no-sync: nothing here has to survive a crash, and syncing the new cluster is most of initdb's time.
    await runAsOwner(
      bin('initdb'),
      ['-D', dataDir, '-U', superuser, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      'initdb',
      isRoot() ? ` (as root, the folder ${root} under TMPDIR must be reachable by the '${OWNER}' user)` : '',
    );
    await rm(pwFile);

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      // A fresh log per attempt, so an earlier attempt's "could not bind" is not read as this one's.
      const log = await open(logFile, 'w');
      // fsync, synchronous_commit and full_page_writes off: a test cluster that is thrown away after the run
      // never has to survive a crash, and durability would only make every commit slower. Benchmarks keep them.
      const fast = options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
      const [command, args] = asOwner(bin('postgres'), ['-D', dataDir, '-k', socketDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', ...fast]);
      // Detached, in its own process group: a Ctrl-C in the terminal reaches vitest alone, whose exit stops the
      // server through onExit (immediate shutdown) instead of the signal landing on the server mid-teardown.
      server = spawn(command, args, { detached: true, stdio: ['ignore', log.fd, log.fd], env: childEnvironment() });
      await log.close();
      server.unref();
      const outcome = await waitUntilReady(server, { host: socketDir, port, user: superuser, password, database: 'postgres' }, logFile, deadline);
      if (outcome === 'port-taken') {
        if (attempt < 5) continue;
        throw new Error(`PostgreSQL could not bind a free port in ${attempt} attempts. Server log:\n${logTail(logFile)}`);
      }
      const url = `postgres://${encodeURIComponent(superuser)}:${password}@127.0.0.1:${port}/postgres`;
      let stopping: Promise<void> | undefined;
      const running = server;
      return {
        url,
        superuser,
        password,
        port,
        socketDir,
        dataDir,
        stop() {
          stopping ??= (async () => {
            process.off('exit', onExit);
            try {
              if (running.exitCode === null && running.signalCode === null) {
                await runAsOwner(bin('pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30'], 'pg_ctl stop');
              }
            } catch (error) {
              // The folder goes anyway: do not leave a server running in it.
              onExit();
              throw error;
            } finally {
              await rm(root, { recursive: true, force: true });
            }
          })();
          return stopping;
        },
      };
    }
  } catch (error) {
    process.off('exit', onExit);
    onExit();
    throw error;
  }
}
