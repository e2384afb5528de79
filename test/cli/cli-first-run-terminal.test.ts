/**
 * The README's first command, at a real terminal (tmux), with analytics never decided: `keyscope bench` runs to
 * its end with nobody typing, prints the first-run notice once (after the run's own output), records nothing,
 * and the next run shows no notice.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

import { binPath } from '../support/cli.js';
import { privateTmux, shellQuote } from '../support/tmux.js';

// Inside the package (test-artifacts/ is git-ignored) so that the suite resolves 'keyscope' to this checkout.
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });
const dir = mkdtempSync(join(artifacts, 'first-run-'));
const home = join(dir, 'home');
writeFileSync(
  join(dir, 'tiny.suite.ts'),
  `import { defineSuite, generateKeyPairSync } from 'keyscope';
export default defineSuite({
  name: 'tiny',
  budget: { maxTimeMs: 200 },
  cases: () => [
    { kind: 'native', name: 'keygen', algorithm: 'ed25519' },
    { kind: 'js', name: 'keygen', implementation: 'keyscope', algorithm: 'ed25519', fn: () => generateKeyPairSync('ed25519') },
  ],
});
`,
);

// A tmux server of our own (its socket named after this directory), so nothing else's sessions are touched.
const tmux = privateTmux(`keyscope-${dir.split('-').at(-1)}`);
const quote = shellQuote;

/** Runs the CLI in a 200x50 terminal nobody types into; resolves with the exit status and the screen. */
async function runAtTerminal(name: string, args: string[]): Promise<{ status: number | null; screen: string }> {
  const exitFile = join(dir, `${name}.exit`);
  // CI and the opt-outs unset: a person at a terminal who never decided anything.
  const command = [
    'env -u CI -u DO_NOT_TRACK -u KEYSCOPE_ANALYTICS -u KEYSCOPE_ANALYTICS_DEBUG',
    `KEYSCOPE_HOME=${quote(home)}`,
    quote(process.execPath),
    quote(binPath),
    ...args.map(quote),
    `; echo EXIT=$? > ${quote(exitFile)}; sleep 600`,
  ].join(' ');
  tmux('new-session', '-d', '-x', '200', '-y', '50', '-s', name, command);
  const deadline = Date.now() + 45_000;
  while (!existsSync(exitFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  const screen = tmux('capture-pane', '-p', '-J', '-S', '-1000', '-t', name);
  tmux('kill-session', '-t', name);
  const exit = existsSync(exitFile) ? /EXIT=(\d+)/.exec(readFileSync(exitFile, 'utf8')) : null;
  return { status: exit ? Number(exit[1]) : null, screen };
}

it('runs bench to the end with nobody typing, shows the notice once after the output, records nothing', async () => {
  const args = ['bench', 'tiny', '--dir', dir, '--db', join(dir, 'store.duckdb'), '--no-pin'];
  // --quiet prints the summary alone: the notice waits for a run that is not quiet, and is not marked shown.
  const quiet = await runAtTerminal('quiet', [...args, '--quiet']);
  expect(quiet.status, quiet.screen).toBe(0);
  expect(quiet.screen).toContain('tiny/');
  expect(quiet.screen).not.toContain('analytics is off');
  expect(existsSync(home) ? readdirSync(home) : []).toEqual([]);

  const first = await runAtTerminal('first', args);
  // A prompt waiting for an answer never reaches the exit file.
  expect(first.status, first.screen).toBe(0);
  const saved = first.screen.indexOf('saved to');
  const notice = first.screen.indexOf('keyscope: analytics is off: nothing is recorded unless you turn it on.');
  expect(saved, first.screen).toBeGreaterThan(0);
  expect(notice, first.screen).toBeGreaterThan(saved);
  expect(first.screen).toContain('keyscope analytics enable [usage|performance|errors|security]');
  expect(first.screen).not.toContain('[y/N]');
  // Nothing recorded: the home holds only the note that the notice was shown.
  expect(readdirSync(home)).toEqual(['notice-shown.json']);

  const second = await runAtTerminal('second', args);
  expect(second.status, second.screen).toBe(0);
  expect(second.screen).toContain('saved to');
  expect(second.screen).not.toContain('analytics is off');
  expect(readdirSync(home)).toEqual(['notice-shown.json']);
}, 120_000);
