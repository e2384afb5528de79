/**
 * For the team-server tests: real runs made into a branch's history (each a real quick run, its times scaled
 * by a few percent as run-to-run noise scales them, with its own id, start, commit and branch), and the real
 * `keyscope server` as a child process on a free port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { summarize } from '../../src/model/index.js';
import type { CaseResult, RunRecord } from '../../src/model/types.js';
import { readRunExport } from '../../src/store/index.js';
import { binPath } from './cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** The two real quick runs (test/fixtures/README.md): 20 cases each, an A/A pair from one machine and build. */
export function realQuickRuns(): Promise<[RunRecord, RunRecord]> {
  return Promise.all([readRunExport(fixture('quick-run-a.parquet')), readRunExport(fixture('quick-run-b.parquet'))]);
}

/** A real run with ids and provenance of its own: `factor` scales every time (1.25 = everything 25% slower). */
export function rerun(run: RunRecord, options: { factor: number; day: number; branch: string; commit: string; slower?: { algorithm: string; factor: number } }): RunRecord {
  const startedAt = new Date(Date.UTC(2026, 10, options.day, 12)).toISOString();
  const scale = (c: CaseResult): CaseResult => {
    if (c.state !== 'completed') return c;
    const factor = options.factor * (options.slower && c.key.algorithm === options.slower.algorithm ? options.slower.factor : 1);
    const ns = c.samples.ns.map((v) => v * factor);
    const cycles = c.samples.cycles?.map((v) => Math.round(v * factor)) ?? null;
    const candidates = c.samples.candidates;
    return {
      ...c,
      samples: { ns, cycles, candidates },
      summary: {
        ns: summarize(ns),
        cycles: cycles ? summarize(cycles) : null,
        nsPerCandidate: candidates ? summarize(ns.map((v, i) => v / candidates[i]!)) : null,
      },
      throughput: c.throughput / factor,
    };
  };
  return {
    ...run,
    id: randomUUID(),
    label: null,
    startedAt,
    endedAt: new Date(Date.parse(startedAt) + 60_000).toISOString(),
    git: { commit: options.commit.padEnd(40, '0'), branch: options.branch, dirty: false },
    cases: run.cases.map(scale),
  };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then waits for the exit; the exit code. */
  stop(): Promise<number | null>;
}

/** `keyscope server --database URL --port 0 [...extra]`, resolved once it prints its URL. */
export function startServerProcess(databaseUrl: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [binPath, 'server', '--database', databaseUrl, '--port', '0', ...extra], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const url = /^keyscope server: (\S+) /.exec(line)?.[1];
      if (!url) return reject(new Error(`unexpected first line from keyscope server: ${line}`));
      resolve({
        url,
        child,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => reject(new Error(`keyscope server exited (${code}) before it listened: ${stderr.trim()}`)));
  });
}

/** A copy of `run` under a new id, changed by `change`: a real run no server has yet. */
export function withNewId(run: RunRecord, change: (run: RunRecord) => void = () => {}): RunRecord {
  const copy = structuredClone(run);
  copy.id = randomUUID();
  change(copy);
  return copy;
}
