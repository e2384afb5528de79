/** What the CLI records, end to end through the real bin: only with consent, never in CI or against DO_NOT_TRACK. */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';

import type { AnalyticsStatus } from '../../src/cli/analytics-command.js';
import type { InspectSummary } from '../../src/analytics/warehouse/inspect.js';
import { createEventSpool } from '../../src/analytics/spool/event-spool.js';
import { backlogFiles } from '../../src/cli/cli-analytics.js';
import { main } from '../../src/cli/main.js';
import { runCli } from '../support/cli.js';

function freshHome(): string {
  return join(mkdtempSync(join(tmpdir(), 'keyscope-cli-analytics-')), 'home');
}

/** A clean environment for the child: not CI, no opt-out, its own home. */
function envFor(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { KEYSCOPE_HOME: home, CI: '', DO_NOT_TRACK: '', KEYSCOPE_ANALYTICS: '', KEYSCOPE_ANALYTICS_DEBUG: '', ...extra };
}

function spoolFiles(home: string): string[] {
  const dir = join(home, 'spool');
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** Debug lines are the events as recorded, one JSON object each. */
function debugEvents(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('keyscope analytics: {'))
    .map((line) => JSON.parse(line.slice('keyscope analytics: '.length)) as Record<string, unknown>);
}

describe('the first run at a terminal', () => {
  it('records nothing until analytics is enabled, then records without asking', async () => {
    const home = freshHome();
    const env = envFor(home);
    // stdin a terminal nobody types into, stderr a terminal: the run must end on its own.
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stderr = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream;
    const stdout = Object.assign(new PassThrough(), { isTTY: false });
    expect(await main(['algorithms', '--json'], { stdout, env, stdin, stderr })).toBe(0);
    expect(spoolFiles(home)).toEqual([]);
    const before = JSON.parse((await runCli(['analytics', 'status', '--json'], { env })).stdout) as AnalyticsStatus;
    expect(before).toMatchObject({ state: 'off', source: 'undecided', ledger: { state: 'empty', entries: 0 } });

    expect((await runCli(['analytics', 'enable', 'usage', 'performance'], { env })).status).toBe(0);
    expect(await main(['algorithms', '--json'], { stdout, env, stdin, stderr })).toBe(0);
    const after = JSON.parse((await runCli(['analytics', 'status', '--json'], { env })).stdout) as AnalyticsStatus;
    expect(after.scopes).toEqual({ usage: true, performance: true, errors: false, security: false });
    expect(after.ledger).toEqual({ state: 'ok', entries: 1 });
    expect(spoolFiles(home).some((name) => name.endsWith('.jsonl'))).toBe(true);
  });
});

describe('with every scope enabled', () => {
  it('records the command, the API call and its timing, printed as recorded under KEYSCOPE_ANALYTICS_DEBUG', async () => {
    const home = freshHome();
    expect((await runCli(['analytics', 'enable'], { env: envFor(home) })).status).toBe(0);
    const result = await runCli(['keygen', 'ed25519', '--json'], { env: envFor(home, { KEYSCOPE_ANALYTICS_DEBUG: '1' }) });
    expect(result.status).toBe(0);
    const events = debugEvents(result.stderr);
    const types = events.map((event) => event['type']);
    expect(types).toContain('session.start');
    expect(types).toContain('api.call');
    expect(types).toContain('keygen.timing');
    const command = events.find((event) => event['type'] === 'command');
    expect(command).toMatchObject({ command: 'keygen', options: ['--json'], algorithm: 'ed25519', outcome: 'ok', exitCode: 0 });
    const timing = events.find((event) => event['type'] === 'keygen.timing');
    expect(timing).toMatchObject({ api: 'generateKeyPair', algorithm: 'ed25519', outcome: 'ok' });
    expect(timing!['durationNs']).toBeGreaterThan(0);
    expect(spoolFiles(home).length).toBeGreaterThan(0);
  });

  it('records a refused command as usage with its code, not as an error, and weak parameters asked for', async () => {
    const home = freshHome();
    await runCli(['analytics', 'enable'], { env: envFor(home) });
    const failed = await runCli(['keygen', 'rsa-2050'], { env: envFor(home, { KEYSCOPE_ANALYTICS_DEBUG: '1' }) });
    expect(failed.status).toBe(2);
    const events = debugEvents(failed.stderr);
    // A refused key size is the caller's outcome, not keyscope failing: no error event (errors.ts errorCodeKinds).
    expect(events.filter((event) => event['type'] === 'error')).toEqual([]);
    expect(events.find((event) => event['type'] === 'command')).toMatchObject({ command: 'keygen', outcome: 'error', code: 'KS_INVALID_KEY_SIZE', exitCode: 2 });

    const weak = await runCli(['keygen', 'rsa-1024', '--allow-weak'], { env: envFor(home, { KEYSCOPE_ANALYTICS_DEBUG: '1' }) });
    expect(weak.status).toBe(0);
    expect(debugEvents(weak.stderr).find((event) => event['type'] === 'security.weak-parameters')).toMatchObject({ algorithm: 'rsa-1024' });
  });
});

