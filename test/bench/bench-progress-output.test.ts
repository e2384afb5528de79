/**
 * What `keyscope bench` prints while it runs, in a real terminal (tmux) and piped: one bar for the whole run with
 * its case count and time left, a process warning (WebCrypto's Ed448 ExperimentalWarning on Node 20) printed
 * after the bar and never inside it, plain lines without carriage returns when piped, and --quiet.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { binPath, runCli } from '../support/cli.js';
import { privateTmux, shellQuote } from '../support/tmux.js';

// Inside the package (test-artifacts/ is git-ignored) so that the suite resolves 'keyscope' to this checkout.
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });
const dir = mkdtempSync(join(artifacts, 'bench-progress-'));
writeFileSync(
  join(dir, 'progress.suite.ts'),
  `import { webcrypto } from 'node:crypto';
import { defineSuite } from 'keyscope';
export default defineSuite({
  name: 'progress',
  budget: { maxTimeMs: 300, precision: 0 },
  cases: () => [
    { kind: 'native', name: 'keygen', algorithm: 'ed25519' },
    { kind: 'js', name: 'keygen', implementation: 'webcrypto', algorithm: 'ed448', fn: () => webcrypto.subtle.generateKey({ name: 'Ed448' }, false, ['sign', 'verify']) },
    { kind: 'js', name: 'keygen', implementation: 'noop', algorithm: 'ed25519', fn: () => 1 },
    { kind: 'throughput', name: 'throughput', algorithm: 'ed25519', threads: 2, durationMs: 200 },
  ],
});
`,
);
const warning = 'ExperimentalWarning: The Ed448 Web Crypto API algorithm is an experimental feature';
const bench = ['bench', 'progress', '--dir', dir, '--db', join(dir, 'store.duckdb'), '--no-pin'];
const env = { DO_NOT_TRACK: '1', NO_COLOR: '1' };

const tmux = privateTmux(`keyscope-progress-${process.pid}`);
const quote = shellQuote;

/** Runs the bench in a tmux pane 160 columns wide; returns every byte the pane received and the final screen. */
async function benchInTerminal(): Promise<{ raw: string; screen: string }> {
  const go = join(dir, 'go');
  const raw = join(dir, 'pane.raw');
  const command = [
    `while [ ! -f ${quote(go)} ]; do sleep 0.05; done`,
    `env ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} ${quote(process.execPath)} ${quote(binPath)} ${bench.map(quote).join(' ')}`,
    'echo "EXIT=$?"',
    'sleep 60',
  ].join('; ');
  tmux('new-session', '-d', '-s', 'bench', '-x', '160', '-y', '50', 'sh', '-c', command);
  // The pane's output is recorded from before the command starts (it waits for the go file).
  tmux('pipe-pane', '-t', 'bench', '-o', `cat >> ${quote(raw)}`);
  writeFileSync(go, '');
  const deadline = Date.now() + 60_000;
  while (!(existsSync(raw) && readFileSync(raw, 'utf8').includes('EXIT=')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const screen = tmux('capture-pane', '-p', '-t', 'bench', '-S', '-50');
  return { raw: readFileSync(raw, 'utf8'), screen };
}

describe('keyscope bench progress', () => {
  it('on a terminal: one bar for the run with its case count and time left, and warnings after the bar', async () => {
    const { raw, screen } = await benchInTerminal();
    expect(screen).toMatch(/EXIT=0/);
    // The run's round and case counts, not the bar's total in ms (it printed "case 1/300" before). The bar
    // redraws at most ten times a second, so which blocks of which cases it happens to show varies.
    expect(raw).toMatch(/round \d+\/20 case [1-4]\/4 (keyscope-native|webcrypto|noop) (ed25519|ed448)/);
    expect(raw).not.toMatch(/case \d+\/(?!4 )\d+/);
    expect(raw).not.toMatch(/round \d+\/(?!20 )\d+/);
    expect(raw).toMatch(/\d+% \| \d+s elapsed, about \d+s left \| round 1\/20 case/);
    expect(raw).toMatch(/round 20\/20 case 4\/4/);
    // The warning comes after the last frame of the bar, on a line of its own.
    expect(raw.indexOf(warning)).toBeGreaterThan(raw.lastIndexOf('case 4/4'));
    const warningLines = screen.split('\n').filter((line) => line.includes('ExperimentalWarning'));
    expect(warningLines).toHaveLength(1);
    expect(warningLines[0]).toMatch(/^\(node:\d+\) ExperimentalWarning/);
    expect(screen).toMatch(/progress\/keygen\s+webcrypto\s+ed448/);
  }, 90_000);

  it('piped: one plain line per finished round and per finished case with the run\'s progress, no carriage returns', async () => {
    const result = await runCli(bench, { env });
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain('\r');
    const lines = result.stderr.trimEnd().split('\n').filter((line) => !line.includes('Warning') && !line.includes('--trace-warnings'));
    // Nineteen rounds end before the last, whose cases end one by one.
    expect(lines).toHaveLength(19 + 4);
    expect(lines[0]).toMatch(/^round 1\/20 done \| \d+% of the run, about \d+s left$/);
    expect(lines[18]).toMatch(/^round 19\/20 done \| \d+% of the run, about \d+s left$/);
    expect(lines[19]).toMatch(/^\[1\/4\] progress\/keygen keyscope-native ed25519: .* samples, stopped by budget\) \| \d+% of the run, about \d+s left$/);
    expect(lines[22]).toMatch(/^\[4\/4\] progress\/throughput, 2 threads keyscope-native ed25519: .* \| run done$/);
    expect(result.stderr).toContain(warning);
  }, 60_000);

  it('--quiet prints only the summary table', async () => {
    const result = await runCli([...bench, '--quiet'], { env });
    expect(result.status).toBe(0);
    expect(result.stderr.split('\n').filter((line) => line && !line.includes('Warning') && !line.includes('--trace-warnings'))).toEqual([]);
    expect(result.stdout).toMatch(/^case\s/);
    expect(result.stdout).not.toMatch(/saved to/);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(6);
  }, 60_000);
});
