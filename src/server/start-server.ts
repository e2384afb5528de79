/**
 * Starts the team server: connects to PostgreSQL (a coded error when it is unreachable or refuses the
 * credentials), brings its schema up to date (refusing one newer than this keyscope), then listens.
 */
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';

import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { connectFailure, type DatabaseOptions, openDatabase, redactUrl } from './database.js';
import { buildApp } from './http-app.js';
import { migrate } from './migrations.js';

export interface ServerOptions {
  databaseUrl: string;
  /** Default 127.0.0.1: reachable from this machine only, unless told otherwise. */
  host?: string;
  /** Default 7480; 0 picks a free port. */
  port?: number;
  /** Largest request body, bytes (default 256 MiB: a run of a few million samples). */
  bodyLimit?: number;
  /** Requests per token per minute (default 600). */
  rateLimit?: number;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: Buffer; key: Buffer };
  /** Database connections (default 10). */
  maxConnections?: number;
  /** A query without an answer for this long fails as the database being away (default 20 s). */
  queryTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  schema: number;
  close(): Promise<void>;
}

export const defaultServerPort = 7480;
export const defaultBodyLimit = 256 * 1024 * 1024;
export const defaultRateLimit = 600;

/** Opens the database and brings its schema up to date: what `server` does before it listens, and `token` before it writes. */
export async function openServerDatabase(url: string, options: DatabaseOptions = {}): Promise<{ pool: pg.Pool; schema: number }> {
  const pool = await openDatabase(url, options);
  try {
    return { pool, schema: await migrate(pool, url) };
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof KeyscopeError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    // Most often a role that may connect but not create tables: the operator's to grant.
    if ((error as { code?: string }).code === '42501') throw new KeyscopeError(ErrorCodes.serverDatabaseAuth, `the role in ${redactUrl(url)} may not create keyscope's tables: ${reason}`, { cause: error });
    throw connectFailure(url, error);
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function listen(app: FastifyInstance, host: string, port: number): Promise<number> {
  try {
    await app.listen({ host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    const why = code === 'EADDRINUSE' ? 'the port is in use' : code;
    throw new KeyscopeError(ErrorCodes.serverListenFailed, `cannot listen on ${hostForUrl(host)}:${port} (${why}; check --host and --port)`, { cause: error });
  }
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : port;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const { pool, schema } = await openServerDatabase(options.databaseUrl, {
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    ...(options.queryTimeoutMs === undefined ? {} : { queryTimeoutMs: options.queryTimeoutMs }),
  });
  let app: FastifyInstance;
  let port: number;
  try {
    app = await buildApp({
      pool,
      schema,
      bodyLimit: options.bodyLimit ?? defaultBodyLimit,
      rateLimit: options.rateLimit ?? defaultRateLimit,
      ...(options.tls ? { https: options.tls } : {}),
    });
    port = await listen(app, host, options.port ?? defaultServerPort);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    url: `${options.tls ? 'https' : 'http'}://${hostForUrl(host)}:${port}`,
    port,
    schema,
    close() {
      closing ??= (async () => {
        // Requests in flight are answered; a connection still open after 10 s (a client that stalls) is cut.
        const deadline = setTimeout(() => app.server.closeAllConnections(), 10_000);
        try {
          await app.close();
        } finally {
          clearTimeout(deadline);
        }
        await pool.end();
      })();
      return closing;
    },
  };
}
