/**
 * The first run asks nothing: undecided is off, and at a terminal the CLI prints a short notice once, on stderr
 * after the command's own output, then never again (until the notice changes). Nobody needs to type anything.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, it, vi } from 'vitest';

import { main } from '../../src/cli/main.js';

function freshHome(): string {
  return join(mkdtempSync(join(tmpdir(), 'keyscope-notice-')), 'home');
}

/** A terminal nobody types into: stdin is a TTY that never ends, stderr a TTY, stdout whatever it is told. */
function silentTerminal(stdoutIsTTY = false) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const stderr = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream;
  const stdout = Object.assign(new PassThrough(), { isTTY: stdoutIsTTY });
  let written = '';
  let out = '';
  (stderr as unknown as PassThrough).on('data', (chunk: Buffer) => (written += chunk.toString()));
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { io: { stdin, stderr, stdout }, stderr: () => written, stdout: () => out };
}

const envFor = (home: string, extra: NodeJS.ProcessEnv = {}) => ({ KEYSCOPE_HOME: home, CI: '', DO_NOT_TRACK: '', KEYSCOPE_ANALYTICS: '', ...extra });
const opening = 'keyscope: analytics is off: nothing is recorded unless you turn it on.';

it('runs the command without waiting, then shows the notice once, on stderr, and records nothing', async () => {
  const home = freshHome();
  const first = silentTerminal();
  expect(await main(['algorithms', '--json'], { ...first.io, env: envFor(home) })).toBe(0);
  expect(JSON.parse(first.stdout())).toBeInstanceOf(Array); // stdout is the command's alone
  const notice = first.stderr();
  expect(notice.startsWith(`\n${opening}\n`)).toBe(true);
  expect(notice).toContain('\n    keyscope analytics enable [usage|performance|errors|security]\n');
  expect(notice).toContain('DO_NOT_TRACK=1 always wins. This notice is shown once.');
  expect(notice).not.toContain('[y/N]');
  expect(notice.trimEnd().split('\n').every((line) => line.length <= 80)).toBe(true);
  expect(readdirSync(home)).toEqual(['notice-shown.json']);

  const second = silentTerminal();
  expect(await main(['algorithms', '--json'], { ...second.io, env: envFor(home) })).toBe(0);
  expect(second.stderr()).toBe('');
  expect(readdirSync(home)).toEqual(['notice-shown.json']);
});

it('puts the notice after an error line too, never before the command ran', async () => {
  const home = freshHome();
  const terminal = silentTerminal();
  // main() prints its error line on the process's stderr; both streams feed one transcript, in order.
  const transcript: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (transcript.push(String(chunk)), true));
  (terminal.io.stderr as unknown as PassThrough).on('data', (chunk: Buffer) => transcript.push(chunk.toString()));
  try {
    expect(await main(['keygen', 'rsa-2050'], { ...terminal.io, env: envFor(home) })).toBe(2);
  } finally {
    spy.mockRestore();
  }
  const lines = transcript.join('').split('\n');
  expect(lines[0]).toMatch(/^keyscope: error KS_INVALID_KEY_SIZE: /);
  expect(lines.slice(1, 3)).toEqual(['', opening]);
});

it.each([
  ['stderr is not a terminal', {}, false],
  ['CI is set', { CI: 'true' }, true],
  ['DO_NOT_TRACK is set', { DO_NOT_TRACK: '1' }, true],
])('shows no notice and writes nothing when %s', async (_label, extra: NodeJS.ProcessEnv, isTTY) => {
  const home = freshHome();
  const terminal = silentTerminal();
  (terminal.io.stderr as unknown as { isTTY: boolean }).isTTY = isTTY;
  expect(await main(['algorithms', '--json'], { ...terminal.io, env: envFor(home, extra) })).toBe(0);
  expect(terminal.stderr()).toBe('');
  expect(existsSync(home)).toBe(false);
});

it('shows no notice for a typo or the analytics commands themselves', async () => {
  const home = freshHome();
  for (const argv of [['algorithm'], ['keygen', '--bogus'], ['analytics', 'status']]) {
    const terminal = silentTerminal();
    await main(argv, { ...terminal.io, env: envFor(home) });
    expect(terminal.stderr()).not.toContain(opening);
  }
  expect(existsSync(home)).toBe(false);
});
