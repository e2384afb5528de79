/**
 * The server's HTTP API (fastify). Every request under /v1 but /v1/health carries `Authorization: Bearer <token>`;
 * each route names the scope it needs and sees only the token's project. Limits come before any work: the rate
 * limit per token (or per address, for requests without a well-formed one) before the token is looked up, the
 * token before the body is read, the body's size while it is read.
 *
 *   GET    /v1/health                 no token: {ok, schema, version}
 *   GET    /v1/whoami                 any token: its project and scopes
 *   POST   /v1/runs                   runs:write: a keyscope-run document (as `runs export` writes); 201 stored, 200 already stored, 409 another run under that id
 *   POST   /v1/runs/missing           runs:write or runs:read: {ids} -> {missing}, for push to send only what the server lacks
 *   GET    /v1/runs?branch&testbed&status&label&idPrefix&limit   runs:read: listings, newest first
 *   POST   /v1/runs/overviews         runs:read: runs with their cases' summaries and block medians (a history), no samples
 *   GET    /v1/runs/:id               runs:read: the run's document
 *   DELETE /v1/runs/:id               admin: removes the run
 */
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { z } from 'zod';

import { ErrorCodes, KeyscopeError, keyscopeVersion } from '../core/index.js';
import { decodeInlineDocument, encodeDocument } from '../store/index.js';
import { isTransientDatabaseError } from './database.js';
import { describeRequestIssue, listQuery, missingQuery, overviewQuery, runIdParams } from './request-schemas.js';
import { deleteRun, listRuns, missingRuns, readOverviewsJson, readRun, saveRun } from './run-table.js';
import { errorBody, type ErrorBody, ServerError } from './server-error.js';
import { type Caller, checkToken, type TokenScope } from './tokens.js';

export interface AppOptions {
  pool: pg.Pool;
  schema: number;
  /** Largest request body, bytes. */
  bodyLimit: number;
  /** Requests per token (or address) per minute. */
  rateLimit: number;
  https?: { cert: Buffer; key: Buffer };
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

const bearer = /^Bearer\s+(\S+)\s*$/i;
const tokenIdOf = /^ks_([0-9a-f]{16})_/;

function parsed<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new ServerError(400, ErrorCodes.serverBadRequest, describeRequestIssue(result.error));
  return result.data;
}

function need(request: FastifyRequest, ...scopes: TokenScope[]): Caller {
  const caller = request.caller!;
  if (!scopes.some((scope) => caller.scopes.has(scope))) {
    throw new ServerError(403, ErrorCodes.serverForbidden, `this token (project ${caller.project}) lacks the ${scopes.join(' or ')} scope`);
  }
  return caller;
}

/** Fastify's own errors (parsing, limits) as coded answers. */
function fastifyFailure(error: FastifyError): ServerError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ServerError(413, ErrorCodes.serverBodyTooLarge, `the request body is larger than this server accepts (${error.message.replace(/^Request body is too large$/, 'see --body-limit')})`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ServerError(415, ErrorCodes.serverContentType, 'the request body must be application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ServerError(400, ErrorCodes.serverBadRequest, 'the request body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return new ServerError(400, ErrorCodes.serverBadRequest, 'the request is malformed');
    default:
      if (error instanceof SyntaxError || error.statusCode === 400) return new ServerError(400, ErrorCodes.serverBadRequest, 'the request body is not valid JSON');
      if (error.statusCode === 429) return new ServerError(429, ErrorCodes.serverRateLimited, 'too many requests for this token: slow down and retry');
      return null;
  }
}

