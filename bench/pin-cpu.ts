/**
 * Pins the whole benchmark process (every thread, and the libuv pool threads created later, which inherit
 * the mask) to one CPU with taskset. On these 2-vCPU VMs one vCPU runs key generation up to a third slower
 * than the other; unpinned, a comparison measures which vCPU each side landed on (measured: ratios from 0.76
 * to 1.04 unpinned, 0.99 to 1.01 pinned, for identical code).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export type PinResult = { pinned: true; cpu: number } | { pinned: false; reason: string };

export function pinToCpu(cpu = os.cpus().length - 1): PinResult {
  try {
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(cpu), String(process.pid)], { stdio: 'ignore' });
    return { pinned: true, cpu };
  } catch (error) {
    return { pinned: false, reason: `taskset failed: ${(error as Error).message.split('\n')[0]}` };
  }
}
