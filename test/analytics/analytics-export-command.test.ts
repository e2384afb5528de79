/**
 * The `analytics inspect|export|delete` command functions (src/cli/analytics-data-command.ts), called as the CLI
 * calls them: data on stdout, export counts on stderr, delete refusing without a selector or confirmation.
 */
import { PassThrough } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { analyticsDelete, analyticsExport, analyticsInspect } from '../../src/cli/analytics-data-command.js';
import { ErrorCodes, type KeyscopeError } from '../../src/core/errors.js';
import { recordAt, sampleEvents, tempAnalyticsPaths } from '../support/analytics-fixtures.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

async function setup() {
  const paths = tempAnalyticsPaths();
  const time = Date.now() - 60_000;
  await recordAt(paths, [
    { event: sampleEvents.command, time },
    { event: sampleEvents.error, time: time + 1 },
    { event: sampleEvents.burst, time: time + 2 },
  ]);
  const stdout = capture();
  const stderr = capture();
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  return { paths, stdout, stderr, io: { stdout: stdout.stream, stderr: stderr.stream, stdin, env: { KEYSCOPE_HOME: paths.home } } };
}

describe('analytics inspect|export|delete commands', () => {
  it('inspect --json shows counts, the pending spools ingested, and the last events as recorded', async () => {
    const { io, stdout } = await setup();
    await analyticsInspect({ json: true }, io);
    const summary = JSON.parse(stdout.text()) as { events: number; byScopeAndType: unknown[]; pendingSpools: { files: number }; latest: Record<string, unknown>[] };
    expect(summary.events).toBe(3);
    expect(summary.pendingSpools.files).toBe(0);
    expect(summary.byScopeAndType).toHaveLength(3);
    expect(summary.latest[0]).toMatchObject({ type: 'security.burst', properties: { keysInSecond: 5000 } });
  });

  it('export writes data to stdout and counts to stderr', async () => {
    const { io, stdout, stderr } = await setup();
    await analyticsExport({ format: 'csv', scope: ['usage', 'errors'] }, io);
    expect(stdout.text().trim().split('\n')).toHaveLength(1 + 2);
    expect(stderr.text()).toMatch(/^keyscope: exported 2 events \(errors 1, usage 1\) as csv\n$/);
    const error = await analyticsExport({ format: 'parquet' }, io).catch((e: unknown) => e);
    expect((error as KeyscopeError).code).toBe(ErrorCodes.usage);
    const badScope = await analyticsExport({ scope: ['everything'] }, io).catch((e: unknown) => e);
    expect((badScope as KeyscopeError).code).toBe(ErrorCodes.analyticsUnknownScope);
  });

  it('delete refuses without a selector, asks when not given --yes, and reports what it removed', async () => {
    const { io, stdout } = await setup();
    const noSelector = await analyticsDelete({}, io).catch((e: unknown) => e);
    expect((noSelector as KeyscopeError).code).toBe(ErrorCodes.usage);
    const notInteractive = await analyticsDelete({ all: true }, io).catch((e: unknown) => e);
    expect((notInteractive as KeyscopeError).message).toMatch(/add --yes/);
    const result = await analyticsDelete({ scope: ['security'], yes: true }, io);
    expect(result).toMatchObject({ total: 1, removed: { security: 1 } });
    expect(stdout.text()).toMatch(/^deleted 1 events \(security 1\); the database file was rewritten/);
  });
});
