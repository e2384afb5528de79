/**
 * `keyscope server`: the team server, until SIGINT or SIGTERM; and `keyscope server token create|list|revoke`,
 * which an operator runs with the database's credentials. The database URL comes from --database or
 * KEYSCOPE_DATABASE_URL (better: a command line is visible to every user of the machine in `ps`).
 */
import { readFileSync } from 'node:fs';

import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { createToken, defaultServerPort, listTokens, openServerDatabase, parseScopes, revokeToken, type RunningServer, startServer, type TokenListing } from '../server/index.js';
import type { CommandIO } from './command-context.js';
import { isLoopback } from './dashboard-command.js';
import { untilSignal } from './until-signal.js';

export interface DatabaseOption {
  database?: string;
}

export interface ServerCommandOptions extends DatabaseOption {
  host: string;
  port: string;
  bodyLimit: string;
  rateLimit: string;
  tlsCert?: string;
  tlsKey?: string;
}

export interface ServerIO extends CommandIO {
  stderr: NodeJS.WritableStream;
  /** Resolves when the server should stop; default: the first SIGINT or SIGTERM. */
  stopSignal?: () => Promise<void>;
}

function databaseUrl(options: DatabaseOption, env: NodeJS.ProcessEnv): string {
  const url = options.database ?? env.KEYSCOPE_DATABASE_URL;
  if (!url) throw new KeyscopeError(ErrorCodes.usage, 'no database: give --database postgres://… or set KEYSCOPE_DATABASE_URL');
  if (!/^postgres(ql)?:\/\//.test(url)) throw new KeyscopeError(ErrorCodes.usage, 'the database must be a postgres:// or postgresql:// URL');
  return url;
}

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw new KeyscopeError(ErrorCodes.usage, `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

function readPem(option: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new KeyscopeError(ErrorCodes.usage, `${option} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown'})`);
  }
}

export async function runServerCommand(options: ServerCommandOptions, io: ServerIO): Promise<void> {
  const url = databaseUrl(options, io.env);
  const port = wholeNumber('--port', options.port, 0, 65535);
  const bodyLimitMiB = wholeNumber('--body-limit', options.bodyLimit, 1, 4096);
  const rateLimit = wholeNumber('--rate-limit', options.rateLimit, 1, 1_000_000);
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) throw new KeyscopeError(ErrorCodes.usage, '--tls-cert and --tls-key go together');
  const tls = options.tlsCert !== undefined ? { cert: readPem('--tls-cert', options.tlsCert), key: readPem('--tls-key', options.tlsKey!) } : undefined;
  if (!isLoopback(options.host) && tls === undefined) {
    io.stderr.write(`keyscope server: warning: listening on ${options.host} over plain HTTP: tokens cross the network in the clear; use --tls-cert/--tls-key or a TLS reverse proxy\n`);
  }
  const stopped = (io.stopSignal ?? untilSignal)();
  const server: RunningServer = await startServer({ databaseUrl: url, host: options.host, port, bodyLimit: bodyLimitMiB * 1024 * 1024, rateLimit, ...(tls ? { tls } : {}) });
  io.stdout.write(`keyscope server: ${server.url} (schema ${server.schema})\n`);
  await stopped;
  await server.close();
}

export { defaultServerPort };

/** "30d" (days from now) or an ISO date; the expiry must be in the future. */
function parseExpiry(text: string): Date {
  const days = /^(\d{1,5})d$/.exec(text.trim());
  const date = days ? new Date(Date.now() + Number(days[1]) * 86_400_000) : new Date(text);
  if (Number.isNaN(date.getTime())) throw new KeyscopeError(ErrorCodes.usage, `--expires must be a number of days (30d) or a date (2027-06-30), got ${JSON.stringify(text)}`);
  if (date.getTime() <= Date.now()) throw new KeyscopeError(ErrorCodes.usage, `--expires ${text} is not in the future`);
  return date;
}

async function withDatabase<T>(options: DatabaseOption, env: NodeJS.ProcessEnv, work: (pool: Awaited<ReturnType<typeof openServerDatabase>>['pool']) => Promise<T>): Promise<T> {
  const { pool } = await openServerDatabase(databaseUrl(options, env), { maxConnections: 2 });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

export async function tokenCreate(options: DatabaseOption & { project: string; scope: string; name?: string; expires?: string }, io: CommandIO): Promise<void> {
  const scopes = parseScopes(options.scope);
  const expiresAt = options.expires === undefined ? undefined : parseExpiry(options.expires);
  const { token } = await withDatabase(options, io.env, (pool) =>
    createToken(pool, { project: options.project, scopes, ...(options.name === undefined ? {} : { name: options.name }), ...(expiresAt ? { expiresAt } : {}) }),
  );
  // The token alone, so that `TOKEN=$(keyscope server token create …)` captures it; it is shown this once only.
  io.stdout.write(`${token}\n`);
}

export async function tokenList(options: DatabaseOption & { project?: string; json?: boolean }, io: CommandIO): Promise<void> {
  const tokens: TokenListing[] = await withDatabase(options, io.env, (pool) => listTokens(pool, options.project));
  if (options.json) {
    io.stdout.write(`${JSON.stringify(tokens)}\n`);
    return;
  }
  if (tokens.length === 0) {
    io.stdout.write('no tokens\n');
    return;
  }
  const day = (iso: string | null) => (iso === null ? '-' : iso.slice(0, 16).replace('T', ' '));
  const rows = tokens.map((t) => [t.id, t.project, t.scopes.join(','), t.name ?? '-', day(t.createdAt), day(t.expiresAt), t.revokedAt ? `revoked ${day(t.revokedAt)}` : 'active', day(t.lastUsedAt)]);
  const header = ['id', 'project', 'scopes', 'name', 'created', 'expires', 'state', 'last used'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  io.stdout.write(`${[header, ...rows].map((cells) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')}\n`);
}

export async function tokenRevoke(id: string, options: DatabaseOption, io: CommandIO): Promise<void> {
  const revoked = await withDatabase(options, io.env, (pool) => revokeToken(pool, id));
  if (!revoked) throw new KeyscopeError(ErrorCodes.serverNotFound, `no active token ${id.startsWith('ks_') ? id.split('_')[1] : id} (see keyscope server token list)`);
  io.stdout.write(`revoked token ${id.startsWith('ks_') ? id.split('_')[1] : id}\n`);
}
