/**
 * The client side of the team server's HTTP API (src/server/http-app.ts): requests with the token, answers
 * checked, failures as one coded error. Every write the API has is idempotent (a run is stored once under its
 * id), so a request that failed in a way a retry may get past (no answer, the connection cut, 429, 503) is
 * retried with backoff; a failure that remains is reported as what it is, never as a success.
 */
import { ErrorCodes, type ErrorCode, KeyscopeError } from '../core/index.js';

export interface ServerClientOptions {
  /** Tries after the first for retryable failures (default 4). */
  retries?: number;
  /** First backoff, ms; it doubles each try, with jitter (default 250). */
  backoffMs?: number;
  /** One request's limit, ms (default 120 s: a run of millions of samples takes seconds to send). */
  timeoutMs?: number;
}

export interface RequestOptions {
  /** A 404 answer is undefined rather than an error. */
  missingOk?: boolean;
  /** Reads the answer's text (default JSON.parse). */
  parse?: (text: string) => unknown;
}

/** A failure of a request: its code, and whether a later try may succeed (nothing was stored). */
export class ServerRequestError extends KeyscopeError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

const knownCodes: ReadonlySet<string> = new Set(Object.values(ErrorCodes));
/** Statuses of a server (or a proxy before it) that is busy, restarting or away: a later try may succeed. */
const transientStatuses: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** The server's URL as given: http or https, no path beyond "/", no credentials in it. */
export function parseServerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new KeyscopeError(ErrorCodes.usage, `--server must be an http:// or https:// URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new KeyscopeError(ErrorCodes.usage, `--server must be an http:// or https:// URL, got ${JSON.stringify(text)}`);
  if (url.username || url.password) throw new KeyscopeError(ErrorCodes.usage, '--server must not carry credentials: the token comes from KEYSCOPE_TOKEN');
  return url;
}

/** KEYSCOPE_TOKEN, or a coded error saying where a token comes from. */
export function tokenFromEnv(env: NodeJS.ProcessEnv): string {
  const token = env.KEYSCOPE_TOKEN?.trim();
  if (!token) throw new KeyscopeError(ErrorCodes.serverNoToken, 'no token: set KEYSCOPE_TOKEN to a token from "keyscope server token create"');
  return token;
}

/** OpenSSL's and Node's codes for a certificate that does not verify. */
const untrustedCertificate = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID/;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Why fetch failed, as "ECONNREFUSED" or the like (undici keeps the system error as the cause). */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return 'no answer in time';
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

export class ServerClient {
  readonly origin: string;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;

  constructor(
    url: URL,
    private readonly token: string,
    options: ServerClientOptions = {},
  ) {
    this.origin = url.origin;
    this.retries = options.retries ?? 4;
    this.backoffMs = options.backoffMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** The answer's JSON (read by `parse`, if given); a 404 is undefined when `missingOk`. */
  async request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T | undefined> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, text, options);
      } catch (error) {
        if (!(error instanceof ServerRequestError) || !error.retryable || attempt >= this.retries) throw error;
        await sleep(this.backoffMs * 2 ** attempt * (0.5 + Math.random()));
      }
    }
  }

  private async once<T>(method: string, path: string, body: string | undefined, { missingOk = false, parse = JSON.parse }: RequestOptions): Promise<T | undefined> {
    let response: Response;
    try {
      response = await fetch(`${this.origin}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason = networkReason(error);
      // A certificate the client does not trust, or a name that does not resolve, stays so: no retry.
      if (untrustedCertificate.test(reason)) {
        throw new ServerRequestError(ErrorCodes.serverUnreachable, `the keyscope server at ${this.origin} has a TLS certificate this machine does not trust (${reason}): trust its CA with NODE_EXTRA_CA_CERTS=ca.pem`, false, null, { cause: error });
      }
      throw new ServerRequestError(ErrorCodes.serverUnreachable, `cannot reach the keyscope server at ${this.origin} (${reason})`, reason !== 'ENOTFOUND', null, { cause: error });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The answer was cut off: whether a write happened is unknown, and a retry is safe (writes are idempotent).
      throw new ServerRequestError(ErrorCodes.serverUnreachable, `the keyscope server at ${this.origin} stopped answering (${networkReason(error)})`, true, response.status, { cause: error });
    }
    let json: unknown;
    try {
      json = parse(text);
    } catch {
      throw new ServerRequestError(ErrorCodes.serverProtocol, `${this.origin} answered ${method} ${path} with HTTP ${response.status} and no keyscope JSON: is it a keyscope server?`, response.status >= 502, response.status);
    }
    if (response.ok) return json as T;
    if (response.status === 404 && missingOk) return undefined;
    const failure = (json as { error?: { code?: unknown; message?: unknown; retryable?: unknown } }).error;
    const known = typeof failure?.code === 'string' && knownCodes.has(failure.code);
    if (!known && transientStatuses.has(response.status)) {
      // Not keyscope's own answer but a busy or stopping server's (fastify while it closes, a proxy): worth a retry.
      throw new ServerRequestError(ErrorCodes.serverUnavailable, `${this.origin} answered HTTP ${response.status}: the server is busy or restarting`, true, response.status);
    }
    const code = known ? (failure!.code as ErrorCode) : ErrorCodes.serverProtocol;
    const message = typeof failure?.message === 'string' ? failure.message.split('\n')[0]! : `HTTP ${response.status}`;
    throw new ServerRequestError(code, `${this.origin}: ${message}`, failure?.retryable === true, response.status);
  }
}
