/**
 * Stopping the server while clients talk to it: a request in flight when close() begins is answered, with
 * Connection: close, so a client's keep-alive connection does not hold the stopping server open; the client's next
 * request finds the server gone and says so as a failure worth retrying. And a 503 that is not keyscope's own (a
 * proxy in front, a server stopping) is retryable for the client too.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { ServerClient, ServerRequestError } from '../../src/remote/index.js';
import { createToken, startServer } from '../../src/server/index.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/postgres.js';

describeWithPostgres('stopping the server', () => {
  let database: TestDatabase;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase({ role: true });
    const first = await startServer({ databaseUrl: database.url, port: 0 });
    await first.close();
    const pool = new pg.Pool({ connectionString: database.url });
    token = (await createToken(pool, { project: 'p', scopes: ['runs:read'] }).finally(() => pool.end())).token;
  });
  afterAll(() => database?.drop());

  it('answers the request in flight with Connection: close, and the next one fails retryable, not as a protocol error', async () => {
    const server = await startServer({ databaseUrl: database.url, port: 0 });
    let release!: () => void;
    const slowBody = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('{"ids":['));
        await new Promise<void>((resolve) => (release = resolve));
        controller.enqueue(new TextEncoder().encode(']}'));
        controller.close();
      },
    });
    const inFlight = fetch(`${server.url}/v1/runs/missing`, {
      method: 'POST',
      body: slowBody,
      duplex: 'half',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    } as RequestInit);
    // The request has reached the server (its head and half its body) when close() begins.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = server.close();
    release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.headers.get('connection')).toBe('close');
    expect(await answer.json()).toEqual({ missing: [] });
    await closed;

    const client = new ServerClient(new URL(server.url), token, { retries: 0 });
    const next = await client.request('POST', '/v1/runs/missing', { ids: [] }).catch((error: unknown) => error);
    expect(next).toBeInstanceOf(ServerRequestError);
    expect(next).toMatchObject({ code: 'KS_SERVER_UNREACHABLE', retryable: true });
  });
});

it("retries a 503 that is not keyscope's own (fastify while it stops, a proxy), and reports it as the server being away", async () => {
  let calls = 0;
  const proxy = createServer((_request, response) => {
    calls++;
    response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"Service Unavailable","message":"Service Unavailable","statusCode":503}');
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  try {
    const client = new ServerClient(new URL(`http://127.0.0.1:${port}`), 'ks_0000000000000000_x', { retries: 2, backoffMs: 1 });
    const failure = await client.request('GET', '/v1/runs').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'KS_SERVER_UNAVAILABLE', retryable: true, status: 503 });
    expect(calls).toBe(3);
  } finally {
    await new Promise((resolve) => proxy.close(resolve));
  }
});
