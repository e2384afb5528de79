/**
 * Where the app's data comes from: the dashboard's JSON API (same origin; the access token travels in the
 * HttpOnly cookie the server set on the first load), or the snapshot embedded in an exported HTML file, which
 * answers from its own data and never touches the network.
 */
import type { ApiError, ViewState } from '../http/api-types.js';

export interface Snapshot {
  view: ViewState;
  generatedAt: string;
  /** Keyed by API path without `/api/`: overview, performance, errors, usage, system, alerts, recommendations, filters. */
  data: Record<string, unknown>;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface DataSource {
  readonly snapshot: Snapshot | null;
  get<T>(path: string, query?: URLSearchParams): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/** The snapshot element of an exported file, or null in the live app. */
export function readSnapshot(doc: Document): Snapshot | null {
  const element = doc.getElementById('keyscope-snapshot');
  if (!element) return null;
  const parsed = JSON.parse(element.textContent ?? 'null') as Snapshot | null;
  if (!parsed || typeof parsed !== 'object' || !parsed.view || !parsed.data) throw new Error('the embedded snapshot is malformed');
  return parsed;
}

async function failureOf(response: Response): Promise<ApiFailure> {
  let body: Partial<ApiError> | null = null;
  try {
    body = (await response.json()) as Partial<ApiError>;
  } catch {
    // Not a JSON error body (a proxy, a crash): the status line is all there is.
  }
  if (response.status === 401) {
    return new ApiFailure(401, body?.error?.code ?? 'KS_UNAUTHORIZED', 'Not authorised: open the URL that `keyscope dashboard` printed (it carries the access token).');
  }
  return new ApiFailure(response.status, body?.error?.code ?? `HTTP_${response.status}`, body?.error?.message ?? `${response.status} ${response.statusText}`);
}

export function apiSource(): DataSource {
  async function request<T>(method: string, path: string, query?: URLSearchParams, body?: unknown): Promise<T> {
    const url = query && [...query.keys()].length > 0 ? `${path}?${query.toString()}` : path;
    const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    }
    const response = await fetch(url, init);
    if (!response.ok) throw await failureOf(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
  return {
    snapshot: null,
    get: (path, query) => request('GET', path, query),
    send: (method, path, body) => request(method, path, undefined, body),
  };
}

export function snapshotSource(snapshot: Snapshot): DataSource {
  return {
    snapshot,
    get<T>(path: string): Promise<T> {
      const key = path.replace(/^\/api\//, '');
      if (!(key in snapshot.data)) return Promise.reject(new ApiFailure(404, 'KS_NOT_IN_SNAPSHOT', 'Not part of this exported snapshot.'));
      return Promise.resolve(snapshot.data[key] as T);
    },
    send() {
      return Promise.reject(new ApiFailure(405, 'KS_SNAPSHOT_READ_ONLY', 'An exported snapshot is read-only.'));
    },
  };
}
