/** `keyscope runs list|show|export|import|delete`: the run store from the command line. */
import { formatNs, formatPrecision, type RunRecord } from '../model/index.js';
import { summaryTable } from '../bench/index.js';
import { resolveRun, storedRunId, type StoreProvider } from '../compare/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { openStore, resolveStorePath, type RunStore } from '../store/index.js';
import { inCliTerms } from './cli-terms.js';
import type { CommandIO } from './command-context.js';

export interface StoreOption {
  db?: string;
}

async function withStore<T>(
  options: StoreOption,
  fn: (store: RunStore) => Promise<T>,
  { create = false, readOnly = false }: { create?: boolean; readOnly?: boolean } = {},
): Promise<T> {
  // Reading commands never create a store: a mistyped --db should say so, not leave an empty file behind.
  const store = await openStore(resolveStorePath(options.db), readOnly ? { readOnly } : { create });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v), 2)}\n`;
}

export async function runsList(options: StoreOption & { json?: boolean }, io: CommandIO): Promise<void> {
  const runs = await withStore(options, (store) => store.listRuns(), { readOnly: true });
  if (options.json) {
    io.stdout.write(json(runs));
    return;
  }
  if (runs.length === 0) {
    io.stdout.write('no runs stored\n');
    return;
  }
  const columns = ['id', 'started', 'status', 'label', 'cases', 'samples', 'testbed', 'git'];
  const rows = runs.map((run) => [
    run.id,
    run.startedAt,
    run.status,
    run.label ?? '-',
    String(run.cases),
    String(run.samples),
    run.testbed,
    run.commit ? `${run.branch ?? '(detached)'}@${run.commit.slice(0, 10)}` : '-',
  ]);
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => row[i]!.length)));
  // Counts are right-aligned so their digits line up; the last column is not padded (no trailing spaces).
  const numeric = new Set(['cases', 'samples']);
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : numeric.has(columns[i]!) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  io.stdout.write(`${[columns, ...rows].map(line).join('\n')}\n`);
}

function describeRun(run: RunRecord): string {
  const env = run.environment;
  const lines = [
    `run ${run.id} (${run.status})${run.label ? ` label ${run.label}` : ''}`,
    `  ${run.startedAt} .. ${run.endedAt}`,
    run.git ? `  git ${run.git.branch ?? '(detached)'}@${run.git.commit}${run.git.dirty ? ' (dirty)' : ''}` : '  git: none',
    `  testbed ${run.testbed}`,
    `  ${env.cpuModel}, ${env.cores} cores${env.pinnedCpu === null ? '' : `, pinned to CPU ${env.pinnedCpu}`}; ${env.platform}-${env.arch} ${env.kernel}`,
    `  Node ${env.node}, OpenSSL ${env.openssl}, keyscope ${env.keyscope} (${env.addonBuild} addon), cycle counter ${env.cycleCounter ?? 'none'}`,
    ...(env.handicap === null ? [] : [`  HANDICAPPED: every operation slowed by ${env.handicap * 100}% on purpose (KEYSCOPE_BENCH_HANDICAP)`]),
    '',
    summaryTable(run),
  ];
  const rsa = run.cases.filter((c) => c.state === 'completed' && c.summary.nsPerCandidate);
  for (const c of rsa) {
    if (c.state !== 'completed' || !c.summary.nsPerCandidate) continue;
    lines.push(`  ${c.key.implementation} ${c.key.algorithm}: ${formatNs(c.summary.nsPerCandidate.median)} per prime candidate ${formatPrecision((c.summary.nsPerCandidate.medianInterval.high - c.summary.nsPerCandidate.medianInterval.low) / 2 / c.summary.nsPerCandidate.median)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs `fn` with a provider that opens the store read-only the first time it is asked (references to exported
 * files need no store at all), and closes it afterwards.
 */
export async function withStoreIfNeeded<T>(options: StoreOption, fn: (provideStore: StoreProvider) => Promise<T>): Promise<T> {
  let store: RunStore | undefined;
  try {
    return await fn(async () => (store ??= await openStore(resolveStorePath(options.db), { readOnly: true })));
  } finally {
    await store?.close();
  }
}

/** A run by id, id prefix, label or exported file. */
async function loadRun(reference: string, options: StoreOption): Promise<RunRecord> {
  return (await withStoreIfNeeded(options, (provideStore) => resolveRun(reference, provideStore))).run;
}

export async function runsShow(reference: string, options: StoreOption & { json?: boolean }, io: CommandIO): Promise<void> {
  const run = await loadRun(reference, options);
  io.stdout.write(options.json ? json(run) : describeRun(run));
}

export async function runsExport(reference: string, options: StoreOption & { out: string; force?: boolean }, io: CommandIO): Promise<void> {
  const { id, result } = await withStore(options, async (store) => {
    const id = await storedRunId(store, reference);
    return { id, result: await store.exportRun(id, options.out, { force: options.force ?? false }).catch(inCliTerms) };
  }, { readOnly: true });
  io.stdout.write(`exported run ${id} to ${options.out} (${result.format}, ${result.samples} samples)\n`);
}

export async function runsImport(file: string, options: StoreOption, io: CommandIO): Promise<void> {
  const id = await withStore(options, (store) => store.importRun(file), { create: true });
  io.stdout.write(`imported run ${id}\n`);
}

/** A run by id, id prefix or label, as every other command names one; an ambiguous prefix deletes nothing. */
export async function runsDelete(reference: string, options: StoreOption, io: CommandIO): Promise<void> {
  const id = await withStore(options, async (store) => {
    const id = await storedRunId(store, reference);
    if (!(await store.deleteRun(id))) throw new KeyscopeError(ErrorCodes.runNotFound, `run ${id} disappeared from ${store.path} before it was deleted`);
    return id;
  });
  io.stdout.write(`deleted run ${id}\n`);
}

/** Saves a finished bench run; returns the line the bench command prints. */
export async function saveRunToStore(run: RunRecord, options: StoreOption): Promise<string> {
  const path = resolveStorePath(options.db);
  await withStore(options, (store) => store.saveRun(run), { create: true });
  return `run ${run.id} (${run.status}) saved to ${path}`;
}
