/**
 * A build of keyscope taking part in an interleaved session: found on disk (a checkout or an installed package),
 * started as a worker process from its own dist/, and spoken to one request at a time.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type ErrorCode, ErrorCodes, KeyscopeError } from '../core/index.js';
import type { AdaptiveProgress } from './adaptive.js';
import { interleaveProtocol, type WorkerReply, type WorkerRequest } from './interleave-protocol.js';

/** One side of a session: the build's directory, and the environment and Node its worker runs with. */
export interface BuildSide {
  /** A keyscope checkout or installed package (a directory whose package.json is keyscope's), or a project with keyscope in node_modules. */
  dir: string;
  /** The worker's environment (default: this process's). KEYSCOPE_BENCH_HANDICAP here slows this side alone. */
  env?: NodeJS.ProcessEnv;
  /** The Node that runs the worker (default: this process's). */
  execPath?: string;
}

const workerScript = join('dist', 'bench', 'interleave-worker.js');


/** This build: the package this module belongs to (its dist/ even when running from src/, as under vitest). */
export const thisBuild = fileURLToPath(new URL('../../', import.meta.url));

function isKeyscopePackage(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'keyscope';
  } catch {
    return false;
  }
}

/** The package root of the build at `dir`, with a worker to run; a coded error saying what is missing otherwise. */
export function resolveBuild(dir: string): string {
  const root = [resolve(dir), resolve(dir, 'node_modules', 'keyscope')].find(isKeyscopePackage);
  if (root === undefined) {
    throw new KeyscopeError(ErrorCodes.interleavedBuild, `${dir} is not a keyscope build: neither it nor its node_modules/keyscope has keyscope's package.json`);
  }
  if (!existsSync(join(root, workerScript))) {
    throw new KeyscopeError(ErrorCodes.interleavedBuild, `the keyscope build at ${root} has no ${workerScript}: build it (npm run build:ts), or it predates interleaved sessions`);
  }
  return root;
}

export interface BuildWorker {
  readonly root: string;
  /**
   * Sends one request and waits for its reply; progress messages in between go to `onProgress`. A worker that
   * says nothing for `timeoutMs` is stopped and the request fails.
   */
  request<T extends WorkerReply['type']>(
    message: WorkerRequest,
    expect: T,
    options: { onProgress?: (index: number, progress: AdaptiveProgress) => void; timeoutMs: number },
  ): Promise<Extract<WorkerReply, { type: T }>>;
  stop(): void;
}

/** A code from another build that this one does not know is reported as the worker's failure. */
function knownCode(code: string): ErrorCode {
  return (Object.values(ErrorCodes) as string[]).includes(code) ? (code as ErrorCode) : ErrorCodes.interleavedWorker;
}

export function startBuildWorker(side: BuildSide, name: string): BuildWorker {
  const root = resolveBuild(side.dir);
  const child: ChildProcess = fork(join(root, workerScript), [], {
    execPath: side.execPath ?? process.execPath,
    // A clean Node: not this process's flags (a loader, an inspector), which would measure one build differently.
    execArgv: [],
    env: side.env ?? process.env,
    serialization: 'advanced',
    // The worker's own output (a Node warning, a crash) reaches the user; its replies come over IPC.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exited: string | null = null;
  let waiting: { onReply: (reply: WorkerReply) => void; onExit: (why: string) => void } | null = null;
  child.on('message', (reply: WorkerReply) => waiting?.onReply(reply));
  child.on('exit', (code, signal) => {
    exited = signal ? `was killed by ${signal}` : `exited with status ${String(code)}`;
    waiting?.onExit(exited);
  });
  child.on('error', (error) => {
    exited = `could not run: ${error.message}`;
    waiting?.onExit(exited);
  });
  const failure = (message: string) => new KeyscopeError(ErrorCodes.interleavedWorker, `the ${name} build's worker (${root}) ${message}`);
  return {
    root,
    request(message, expect, { onProgress, timeoutMs }) {
      if (exited !== null) return Promise.reject(failure(exited));
      return new Promise((resolvePromise, reject) => {
        // Any message, progress included, shows the worker alive: the clock restarts.
        let timer: NodeJS.Timeout;
        const wait = () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            waiting = null;
            child.kill('SIGKILL');
            reject(failure(`said nothing for ${Math.round(timeoutMs / 1000)} s after "${message.type}"`));
          }, timeoutMs);
        };
        wait();
        waiting = {
          onReply: (reply) => {
            wait();
            if (reply.type === 'progress') return onProgress?.(reply.index, reply.progress);
            clearTimeout(timer);
            waiting = null;
            if (reply.type === 'failed') reject(new KeyscopeError(knownCode(reply.code), `${name} build: ${reply.message}`));
            else if (reply.type !== expect) reject(failure(`answered "${message.type}" with "${reply.type}"`));
            else resolvePromise(reply as Extract<WorkerReply, { type: typeof expect }>);
          },
          onExit: (why) => {
            clearTimeout(timer);
            waiting = null;
            reject(failure(why));
          },
        };
        child.send(message);
      });
    },
    stop() {
      if (child.connected) child.disconnect();
    },
  };
}

/** Refuses a build whose worker speaks another protocol, before anything is measured. */
export function checkProtocol(reply: Extract<WorkerReply, { type: 'opened' }>, root: string): void {
  if (reply.protocol !== interleaveProtocol) {
    throw new KeyscopeError(ErrorCodes.interleavedBuild, `the keyscope build at ${root} speaks interleave protocol ${reply.protocol}, this one ${interleaveProtocol}: use builds of the same keyscope release line`);
  }
}
