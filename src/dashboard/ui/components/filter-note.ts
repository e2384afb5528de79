/**
 * Which of the view's filters a panel ignores. The server says, per panel, which filters its numbers honour
 * (a session has no algorithm, an error no implementation); a set filter the panel does not honour would make
 * its numbers look filtered when they are not, so the panel says so.
 */
import type { FilterName, ViewState } from '../../http/api-types.js';

const filterNames: readonly FilterName[] = ['algorithm', 'implementation', 'operation', 'outcome'];

/** Panels whose data the app fetches without the view's filters (alerts, recommendations) honour none. */
export const honoursNoFilter: readonly FilterName[] = [];

/**
 * The filters set in `view` that `honoured` does not list, in toolbar order. `undefined` means the answer did
 * not say (no data yet, or a server from before the field): then nothing is claimed either way.
 */
export function unappliedFilters(view: ViewState, honoured: readonly FilterName[] | undefined): FilterName[] {
  if (!honoured) return [];
  return filterNames.filter((name) => view[name] !== undefined && view[name] !== '' && !honoured.includes(name));
}

