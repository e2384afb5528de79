import type { ViewState } from '../../http/api-types.js';
import type { DataSource } from '../data-source.js';

/** What every page gets from the app: the view, the data source and the live revision to refetch on. */
export interface PageProps {
  view: ViewState;
  source: DataSource;
  /** Bumped by the live stream whenever new data arrived. */
  revision: number;
}
