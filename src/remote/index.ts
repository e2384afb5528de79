/** The client of the team server (src/server): its runs read like a store's, and push/pull between the two. */
export { RemoteRuns } from './remote-runs.js';
export { parseServerUrl, ServerClient, type ServerClientOptions, ServerRequestError, tokenFromEnv } from './server-client.js';
export { pullRuns, pushRuns, type SyncedRun } from './sync-runs.js';
