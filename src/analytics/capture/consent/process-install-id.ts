/**
 * The install id of a library host that opted in without ever deciding in the CLI: random, for this process
 * only. Persisting one would mean writing consent.json, which holds the CLI's decision, not the host's.
 */
import { randomUUID } from 'node:crypto';

let id: string | null = null;

export function processInstallId(): string {
  id ??= randomUUID();
  return id;
}
