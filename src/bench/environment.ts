/** The environment fingerprint of a run: what must match for two runs to compare cleanly. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

import { type Counters, keyscopeVersion, nativeAddonPath, opensslInfo } from '../core/index.js';
import type { EnvironmentFingerprint } from '../model/index.js';

function readTrimmed(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

function cpuFlags(): string[] {
  const cpuinfo = readTrimmed('/proc/cpuinfo') ?? '';
  const line = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(cpuinfo);
  return line ? line[1]!.split(/\s+/).sort() : [];
}

function boostState(): boolean | null {
  const cpufreqBoost = readTrimmed('/sys/devices/system/cpu/cpufreq/boost');
  if (cpufreqBoost !== null) return cpufreqBoost === '1';
  const intelNoTurbo = readTrimmed('/sys/devices/system/cpu/intel_pstate/no_turbo');
  return intelNoTurbo === null ? null : intelNoTurbo === '0';
}

export function addonBuildKind(path: string): EnvironmentFingerprint['addonBuild'] {
  if (/[\\/]prebuilds[\\/]/.test(path)) return 'prebuild';
  if (/asan|sanitize/i.test(path)) return 'sanitizer';
  if (/[\\/]Debug[\\/]/.test(path)) return 'debug';
  return 'release';
}

export function environmentFingerprint(observed: { counters: Counters[]; cycleCounter: string | null; pinnedCpu: number | null; handicap: number | null }): EnvironmentFingerprint {
  const available = new Set<string>();
  for (const counters of observed.counters) {
    for (const [name, value] of Object.entries(counters)) if (value?.available) available.add(name);
  }
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cpuFlags: cpuFlags(),
    cores: os.cpus().length,
    governor: readTrimmed('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor'),
    boost: boostState(),
    kernel: os.release(),
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    openssl: opensslInfo().version,
    keyscope: keyscopeVersion,
    addonBuild: addonBuildKind(nativeAddonPath),
    countersAvailable: [...available].sort(),
    cycleCounter: observed.cycleCounter,
    pinnedCpu: observed.pinnedCpu,
    handicap: observed.handicap,
  };
}
