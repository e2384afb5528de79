/**
 * The worker process of one build in an interleaved session: it plans the suites with this build's code and
 * measures one block at a time when the session asks (interleave-protocol.ts). It is started by interleave.ts
 * with `fork`, from the build's own dist/, so every measured line of code is that build's.
 */
import { KeyscopeError, whileMeasuring } from '../core/index.js';
import type { AdaptiveProgress } from './adaptive.js';
import { discoverSuites } from './discover.js';
import { handicapFromEnvironment } from './handicap.js';
import { interleaveProtocol, type WorkerReply, type WorkerRequest } from './interleave-protocol.js';
import { pinProcess } from './pin-cpu.js';
import { openRunSession, type RunSession } from './run-suites.js';

let session: RunSession | null = null;
let pinnedTo: number | null = null;

function reply(message: WorkerReply): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, undefined, undefined, (error) => (error ? reject(error) : resolve())));
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.type === 'open') {
    process.chdir(request.cwd);
    const suites = await discoverSuites(request.patterns, request.dir ?? undefined);
    // The build's own checkout says its commit; the CI's variables describe the checkout under test, not this build.
    session = await openRunSession(suites, {
      quick: request.quick,
      ...(request.blocks === null ? {} : { blocks: request.blocks }),
      cpus: request.cpus,
      handicap: handicapFromEnvironment(),
      cwd: request.gitCwd,
      environment: {},
    });
    if (request.cpus.length === 1) pinProcess((pinnedTo = request.cpus[0]!));
    const cases = session.cases.map((c) => ({ key: c.key, parameters: c.parameters, open: c.open, blockMs: c.blockMs, budget: c.budget }));
    return { type: 'opened', protocol: interleaveProtocol, cases, blocks: session.blocks };
  }
  if (!session) throw new Error(`"${request.type}" before "open"`);
  const opened = session;
  if (request.type === 'measure') {
    if (request.cpu !== null && request.cpu !== pinnedTo) pinProcess((pinnedTo = request.cpu));
    // Every key a block generates is measurement: analytics records none of them.
    const onProgress = (progress: AdaptiveProgress) => void reply({ type: 'progress', index: request.index, progress }).catch(() => {});
    const block = await whileMeasuring(() => opened.measureBlock(request.index, request.cpu, { onProgress, position: request.position }));
    const open = opened.cases[request.index]!.open;
    return { type: 'measured', index: request.index, open, block, failure: open ? null : opened.result(request.index) };
  }
  return { type: 'closed', run: opened.close(request.status, request.keep) };
}

process.on('message', (request: WorkerRequest) => {
  handle(request).then(reply, (error: unknown) => {
    const code = error instanceof KeyscopeError ? error.code : 'KS_INTERLEAVED_WORKER';
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return reply({ type: 'failed', code, message });
  }).catch(() => process.exit(1));
});
// The session went away (finished, interrupted or crashed): so does the worker.
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole foreground process group: the session decides when to stop (between blocks), and
// closes this worker's run first, so the worker itself does not stop on it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
