/**
 * Importing keyscope changes nothing in the host. The check that matters is the one a host trips over: a piped
 * stdout must stay blocking, so the host's own fs.writeSync(1, ...) of more than a pipe's worth still works
 * (it fails with EAGAIN once anything touches process.stdout, which makes the pipe non-blocking).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

// fd 1's flags from /proc (fstat does not show O_NONBLOCK), before and after the import; then 8 MiB through
// fs.writeSync(1, ...), far more than the 64 KiB a pipe holds, so a non-blocking fd would fail with EAGAIN.
const script = `
import { readFileSync, writeSync } from 'node:fs';
const flags = () => Number.parseInt(/^flags:\\s+([0-7]+)$/m.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))[1], 8);
const events = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection', 'warning'];
const host = () => JSON.stringify({ env: process.env, listeners: events.map((e) => process.listenerCount(e)), umask: process.umask(), cwd: process.cwd(), exitCode: process.exitCode ?? null });
const hostBefore = host();
const before = flags();
const keyscope = await import(${JSON.stringify(entry)});
const after = flags();
const hostUnchanged = host() === hostBefore;
let wrote = 0;
let error = null;
try {
  const chunk = Buffer.alloc(8 << 20, 0x61);
  while (wrote < chunk.length) wrote += writeSync(1, chunk, wrote);
} catch (e) {
  error = e.code ?? String(e);
}
writeSync(2, JSON.stringify({ before, after, wrote, error, exports: Object.keys(keyscope).length, hostUnchanged }));
`;

it('leaves a piped stdout blocking, so the host can fs.writeSync 8 MiB to it', async () => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let received = 0;
  let stderr = '';
  // Read slowly: a fast reader could hide a non-blocking fd by always leaving room in the pipe.
  child.stdout.on('data', (chunk: Buffer) => {
    received += chunk.length;
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 1);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code, stderr).toBe(0);
  const report = JSON.parse(stderr) as { before: number; after: number; wrote: number; error: string | null; exports: number; hostUnchanged: boolean };
  expect(report.exports).toBeGreaterThan(10); // the import really happened
  const O_NONBLOCK = 0o4000;
  expect(report.before & O_NONBLOCK).toBe(0);
  expect(report.after & O_NONBLOCK).toBe(0);
  expect(report.after).toBe(report.before);
  expect(report).toMatchObject({ wrote: 8 << 20, error: null });
  expect(received).toBe(8 << 20);
  // Nor anything else a host would notice: its environment, its process listeners, umask, cwd, exit code.
  expect(report.hostUnchanged).toBe(true);
});
