/**
 * Fetches one endpoint for the current view and refetches when the query or the live revision changes. The
 * previous answer stays on screen while a refetch runs, so live updates change numbers in place instead of
 * flashing empty panels; an answer that arrives after a newer request started is dropped.
 *
 * Live changes are coalesced: at most one request per key (path and query) is in flight. A change that arrives
 * while one is running only marks the answer stale, and one more request follows when it finishes; so a busy
 * spool (a change every second) never piles up requests behind a slow server, and the last answer shown is
 * never older than the last change.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiFailure, type DataSource } from './data-source.js';

export interface Loaded<T> {
  data: T | null;
  error: ApiFailure | null;
  loading: boolean;
}

interface InFlight {
  key: string;
  ticket: number;
  /** A live change arrived while this request ran: fetch once more when it ends. */
  stale: boolean;
}

export function useData<T>(source: DataSource, path: string | null, query: URLSearchParams | undefined, revision: number): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: path !== null });
  const latest = useRef(0);
  const inFlight = useRef<InFlight | null>(null);
  const mounted = useRef(true);
  const key = `${path ?? ''}?${query?.toString() ?? ''}`;
  const lastKey = useRef(key);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    if (path === null) {
      // The panel was hidden: an answer still on its way is dropped.
      latest.current++;
      inFlight.current = null;
      return;
    }
    // Same key already being fetched: a live change only makes its answer stale.
    if (inFlight.current?.key === key) {
      inFlight.current.stale = true;
      return;
    }
    // A different query is a different answer: drop the old one. A live refetch keeps it on screen.
    const keep = lastKey.current === key;
    lastKey.current = key;
    setState((previous) => ({ data: keep ? previous.data : null, error: null, loading: true }));

    const run = () => {
      const request: InFlight = { key, ticket: ++latest.current, stale: false };
      inFlight.current = request;
      const settle = (next: (previous: Loaded<T>) => Loaded<T>) => {
        // A newer request (another key) took over, or the panel is gone: this answer is nobody's.
        if (request.ticket !== latest.current || !mounted.current) return;
        inFlight.current = null;
        setState(next);
        if (request.stale) run();
      };
      source.get<T>(path, query).then(
        (data) => settle(() => ({ data, error: null, loading: request.stale })),
        (error: unknown) => {
          const failure = error instanceof ApiFailure ? error : new ApiFailure(0, 'KS_NETWORK', error instanceof Error ? error.message : String(error));
          settle((previous) => ({ data: previous.data, error: failure, loading: request.stale }));
        },
      );
    };
    run();
    // `key` stands for path and query; `source` never changes during the app's life.
  }, [key, revision]);
  return state;
}