describe('what was typed', () => {
  it('never reaches an event: output paths, a passphrase typed as a variable name, unknown options and their values', async () => {
    const home = freshHome();
    const cwd = mkdtempSync(join(tmpdir(), 'keyscope-typed-'));
    await runCli(['analytics', 'enable'], { env: envFor(home) });
    const debug = envFor(home, { KEYSCOPE_ANALYTICS_DEBUG: '1' });
    const runs = [
      ['keygen', 'ed25519', '--out', 'clients/acmecorp/prod.pem'], // no such directory
      ['keygen', 'ed25519', '--out', 'acmecorp.pem'],
      ['keygen', 'ed25519', '--out', 'acmecorp.pem'], // exists now
      ['keygen', 'ed25519', '--out', 'other.pem', '--passphrase-env', 'correct horse battery staple'],
      ['keygen', 'ed25519', '--tokenvalue=hunter2'],
      ['keygen', 'no-such-algorithm-acmecorp'],
    ];
    let events = '';
    for (const args of runs) {
      const result = await runCli(args, { env: debug, cwd });
      events += debugEvents(result.stderr).map((event) => JSON.stringify(event)).join('\n');
    }
    // Each refusal is counted as usage by its code; none of them is an error (errors.ts errorCodeKinds).
    for (const code of ['KS_FILE_EXISTS', 'KS_MISSING_PASSPHRASE', 'KS_USAGE', 'KS_UNKNOWN_ALGORITHM']) expect(events).toContain(`"code":"${code}"`);
    expect(events).not.toContain('"type":"error"');
    for (const typed of ['acmecorp', 'clients', 'horse', 'hunter2', 'tokenvalue', 'other.pem']) expect(events).not.toContain(typed);
  });
});

describe('a backlog of spool files', () => {
  it('is ingested by the next recording command once it reaches backlogFiles', async () => {
    const home = freshHome();
    await runCli(['analytics', 'enable'], { env: envFor(home) });
    const spoolDir = join(home, 'spool');
    const envelope = { installId: randomUUID(), sessionId: randomUUID(), keyscopeVersion: '0.1.0' };
    for (let i = 0; i < backlogFiles; i++) {
      const spool = createEventSpool({ dir: spoolDir, pid: 1_000_000 + i, startMs: Date.now() - 1000 });
      spool.append(JSON.stringify({ time: Date.now(), ...envelope, type: 'command', scope: 'usage', command: 'info', options: [], outcome: 'ok', exitCode: 0, durationMs: 1 }));
      spool.close();
    }
    expect(spoolFiles(home)).toHaveLength(backlogFiles);
    expect((await runCli(['algorithms'], { env: envFor(home) })).status).toBe(0);
    // The backlog is in the database; what is left is the spool of the command that ingested it.
    expect(spoolFiles(home).length).toBeLessThan(3);
    const inspect = await runCli(['analytics', 'inspect', '--json'], { env: envFor(home) });
    const summary = JSON.parse(inspect.stdout) as InspectSummary;
    const commands = summary.byScopeAndType.find((row) => row.type === 'command');
    // The backlog's commands, and the `algorithms` command that ingested them on its way out.
    expect(commands?.events).toBeGreaterThanOrEqual(backlogFiles);
  });
});

describe('a corrupt analytics database', () => {
  it('fails analytics commands with a clear error, leaves key generation alone, and is never overwritten', async () => {
    const home = freshHome();
    await runCli(['analytics', 'enable'], { env: envFor(home) });
    const database = join(home, 'analytics.duckdb');
    const garbage = Buffer.from('this is not a DuckDB database\n'.repeat(100));
    writeFileSync(database, garbage);

    const keygen = await runCli(['keygen', 'ed25519'], { env: envFor(home) });
    expect(keygen.status).toBe(0);
    expect(keygen.stdout).toContain('BEGIN PUBLIC KEY');
    for (const args of [['analytics', 'inspect'], ['analytics', 'export'], ['errors', 'list']]) {
      const result = await runCli(args, { env: envFor(home) });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^keyscope: error KS_ANALYTICS_CORRUPT: analytics database .*analytics\.duckdb/);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(readFileSync(database).equals(garbage)).toBe(true);
  });
});

describe('records nothing and asks nothing', () => {
  const cases: [string, NodeJS.ProcessEnv][] = [
    ['DO_NOT_TRACK=1', { DO_NOT_TRACK: '1' }],
    ['KEYSCOPE_ANALYTICS=off', { KEYSCOPE_ANALYTICS: 'off' }],
    ['CI=true', { CI: 'true' }],
  ];
  it.each(cases)('with consent given but %s', async (_name, extra) => {
    const home = freshHome();
    await runCli(['analytics', 'enable'], { env: envFor(home) });
    const result = await runCli(['keygen', 'ed25519'], { env: envFor(home, { ...extra, KEYSCOPE_ANALYTICS_DEBUG: '1' }) });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(spoolFiles(home)).toEqual([]);
  });

  it('when undecided and not interactive', async () => {
    const home = freshHome();
    const result = await runCli(['keygen', 'ed25519'], { env: envFor(home, { KEYSCOPE_ANALYTICS_DEBUG: '1' }) });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(existsSync(home)).toBe(false);
  });
});
