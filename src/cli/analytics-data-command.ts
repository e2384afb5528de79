/**
 * `keyscope analytics inspect|export|delete`: what analytics recorded, from the command line. Thin: each opens
 * the analytics database (which ingests pending spools first), calls the warehouse, prints, closes.
 */
import { createInterface } from 'node:readline/promises';

import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { deleteEvents, type DeleteResult, type EventSelection, exportEvents, type ExportFormat, exportFormats, inspectAnalytics, type InspectSummary, openAnalyticsDatabase, parseScopes, parseTimeArgument } from '../analytics/warehouse/index.js';
import { resolveAnalyticsPaths } from '../analytics/events/index.js';
import { analyticsWaitNotice } from './analytics-wait.js';
import type { CommandIO } from './command-context.js';

/** Export writes its counts here (stdout is the data); the CLI passes process.stderr. */
export type AnalyticsIO = CommandIO & { stderr?: NodeJS.WritableStream; stdin?: NodeJS.ReadableStream & { isTTY?: boolean } };

export interface AnalyticsInspectOptions {
  json?: boolean;
}

export interface SelectionOptions {
  scope?: string[];
  since?: string;
  until?: string;
}

export interface AnalyticsExportOptions extends SelectionOptions {
  format?: string;
  out?: string;
}

export interface AnalyticsDeleteOptions extends SelectionOptions {
  all?: boolean;
  yes?: boolean;
}

function selectionFrom(options: SelectionOptions, now: number = Date.now()): EventSelection {
  const selection: EventSelection = {};
  if (options.scope !== undefined) selection.scopes = parseScopes(options.scope);
  if (options.since !== undefined) selection.sinceMs = parseTimeArgument(options.since, '--since', now);
  if (options.until !== undefined) selection.untilMs = parseTimeArgument(options.until, '--until', now);
  return selection;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function describeSummary(summary: InspectSummary): string {
  const lines = [
    `analytics database ${summary.database} (${formatBytes(summary.databaseBytes)})`,
    `${summary.events} events${summary.firstEvent ? `, ${summary.firstEvent} .. ${summary.lastEvent}` : ''}; ${summary.errorGroups} error groups`,
    `pending spool files: ${summary.pendingSpools.files} (${formatBytes(summary.pendingSpools.bytes)})`,
  ];
  if (summary.byScopeAndType.length > 0) {
    lines.push('', 'scope        type                         events');
    for (const row of summary.byScopeAndType) lines.push(`${row.scope.padEnd(12)} ${row.type.padEnd(28)} ${row.events}`);
  }
  if (summary.latest.length > 0) {
    lines.push('', `last ${summary.latest.length} events (newest first), as recorded:`);
    for (const event of summary.latest) lines.push(`  ${JSON.stringify(event)}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function analyticsInspect(options: AnalyticsInspectOptions, io: AnalyticsIO): Promise<InspectSummary> {
  const db = await openAnalyticsDatabase({ paths: resolveAnalyticsPaths(io.env), onWait: analyticsWaitNotice(io.stderr) });
  let summary: InspectSummary;
  try {
    summary = await inspectAnalytics(db);
  } finally {
    await db.close();
  }
  io.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : describeSummary(summary));
  return summary;
}

export async function analyticsExport(options: AnalyticsExportOptions, io: AnalyticsIO): Promise<void> {
  const format = (options.format ?? 'json') as ExportFormat;
  if (!(exportFormats as readonly string[]).includes(format)) {
    throw new KeyscopeError(ErrorCodes.usage, `--format must be one of ${exportFormats.join(', ')} (got ${JSON.stringify(String(options.format).slice(0, 20))})`);
  }
  if (format === 'parquet' && options.out === undefined) {
    throw new KeyscopeError(ErrorCodes.usage, 'analytics export --format parquet needs --out FILE');
  }
  const selection = selectionFrom(options);
  const db = await openAnalyticsDatabase({ paths: resolveAnalyticsPaths(io.env), onWait: analyticsWaitNotice(io.stderr) });
  try {
    const result = await exportEvents(db, { ...selection, format, out: options.out ?? null, stdout: io.stdout });
    const scopes = Object.entries(result.byScope).map(([scope, count]) => `${scope} ${count}`).join(', ');
    (io.stderr ?? process.stderr).write(
      `keyscope: exported ${result.events} events${scopes ? ` (${scopes})` : ''} as ${format}${result.path ? ` to ${result.path}` : ''}\n`,
    );
  } finally {
    await db.close();
  }
}

function describeSelection(options: AnalyticsDeleteOptions): string {
  if (options.all) return 'ALL analytics events and error groups';
  const parts = [options.scope ? `the ${options.scope.join(', ')} events` : 'the events'];
  if (options.since) parts.push(`since ${options.since}`);
  if (options.until) parts.push(`until ${options.until}`);
  return parts.join(' ');
}

async function confirm(question: string, io: AnalyticsIO): Promise<boolean> {
  const stdin = io.stdin ?? process.stdin;
  if (!(stdin as { isTTY?: boolean }).isTTY) {
    throw new KeyscopeError(ErrorCodes.usage, 'analytics delete: not interactive, so nobody can confirm; add --yes');
  }
  const prompt = createInterface({ input: stdin, output: io.stderr ?? process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

export async function analyticsDelete(options: AnalyticsDeleteOptions, io: AnalyticsIO): Promise<DeleteResult | null> {
  const selection = selectionFrom(options);
  const hasSelector = options.all === true || options.scope !== undefined || options.since !== undefined || options.until !== undefined;
  if (!hasSelector) {
    throw new KeyscopeError(ErrorCodes.usage, 'analytics delete: say what to delete: --all, --scope SCOPE..., or --since/--until');
  }
  if (options.yes !== true && !(await confirm(`delete ${describeSelection(options)}?`, io))) {
    io.stdout.write('nothing deleted\n');
    return null;
  }
  const db = await openAnalyticsDatabase({ paths: resolveAnalyticsPaths(io.env), onWait: analyticsWaitNotice(io.stderr) });
  // deleteEvents closes the database itself (it rewrites the file).
  const result = await deleteEvents(db, { ...selection, all: options.all === true });
  const scopes = Object.entries(result.removed).map(([scope, count]) => `${scope} ${count}`);
  io.stdout.write(
    `deleted ${result.total} events${scopes.length > 0 ? ` (${scopes.join(', ')})` : ''}` +
      `${result.errorGroupsRemoved > 0 ? ` and ${result.errorGroupsRemoved} error groups` : ''}; the database file was rewritten without them\n`,
  );
  return result;
}
