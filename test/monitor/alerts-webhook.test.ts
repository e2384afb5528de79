import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { ErrorCodes, KeyscopeError } from '../../src/core/errors.js';
import { type Alert, AlertNotifier, sendAlertsToWebhook } from '../../src/monitor/alerts/index.js';

function alert(id: string, severity: Alert['severity'] = 'warning'): Alert {
  return {
    id,
    rule: id.split(':')[0]!,
    kind: 'threshold',
    severity,
    title: `${id} fired`,
    algorithm: 'rsa-2048',
    since: '2025-06-01T11:50:00.000Z',
    evidence: { metric: 'p99 latency (ns)', value: 300e6, baseline: 250e6, window: { since: '2025-06-01T11:50:00.000Z', until: '2025-06-01T12:00:00.000Z' }, events: 100 },
  };
}

interface Received {
  method: string;
  contentType: string | undefined;
  body: string;
}

let server: Server | null = null;

/** A local receiver that records each request and answers with `respond` (which may never answer). */
async function receiver(respond: (response: ServerResponse) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', contentType: request.headers['content-type'], body });
      respond(response);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=secret`, received };
}

afterEach(async () => {
  if (server === null) return;
  server.closeAllConnections();
  await new Promise((resolve) => server!.close(resolve));
  server = null;
});

async function failure(promise: Promise<unknown>): Promise<KeyscopeError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KeyscopeError);
  expect((error as KeyscopeError).code).toBe(ErrorCodes.webhookFailed);
  return error as KeyscopeError;
}

describe('sendAlertsToWebhook', () => {
  it('POSTs { source, sentAt, alerts } as JSON', async () => {
    const { url, received } = await receiver((response) => response.writeHead(204).end());
    const alerts = [alert('slow:rsa-2048', 'critical'), alert('errors:*')];
    const before = Date.now();
    await sendAlertsToWebhook(url, alerts);
    expect(received).toHaveLength(1);
    expect(received[0]!.method).toBe('POST');
    expect(received[0]!.contentType).toBe('application/json');
    const payload = JSON.parse(received[0]!.body) as { source: string; sentAt: string; alerts: Alert[] };
    expect(payload.source).toBe('keyscope');
    expect(payload.alerts).toEqual(alerts);
    expect(Date.parse(payload.sentAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('fails with KS_WEBHOOK_FAILED on a 500, without echoing the query (it may hold a token)', async () => {
    const { url } = await receiver((response) => response.writeHead(500, 'Internal Server Error').end('boom'));
    const error = await failure(sendAlertsToWebhook(url, [alert('a:*')]));
    expect(error.message).toMatch(/^webhook http:\/\/127\.0\.0\.1:\d+\/hook: answered 500 Internal Server Error$/);
    expect(error.message).not.toContain('secret');
  });

  it('fails with KS_WEBHOOK_FAILED when the receiver does not answer in time', async () => {
    const { url, received } = await receiver(() => {
      /* never answers */
    });
    const error = await failure(sendAlertsToWebhook(url, [alert('a:*')], { timeoutMs: 300 }));
    expect(error.message).toMatch(/: no answer within 300 ms$/);
    expect(received).toHaveLength(1);
  });

  it('fails with KS_WEBHOOK_FAILED when nothing listens', async () => {
    const { url } = await receiver((response) => response.end());
    server!.close();
    await new Promise((resolve) => setImmediate(resolve));
    server = null;
    const error = await failure(sendAlertsToWebhook(url, [alert('a:*')]));
    expect(error.message).toMatch(/: cannot be reached \(ECONNREFUSED\)$/);
  });
  it('refuses a URL that is not http(s) without trying it', async () => {
    expect((await failure(sendAlertsToWebhook('file:///etc/passwd', [alert('a:*')]))).message).toBe('webhook file:///etc/passwd: is not an http:// or https:// URL');
    expect((await failure(sendAlertsToWebhook('not a url', [alert('a:*')]))).message).toBe('webhook (invalid URL): is not an http:// or https:// URL');
  });
});

describe('AlertNotifier', () => {
  it('returns the alerts that were not firing at the previous call', () => {
    const notifier = new AlertNotifier();
    const [a, b, c] = [alert('a:*'), alert('b:rsa-2048'), alert('c:*')];
    expect(notifier.newlyFiring([a!, b!])).toEqual([a, b]);
    expect(notifier.newlyFiring([a!, b!])).toEqual([]);
    expect(notifier.newlyFiring([b!, c!])).toEqual([c]);
    // a stopped firing at the previous call: firing again is news again.
    expect(notifier.newlyFiring([a!, b!, c!])).toEqual([a]);
    expect(notifier.newlyFiring([])).toEqual([]);
    expect(notifier.newlyFiring([b!])).toEqual([b]);
  });

  it('returns forgotten alerts again at the next call, so a failed delivery is retried', () => {
    const notifier = new AlertNotifier();
    const [a, b, c] = [alert('a:*'), alert('b:rsa-2048'), alert('c:*')];
    expect(notifier.newlyFiring([a!, b!])).toEqual([a, b]);
    // Sending a and b failed: forget them; b still fires at the next call and is news again, a stopped.
    notifier.forget([a!.id, b!.id]);
    expect(notifier.newlyFiring([b!, c!])).toEqual([b, c]);
    // Delivered this time: nothing new while they keep firing.
    expect(notifier.newlyFiring([b!, c!])).toEqual([]);
    // Forgetting only some ids leaves the others remembered; an unknown id is harmless.
    notifier.forget([c!.id, 'never-fired:*']);
    expect(notifier.newlyFiring([b!, c!])).toEqual([c]);
  });
});
