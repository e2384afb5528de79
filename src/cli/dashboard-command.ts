/**
 * `keyscope dashboard`: starts the dashboard server (src/dashboard) and runs until SIGINT or SIGTERM, then
 * closes it cleanly (the analytics database is checkpointed and released). Prints one line, the URL with its
 * access token; the browser is the user's to open (a server started over SSH has none).
 */
import { isIP } from 'node:net';

import { resolveAnalyticsPaths } from '../analytics/events/index.js';
import { type RunningDashboard, startDashboard } from '../dashboard/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { resolveStorePath } from '../store/index.js';
import { exitStatusFor, formatError } from './exit-status.js';
import { untilSignal } from './until-signal.js';

export interface DashboardCommandOptions {
  port?: string;
  host?: string;
  rules?: string;
  /** The run store (`--db`, as every command names it). */
  db?: string;
  otlp?: string;
}

export interface DashboardIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Resolves when the server should stop; default: the first SIGINT or SIGTERM. */
  stopSignal?: () => Promise<void>;
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new KeyscopeError(ErrorCodes.usage, `--port must be a whole number from 0 to 65535 (got ${JSON.stringify(text)})`);
  }
  return Number(text);
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

export async function dashboardCommand(options: DashboardCommandOptions, io: DashboardIO): Promise<number> {
  const port = parsePort(options.port);
  const host = options.host ?? '127.0.0.1';
  if (host.length === 0) throw new KeyscopeError(ErrorCodes.usage, '--host must not be empty');
  if (!isLoopback(host)) {
    io.stderr.write(`keyscope dashboard: warning: listening on ${host}, reachable from other machines; only the access token protects it, over plain HTTP\n`);
  }
  // Listening on the signals before the server starts: a signal during start-up still stops it cleanly.
  const stopped = (io.stopSignal ?? untilSignal)();
  let dashboard: RunningDashboard;
  try {
    dashboard = await startDashboard({
      host,
      ...(port === undefined ? {} : { port }),
      paths: resolveAnalyticsPaths(io.env),
      storePath: resolveStorePath(options.db, io.env),
      ...(options.rules === undefined ? {} : { rulesFile: options.rules }),
      ...(options.otlp === undefined ? {} : { otlpUrl: options.otlp }),
    });
  } catch (error) {
    // A port in use, a host that does not resolve or is not this machine's: the caller's to fix (exit 2, like any other bad option).
    if (error instanceof KeyscopeError && (error.code === ErrorCodes.dashboardPortInUse || error.code === ErrorCodes.dashboardListenFailed)) {
      io.stderr.write(`${formatError(error)}\n`);
      return exitStatusFor(error);
    }
    throw error;
  }
  io.stdout.write(`keyscope dashboard: ${dashboard.url}\n`);
  await stopped;
  await dashboard.close();
  return 0;
}
