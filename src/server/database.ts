/**
 * The server's PostgreSQL: one pool (node-postgres), opened with a first connection that proves the URL, the
 * credentials and the database, so that a mistake is one coded line at start-up rather than a failure at the
 * first request. Failures of the database are turned into KeyscopeErrors here, and nowhere else.
 */
import pg from 'pg';

import { ErrorCodes, KeyscopeError } from '../core/index.js';

/** SQLSTATEs that mean "these credentials (or this role) may not connect": the operator's to fix. */
const authStates: ReadonlySet<string> = new Set(['28P01', '28000']);
/** Network failures: nothing answered at the address, or it stopped answering. */
const networkCodes: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
/**
 * SQLSTATEs of a database that is going away or cannot serve now: admin shutdown, too many connections, lost
 * connections, a database closed to connections (55000), and (once the server runs) credentials or rights
 * withdrawn by an operator (28xxx, 42501), which a client can only wait out.
 */
const unavailableStates = /^(57P0[1-3]|53300|08|55000|28|42501)/;

/** The URL without its password, for messages: a password never reaches a log or an error line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: unknown }).code as string | undefined;
}

/** Whether a database failure is one a retry may get past (the database restarting, a dropped connection). */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && (networkCodes.has(code) || unavailableStates.test(code))) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|Query read timeout/i.test(message);
}

/** A failure to connect as a coded error naming the (redacted) URL. */
export function connectFailure(url: string, error: unknown): KeyscopeError {
  const code = errorCode(error);
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if (code !== undefined && authStates.has(code)) {
    return new KeyscopeError(ErrorCodes.serverDatabaseAuth, `PostgreSQL at ${redactUrl(url)} refused the credentials: ${reason}`, { cause: error });
  }
  if (code === '3D000') return new KeyscopeError(ErrorCodes.serverDatabaseUnreachable, `PostgreSQL at ${redactUrl(url)}: ${reason} (create it first, e.g. createdb)`, { cause: error });
  return new KeyscopeError(ErrorCodes.serverDatabaseUnreachable, `cannot reach PostgreSQL at ${redactUrl(url)}: ${reason}`, { cause: error });
}

export interface DatabaseOptions {
  /** Connections the pool may open (default 10). */
  maxConnections?: number;
  /** How long one query may go without an answer before it fails as the database being away (default 20 s). */
  queryTimeoutMs?: number;
}

/** A pool whose first connection worked; its errors on idle connections are absorbed (a query then fails on its own). */
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<pg.Pool> {
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 10_000,
      // A database that goes silent (a network partition) must fail a request, not hang it: no query of the server
      // takes seconds (the cases of a run of 1M samples insert in about one), so 20 s is a dead database. keepAlive
      // finds dead connections between queries.
      query_timeout: options.queryTimeoutMs ?? 20_000,
      keepAlive: true,
      application_name: 'keyscope-server',
    });
  } catch (error) {
    throw connectFailure(url, error);
  }
  // An idle connection that dies (the database restarting) emits 'error' on the pool: without a listener Node
  // would end the process. The next query gets a fresh connection or fails with its own error.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw connectFailure(url, error);
  }
  return pool;
}

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = isTransientDatabaseError(error);
    if (!broken) await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    // A connection that failed mid-transaction is not given back to the pool: it is destroyed.
    client.release(broken);
  }
}
