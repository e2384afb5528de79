/**
 * keyscope as its own processes, for tests of what happens between them: `keyscope <args>` from the sources
 * (test/support/bin/keyscope.ts) with the home and store of an analytics home, and a real `keyscope dashboard`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import type { AnalyticsPaths } from '../../src/analytics/events/paths.js';
import { repoRoot } from './analytics-fixtures.js';

const children: ChildProcess[] = [];

/** Kills the processes a test started that are still running (its afterEach). */
export function killCliProcesses(): void {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** `keyscope <args>` as its own process, from the sources (test/support/bin/keyscope.ts). */
export function keyscope(args: string[], paths: AnalyticsPaths): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/support/bin/keyscope.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, KEYSCOPE_HOME: paths.home, KEYSCOPE_DB: join(paths.home, 'runs.duckdb'), CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What a process prints, as it comes (stderr) and at its end. */
export function collect(child: ChildProcess): { stderr: () => string; done: Promise<Result> } {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Result>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { stderr: () => stderr, done };
}

/** Runs `keyscope <args>` to its end. */
export const run = (args: string[], paths: AnalyticsPaths) => collect(keyscope(args, paths)).done;

/** A real `keyscope dashboard --port 0` on the home: its API (with its token) and how to stop it. */
export async function startDashboardProcess(paths: AnalyticsPaths): Promise<{ get: <T>(path: string) => Promise<T>; stop: () => Promise<Result> }> {
  const child = keyscope(['dashboard', '--port', '0'], paths);
  const output = collect(child);
  let first = '';
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      first += chunk.toString();
      if (first.includes('\n')) resolve(first.slice(0, first.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`the dashboard exited (${code}): ${output.stderr()}`)));
  });
  const [, origin, token] = /^keyscope dashboard: (http:\/\/[^/]+)\/\?token=(\S+)$/.exec(line)!;
  return {
    async get<T>(path: string): Promise<T> {
      const response = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    stop() {
      child.kill('SIGTERM');
      return output.done;
    },
  };
}

