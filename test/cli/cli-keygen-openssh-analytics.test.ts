/**
 * With analytics on, `keygen --format openssh` is counted like the other formats (format "openssh" on its command
 * event) and its --comment is never recorded: only the option's name, as for every option.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, it } from 'vitest';

import { runCli } from '../support/cli.js';

const comment = 'acmecorp-buildhost-7';

function envFor(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { KEYSCOPE_HOME: home, CI: '', DO_NOT_TRACK: '', KEYSCOPE_ANALYTICS: '', KEYSCOPE_ANALYTICS_DEBUG: '', ...extra };
}

function debugEvents(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('keyscope analytics: {'))
    .map((line) => JSON.parse(line.slice('keyscope analytics: '.length)) as Record<string, unknown>);
}

/** Every byte analytics left in its home (spools, ledger, database), as latin1 text to search. */
function everythingRecorded(home: string): string {
  return readdirSync(home, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

it('records format "openssh" and the --comment option, never the comment', async () => {
  const home = join(mkdtempSync(join(tmpdir(), 'keyscope-openssh-analytics-')), 'home');
  const keys = mkdtempSync(join(tmpdir(), 'keyscope-openssh-analytics-keys-'));
  expect((await runCli(['analytics', 'enable'], { env: envFor(home) })).status).toBe(0);
  const args = ['keygen', 'ed25519', '--format', 'openssh', '--comment', comment, '--out', join(keys, 'k'), '--pub-out', join(keys, 'k.pub')];
  const result = await runCli(args, { env: envFor(home, { KEYSCOPE_ANALYTICS_DEBUG: '1' }) });
  expect(result.status).toBe(0);

  const events = debugEvents(result.stderr);
  expect(events.find((event) => event['type'] === 'command')).toMatchObject({
    command: 'keygen',
    algorithm: 'ed25519',
    format: 'openssh',
    outcome: 'ok',
    options: expect.arrayContaining(['--format', '--comment', '--out', '--pub-out']),
  });
  expect(JSON.stringify(events)).not.toContain(comment);
  // Ingest what the run spooled (any recording command does it on its way out), then search all of it.
  expect((await runCli(['analytics', 'inspect', '--json'], { env: envFor(home) })).status).toBe(0);
  expect(everythingRecorded(home)).not.toContain(comment);
  expect(everythingRecorded(home)).not.toContain('OPENSSH PRIVATE KEY');
});
