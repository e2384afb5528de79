/** `keyscope push [RUN…]` and `keyscope pull`: runs between the local store and the team server. */
import { storedRunId } from '../compare/index.js';
import { pullRuns, pushRuns, type SyncedRun } from '../remote/index.js';
import { openStore, resolveStorePath, type RunStore } from '../store/index.js';
import type { CommandIO } from './command-context.js';
import { openRemoteRuns } from './remote-runs.js';
import type { StoreOption } from './runs-command.js';

export interface SyncOptions extends StoreOption {
  server: string;
  branch?: string;
  json?: boolean;
}

function line(verb: string, run: SyncedRun): string {
  const where = run.commit ? `${run.branch ?? '(detached)'}@${run.commit.slice(0, 10)}` : (run.branch ?? 'no git');
  return `${verb} ${run.id}  ${where}  testbed ${run.testbed}  ${run.samples} samples\n`;
}

async function withLocalStore<T>(options: StoreOption, create: boolean, work: (store: RunStore) => Promise<T>): Promise<T> {
  const store = await openStore(resolveStorePath(options.db), create ? { create: true } : { readOnly: true });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export async function runPush(references: string[], options: SyncOptions, io: CommandIO): Promise<void> {
  const remote = openRemoteRuns(options.server, io.env);
  const result = await withLocalStore(options, false, async (store) => {
    const ids = [];
    for (const reference of references) ids.push(await storedRunId(store, reference));
    return pushRuns(store, remote, ids, (run) => {
      if (!options.json) io.stdout.write(line('pushed', run));
    });
  });
  if (options.json) io.stdout.write(`${JSON.stringify({ server: remote.path.replace(/^server /, ''), pushed: result.pushed, already: result.already })}\n`);
  else io.stdout.write(`${result.pushed.length} run${result.pushed.length === 1 ? '' : 's'} pushed to ${remote.path}, ${result.already} already there\n`);
}

export async function runPull(options: SyncOptions, io: CommandIO): Promise<void> {
  const remote = openRemoteRuns(options.server, io.env);
  const result = await withLocalStore(options, true, (store) =>
    pullRuns(store, remote, options.branch, (run) => {
      if (!options.json) io.stdout.write(line('pulled', run));
    }),
  );
  if (options.json) io.stdout.write(`${JSON.stringify({ server: remote.path.replace(/^server /, ''), pulled: result.pulled, already: result.already })}\n`);
  else io.stdout.write(`${result.pulled.length} run${result.pulled.length === 1 ? '' : 's'} pulled from ${remote.path}, ${result.already} already here\n`);
}
