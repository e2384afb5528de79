/**
 * GET /api/live: server-sent events. Each open stream gets a `change` event (LiveChange) whenever the server
 * saw something change (an ingest tick moved events in, an error status or saved view changed, the firing
 * alerts changed), and a comment line every 15 s so that proxies and the browser keep an idle stream open.
 */
import type { ServerResponse } from 'node:http';

import type { LiveChange } from './api-types.js';

export const heartbeatMs = 15_000;

export class LiveUpdates {
  readonly #streams = new Set<ServerResponse>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor() {
    this.#heartbeat = setInterval(() => {
      for (const stream of this.#streams) stream.write(': heartbeat\n\n');
    }, heartbeatMs);
    this.#heartbeat.unref();
  }

  get streams(): number {
    return this.#streams.size;
  }

  /** Takes over a response (headers already decided by the caller) as an event stream until the client leaves. */
  add(stream: ServerResponse, headers: Record<string, string>): void {
    stream.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    // The first bytes tell the browser the stream is open (EventSource fires `open` on them).
    stream.write(': connected\n\n');
    this.#streams.add(stream);
    stream.on('close', () => this.#streams.delete(stream));
  }

  send(change: LiveChange): void {
    const message = `event: change\ndata: ${JSON.stringify(change)}\n\n`;
    for (const stream of this.#streams) stream.write(message);
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const stream of this.#streams) stream.end();
    this.#streams.clear();
  }
}
