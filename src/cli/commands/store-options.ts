/** The options that name the run store, the same in every command that reads or writes it. */
import { Option } from 'commander';

import type { StoreOption } from '../runs-command.js';

/** Every command that reads or writes the run store names it --db (as KEYSCOPE_DB does). */
export const dbOption = ['--db <path>', 'run store (default: $KEYSCOPE_DB or .keyscope/keyscope.duckdb)'] as const;

/** --store: dashboard's and recommend's first name for --db, still accepted there but no longer shown. */
export interface StoreAlias {
  store?: string;
}

export const storeAlias = () => new Option('--store <path>', 'same as --db').hideHelp().conflicts('db');

export function fromStoreAlias<T extends StoreOption>({ store, ...options }: T & StoreAlias): T {
  return { ...options, db: options.db ?? store } as T;
}
