/**
 * startDashboard: the dashboard's HTTP server (fastify). It opens the analytics database only while it uses it
 * (dashboard-database.ts: other commands run meanwhile), ingests the spools every tick and tells the open pages
 * over /api/live, evaluates the alerts on its own schedule, and answers the page-data endpoints, the saved
 * views, /metrics, the exports and the static app. Every request passes access-control.ts first.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

import { type AnalyticsPaths, resolveAnalyticsPaths } from '../analytics/events/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { createAccessControl, securityHeaders } from './http/access-control.js';
import { apiErrorBody, DashboardError } from './http/api-error.js';
import { ClientGoneError, DashboardDatabase } from './sources/dashboard-database.js';
import { IngestTicker } from './jobs/ingest-ticker.js';
import { LiveUpdates } from './http/live-updates.js';
import { registerPageRoutes } from './http/page-routes.js';
import { PageSources } from './pages/page-sources.js';
import { SavedViews } from './http/saved-views.js';
import { readAsset, readIndexHtml } from './http/static-files.js';

export interface DashboardOptions {
  /** Default 7357; 0 = any free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default resolveAnalyticsPaths() (KEYSCOPE_HOME). */
  paths?: AnalyticsPaths;
  /** Bench run store; default the CLI's resolveStorePath() rule. An absent file means no bench data. */
  storePath?: string;
  /** Alert rules; default defaultAlertRulesFile(home). */
  rulesFile?: string | null;
  /** Push metrics over OTLP/HTTP (JSON) to this URL when set. */
  otlpUrl?: string;
  /** Default: 32 random bytes, base64url. */
  token?: string;
  /** Ingest + live tick, default 1000 ms. */
  tickMs?: number;
}

export interface RunningDashboard {
  /** http://host:port/?token=… */
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export const defaultPort = 7357;
export const defaultHost = '127.0.0.1';

function errorReply(reply: FastifyReply, error: unknown): FastifyReply {
  // Skipped work of a client that has gone: there is nobody to answer (499, as nginx logs it).
  if (error instanceof ClientGoneError) return reply.code(499).send();
  if (error instanceof DashboardError) return reply.code(error.status).send(apiErrorBody(error.code, error.message));
  if (error instanceof KeyscopeError) {
    const status =
      error.code === ErrorCodes.errorGroupNotFound ? 404 : error.code === ErrorCodes.errorGroupAmbiguous ? 400 : error.code === ErrorCodes.analyticsBusy ? 503 : 500;
    return reply.code(status).send(apiErrorBody(error.code, error.message));
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // fastify's own refusals (a body that is not JSON, too large, a bad content type).
    return reply.code(fastifyError.statusCode).send(apiErrorBody(ErrorCodes.dashboardInvalidQuery, (fastifyError.message ?? 'bad request').split('\n')[0]!));
  }
  process.stderr.write(`keyscope dashboard: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
  return reply.code(500).send(apiErrorBody(ErrorCodes.dashboardInternal, 'the dashboard failed to answer this request (see its stderr)'));
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function portInUse(host: string, port: number, cause: unknown): KeyscopeError {
  return new KeyscopeError(ErrorCodes.dashboardPortInUse, `port ${port} on ${host} is in use (choose another with --port, or 0 for any free port)`, { cause });
}

/** System codes of a listen() that the caller's --host/--port caused: a name that does not resolve, an address not on this machine, a privileged port. */
const listenCodes: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'EACCES', 'EPERM']);

/** A listen error as a KeyscopeError with a stable code (one line naming host:port and the system code); others unchanged. */
function listenFailure(host: string, port: number, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return portInUse(host, port, error);
  if (code !== undefined && listenCodes.has(code)) {
    return new KeyscopeError(ErrorCodes.dashboardListenFailed, `cannot listen on ${hostForUrl(host)}:${port} (${code}; check --host and --port)`, { cause: error });
  }
  return error;
}

/**
 * Fails early on a port in use, before the analytics database is opened (which would make another dashboard
 * on the same home answer KS_ANALYTICS_BUSY instead of naming the port). listen() still checks for real.
 */
async function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) => reject(listenFailure(host, port, error)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

async function listen(app: FastifyInstance, host: string, port: number): Promise<number> {
  try {
    await app.listen({ host, port });
  } catch (error) {
    throw listenFailure(host, port, error);
  }
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : port;
}

export async function startDashboard(options: DashboardOptions = {}): Promise<RunningDashboard> {
  const host = options.host ?? defaultHost;
  const paths = options.paths ?? resolveAnalyticsPaths();
  const token = options.token ?? randomBytes(32).toString('base64url');
  let port = options.port ?? defaultPort;

  await checkPortFree(host, port);
  const database = await DashboardDatabase.open(paths);
  const live = new LiveUpdates();
  const views = new SavedViews(paths);
  let sources: PageSources | null = null;
  const ticker = new IngestTicker({ database, live, tickMs: options.tickMs ?? 1000, afterIngest: () => sources?.afterIngest() });
  try {
    sources = await PageSources.create({
      database,
      live,
      ingestStats: () => ticker.stats(),
      ...(options.storePath === undefined ? {} : { storePath: options.storePath }),
      ...(options.rulesFile === undefined ? {} : { rulesFile: options.rulesFile }),
      ...(options.otlpUrl === undefined ? {} : { otlpUrl: options.otlpUrl }),
    });
  } catch (error) {
    live.close();
    await database.close();
    throw error;
  }
  const pages = sources;

  // forceCloseConnections: close() must not wait for a browser's keep-alive connections (or a client that never reads).
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true });
  const access = createAccessControl({ token, host, port: () => port });
  app.addHook('onRequest', access.check);
  app.setErrorHandler((error, _request, reply) => errorReply(reply, error));
  app.setNotFoundHandler((request, reply) => reply.code(404).send(apiErrorBody(ErrorCodes.dashboardNotFound, `nothing at ${request.url.split('?')[0]}`)));

  const sendIndex = async (_request: FastifyRequest, reply: FastifyReply) => {
    const html = await readIndexHtml();
    if (html === null) throw new DashboardError(404, ErrorCodes.dashboardNotFound, 'the dashboard app is not built (run npm run build:ui)');
    return reply.type('text/html; charset=utf-8').send(html);
  };
  app.get('/', sendIndex);
  app.get('/index.html', sendIndex);
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const file = await readAsset(request.params.name);
    if (file === null) throw new DashboardError(404, ErrorCodes.dashboardNotFound, `no asset ${JSON.stringify(request.params.name)}`);
    return reply.type(file.contentType).send(file.body);
  });

  app.get('/api/live', (request, reply) => {
    reply.hijack();
    live.add(reply.raw, { ...securityHeaders });
    request.raw.on('close', () => reply.raw.end());
  });

  registerPageRoutes(app, { sources: pages, views, live });

  try {
    port = await listen(app, host, port);
  } catch (error) {
    live.close();
    await pages.close();
    await database.close();
    throw error;
  }
  ticker.start();
  pages.start();

  const origin = `http://${hostForUrl(host)}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    close() {
      closing ??= (async () => {
        live.close();
        await ticker.stop();
        await pages.close();
        await app.close();
        await database.close();
      })();
      return closing;
    },
  };
}
