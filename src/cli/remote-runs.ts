/** --server URL (with the token in KEYSCOPE_TOKEN): the team server's runs, for commands that read or write them. */
import { parseServerUrl, RemoteRuns, ServerClient, tokenFromEnv } from '../remote/index.js';

export interface ServerOption {
  /** The team server's URL. */
  server?: string;
}

export const serverOption = ['--server <url>', "the team's keyscope server (token in $KEYSCOPE_TOKEN)"] as const;

export function openRemoteRuns(server: string, env: NodeJS.ProcessEnv): RemoteRuns {
  const url = parseServerUrl(server);
  return new RemoteRuns(new ServerClient(url, tokenFromEnv(env)));
}
