/**
 * CPU affinity for the whole process (every thread, and the libuv pool threads created later, which inherit
 * the mask), through taskset. On these 2-vCPU VMs one vCPU runs key generation up to a third slower than the
 * other; unpinned, a comparison measures which vCPU each side landed on (measured: ratios from 0.76 to 1.04
 * unpinned, 0.99 to 1.01 pinned, for identical code). Throughput cases widen the mask again for their run.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export type PinResult = { pinned: true; cpu: number } | { pinned: false; reason: string };

/**
 * taskset --all-tasks lists the process's threads and then sets each one's mask, and fails when a thread it listed
 * has exited in between (seen once in a local run of the suite under Node 24). A second and third try list the threads again.
 */
function setAffinity(cpuList: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpuList, String(process.pid)], { stdio: 'ignore' });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

function currentAffinity(): string {
  const out = execFileSync('taskset', ['--cpu-list', '--pid', String(process.pid)], { encoding: 'utf8' });
  return out.slice(out.lastIndexOf(':') + 1).trim();
}

/** Moves the whole process (every thread) to `cpu`; throws where taskset cannot. */
export function pinProcess(cpu: number): void {
  setAffinity(String(cpu));
}

/** Runs fn, then puts the process back on the CPUs it had before (a run that rotated CPUs leaves no trace). */
export async function withAffinityRestored<T>(fn: () => Promise<T>): Promise<T> {
  let previous: string | null;
  try {
    previous = currentAffinity();
  } catch {
    previous = null;
  }
  try {
    return await fn();
  } finally {
    if (previous !== null) setAffinity(previous);
  }
}

/**
 * The CPUs this process may run on now (its affinity mask), in order; null where taskset cannot say. A run
 * rotates its rounds through them.
 */
export function allowedCpus(): number[] | null {
  try {
    return expandCpuList(currentAffinity());
  } catch {
    return null;
  }
}

/** "0-2,5" → [0, 1, 2, 5]. */
export function expandCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.split(',')) {
    const [low, high] = part.split('-').map((n) => Number(n.trim()));
    if (!Number.isInteger(low)) throw new Error(`not a CPU list: ${list}`);
    for (let cpu = low!; cpu <= (high ?? low!); cpu++) cpus.push(cpu);
  }
  return cpus;
}

export function pinToCpu(cpu = os.cpus().length - 1): PinResult {
  try {
    setAffinity(String(cpu));
    return { pinned: true, cpu };
  } catch (error) {
    return { pinned: false, reason: `taskset failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Runs fn with every CPU allowed, then restores the previous mask (for multi-threaded throughput cases). */
export async function withAllCpus<T>(fn: () => Promise<T>): Promise<T> {
  let previous: string | null = null;
  try {
    previous = currentAffinity();
    setAffinity(`0-${os.cpus().length - 1}`);
  } catch {
    previous = null; // no taskset: the mask was never narrowed by us either
  }
  try {
    return await fn();
  } finally {
    if (previous !== null) setAffinity(previous);
  }
}
