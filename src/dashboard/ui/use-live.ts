/**
 * The live stream: one EventSource on /api/live; every `change` event bumps a revision, which the pages pass to
 * their data hooks as the signal to refetch. Saved-view changes bump their own revision so that a save does
 * not refetch every chart.
 */
import { useEffect, useState } from 'preact/hooks';

import type { LiveChange } from '../http/api-types.js';

export interface LiveState {
  status: 'off' | 'connecting' | 'live' | 'offline';
  revision: number;
  viewsRevision: number;
  /** When the last change arrived (browser clock). */
  lastUpdate: Date | null;
}

export function useLive(enabled: boolean): LiveState {
  const [state, setState] = useState<LiveState>({ status: enabled ? 'connecting' : 'off', revision: 0, viewsRevision: 0, lastUpdate: null });
  useEffect(() => {
    if (!enabled) return;
    const events = new EventSource('/api/live');
    events.onopen = () => setState((s) => ({ ...s, status: 'live' }));
    // EventSource reconnects by itself; until it does, say so.
    events.onerror = () => setState((s) => ({ ...s, status: events.readyState === EventSource.CLOSED ? 'offline' : 'connecting' }));
    events.addEventListener('change', (message: MessageEvent<string>) => {
      let change: LiveChange;
      try {
        change = JSON.parse(message.data) as LiveChange;
      } catch {
        return;
      }
      const kinds = Array.isArray(change.kinds) ? change.kinds : [];
      const data = kinds.length === 0 || kinds.some((kind) => kind !== 'views');
      setState((s) => ({
        status: 'live',
        revision: data ? s.revision + 1 : s.revision,
        viewsRevision: kinds.includes('views') ? s.viewsRevision + 1 : s.viewsRevision,
        lastUpdate: new Date(),
      }));
    });
    return () => events.close();
  }, [enabled]);
  return state;
}
