/** Runs the real `keyscope` bin (the compiled CLI in dist/) as a child process. */
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const binPath = fileURLToPath(new URL('../../bin/keyscope.js', import.meta.url));

export interface CliResult {
  status: number;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binPath, ...args],
      { env: { ...process.env, ...options.env }, cwd: options.cwd, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ status: typeof status === 'number' ? status : 1, stdout: stdout.toString(), stdoutBytes: stdout, stderr: stderr.toString() });
      },
    );
  });
}

/**
 * An in-process command's `io` ({ stdout, stderr, env }) whose streams are captured: for calling a command
 * module directly, without a child process.
 */
export function capturedIO(env: Record<string, string>) {
  let out = '';
  let err = '';
  const stream = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        append(String(chunk));
        callback();
      },
    });
  return {
    io: { stdout: stream((text) => (out += text)), stderr: stream((text) => (err += text)), env },
    stdout: () => out,
    stderr: () => err,
  };
}
