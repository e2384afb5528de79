/** Where the run store lives when the caller does not say: the one rule the CLI and the library share. */
import { join, resolve } from 'node:path';

/** The store file under the working directory when neither an explicit path nor KEYSCOPE_DB is given. */
export const defaultStoreFile = join('.keyscope', 'keyscope.duckdb');

/** `explicit`, else $KEYSCOPE_DB, else `<cwd>/.keyscope/keyscope.duckdb`; relative paths resolve against `cwd`. */
export function resolveStorePath(explicit?: string, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  // An empty KEYSCOPE_DB (e.g. `KEYSCOPE_DB= keyscope ...`) means "unset", not "the working directory".
  const chosen = explicit ?? (env.KEYSCOPE_DB ? env.KEYSCOPE_DB : undefined);
  return resolve(cwd, chosen ?? defaultStoreFile);
}
