/**
 * One runtime's side of bench/runtimes.bench.ts: a long-lived child process, pinned like its parent, that answers
 * "measure this algorithm" with measureKeygen's samples. The parent forks one per runtime and alternates them.
 */
import { listAlgorithms, measureKeygen, opensslInfo } from '../src/index.js';
import { pinToCpu } from '../src/bench/pin-cpu.js';

interface Request {
  id: string;
  keys: number;
}

const cpu = process.env['KEYSCOPE_BENCH_CPU'];
if (cpu !== undefined) pinToCpu(Number(cpu));

process.on('message', (request: Request) => {
  measureKeygen(request.id as 'ed25519', { iterations: request.keys, warmup: 1, counters: false }).then(
    ({ samples }) => process.send!({ ns: Array.from(samples.ns), candidates: samples.candidates ? Array.from(samples.candidates) : null }),
    (error: Error) => process.send!({ error: error.message }),
  );
});

process.send!({
  node: process.version,
  openssl: opensslInfo().version,
  supported: listAlgorithms().filter((a) => a.supported).map((a) => a.id),
});