function failureOf(error: unknown): ServerError {
  if (error instanceof ServerError) return error;
  // The rate limit throws what its errorResponseBuilder made: our own body.
  const built = (error as Partial<ErrorBody> | null)?.error;
  if (built?.code === ErrorCodes.serverRateLimited) return new ServerError(429, ErrorCodes.serverRateLimited, built.message);
  if (error instanceof KeyscopeError) return new ServerError(500, ErrorCodes.serverInternal, error.message);
  if (isTransientDatabaseError(error)) return new ServerError(503, ErrorCodes.serverUnavailable, 'the database is unavailable: nothing was stored; retry');
  const known = fastifyFailure(error as FastifyError);
  if (known) return known;
  return new ServerError(500, ErrorCodes.serverInternal, 'the server failed to answer (a keyscope bug)');
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { pool } = options;
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit,
    // A graceful stop (SIGTERM) finishes the requests in flight and closes idle keep-alive connections; a client
    // that stalls mid-request cannot hold it open for longer than the request timeout.
    forceCloseConnections: 'idle',
    requestTimeout: 300_000,
    // While it stops, the server still answers requests on open connections itself (with Connection: close,
    // below), rather than fastify's 503 without a keyscope code.
    return503OnClosing: false,
    ...(options.https ? { https: options.https } : {}),
  }) as unknown as FastifyInstance;
  app.decorateRequest('caller', null);
  // JSON only: fastify would otherwise read text/plain bodies as strings, to be refused later as "not a run".
  app.removeContentTypeParser('text/plain');

  // Once close() begins, every answer closes its connection: a client's keep-alive connection would otherwise hold
  // the stopping server open until its keep-alive timeout (72 s).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });

  app.setErrorHandler((error, _request, reply) => {
    const failure = failureOf(error);
    if (failure.status === 503) void reply.header('retry-after', '2');
    void reply.code(failure.status).send(errorBody(failure.status, failure.code, failure.message));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(errorBody(404, ErrorCodes.serverNotFound, `nothing at ${request.method} ${request.url.split('?')[0]}`));
  });

  await app.register(rateLimit, {
    max: options.rateLimit,
    timeWindow: 60_000,
    hook: 'onRequest',
    keyGenerator: (request) => {
      const token = bearer.exec(request.headers.authorization ?? '')?.[1];
      const id = token === undefined ? undefined : tokenIdOf.exec(token)?.[1];
      return id === undefined ? `address ${request.ip}` : `token ${id}`;
    },
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      ...errorBody(429, ErrorCodes.serverRateLimited, `more than ${context.max} requests a minute for this token: retry in ${Math.ceil(context.ttl / 1000)} s`),
    }),
  });

  // preParsing: after every onRequest hook (the rate limit adds its own to each route, after the global ones), so
  // a flood is refused before the database is asked about its token; and before the body is read.
  app.addHook('preParsing', async (request) => {
    if (request.url === '/v1/health') return;
    const header = request.headers.authorization;
    const token = header === undefined ? undefined : bearer.exec(header)?.[1];
    if (token === undefined) throw new ServerError(401, ErrorCodes.serverUnauthorized, 'no token: send Authorization: Bearer <token> (keyscope server token create)');
    const checked = await checkToken(pool, token);
    if (!checked.ok) throw new ServerError(401, ErrorCodes.serverUnauthorized, checked.reason);
    request.caller = checked.caller;
  });

  app.get('/v1/health', async () => {
    // A server whose database is away is not healthy: a load balancer should hear so.
    await pool.query('SELECT 1');
    return { ok: true, schema: options.schema, version: keyscopeVersion };
  });

  app.get('/v1/whoami', (request) => {
    const caller = request.caller!;
    return { project: caller.project, token: caller.tokenId, scopes: [...caller.scopes] };
  });

  app.post('/v1/runs', async (request, reply: FastifyReply) => {
    const caller = need(request, 'runs:write');
    const run = decodeInlineDocument(request.body);
    if (typeof run === 'string') throw new ServerError(400, ErrorCodes.serverBadRequest, `not a keyscope run document: ${run}`);
    const outcome = await saveRun(pool, caller.projectId, run);
    if (outcome.stored) return reply.code(201).send({ id: run.id, stored: true });
    if (outcome.reason === 'same') return reply.code(200).send({ id: run.id, stored: false });
    throw new ServerError(409, ErrorCodes.serverRunConflict, `project ${caller.project} already has a different run with id ${run.id}; nothing was changed`);
  });

  app.post('/v1/runs/missing', async (request) => {
    const caller = need(request, 'runs:write', 'runs:read');
    const { ids } = parsed(missingQuery, request.body);
    return { missing: await missingRuns(pool, caller.projectId, ids) };
  });

  app.get('/v1/runs', async (request) => {
    const caller = need(request, 'runs:read');
    return { runs: await listRuns(pool, caller.projectId, parsed(listQuery, request.query)) };
  });

  app.post('/v1/runs/overviews', async (request, reply) => {
    const caller = need(request, 'runs:read');
    const runs = await readOverviewsJson(pool, caller.projectId, parsed(overviewQuery, request.body));
    return reply.type('application/json; charset=utf-8').send(`{"runs":${runs}}`);
  });

  app.get('/v1/runs/:id', async (request) => {
    const caller = need(request, 'runs:read');
    const { id } = parsed(runIdParams, request.params);
    const run = await readRun(pool, caller.projectId, id);
    if (!run) throw new ServerError(404, ErrorCodes.serverNotFound, `project ${caller.project} has no run ${id}`);
    return encodeDocument(run, 'inline');
  });

  app.delete('/v1/runs/:id', async (request) => {
    const caller = need(request, 'admin');
    const { id } = parsed(runIdParams, request.params);
    if (!(await deleteRun(pool, caller.projectId, id))) throw new ServerError(404, ErrorCodes.serverNotFound, `project ${caller.project} has no run ${id}`);
    return { id, deleted: true };
  });

  return app;
}
