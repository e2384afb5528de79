/**
 * Fetches one endpoint for the current view and refetches when the query or the live revision changes. The
 * previous answer stays on screen while a refetch runs, so live updates change numbers in place instead of
 * flashing empty panels; an answer that arrives after a newer request started is dropped.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiFailure, type DataSource } from './data-source.js';

export interface Loaded<T> {
  data: T | null;
  error: ApiFailure | null;
  loading: boolean;
}

export function useData<T>(source: DataSource, path: string | null, query: URLSearchParams | undefined, revision: number): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: path !== null });
  const latest = useRef(0);
  const key = `${path ?? ''}?${query?.toString() ?? ''}`;
  const lastKey = useRef(key);

  useEffect(() => {
    if (path === null) return;
    const ticket = ++latest.current;
    // A different query is a different answer: drop the old one. A live refetch keeps it on screen.
    const keep = lastKey.current === key;
    lastKey.current = key;
    setState((previous) => ({ data: keep ? previous.data : null, error: null, loading: true }));
    source.get<T>(path, query).then(
      (data) => {
        if (ticket === latest.current) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (ticket !== latest.current) return;
        const failure = error instanceof ApiFailure ? error : new ApiFailure(0, 'KS_NETWORK', error instanceof Error ? error.message : String(error));
        setState((previous) => ({ data: previous.data, error: failure, loading: false }));
      },
    );
    // `key` stands for path and query; `source` never changes during the app's life.
  }, [key, revision]);
  return state;
}
