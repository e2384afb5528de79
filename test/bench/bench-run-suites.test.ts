import { describe, expect, it } from 'vitest';

import { execFileSync } from 'node:child_process';
import os from 'node:os';

import { defineSuite, type RunEvent, runSuites } from '../../src/index.js';

const suite = defineSuite({
  name: 'tiny',
  budget: { maxTimeMs: 300, minSamples: 20 },
  cases: ({ quick }) => [
    { kind: 'native', name: 'keygen', algorithm: 'ed25519' },
    { kind: 'js', name: 'noop-sum', implementation: 'plain-js', algorithm: '', fn: () => [1, 2, 3].reduce((a, b) => a + b, 0), parameters: { quick } },
    { kind: 'js', name: 'fails', implementation: 'plain-js', algorithm: '', fn: () => { throw new Error('boom'); } },
    { kind: 'js', name: 'absent', implementation: 'webcrypto', algorithm: 'ec-secp256k1', fn: () => 0, skip: 'WebCrypto has no ec-secp256k1 key type' },
    { kind: 'native', name: 'keygen', algorithm: 'rsa-1000' as 'rsa-2048' },
    { kind: 'throughput', name: 'throughput', algorithm: 'ec-p256', threads: 2, durationMs: 150 },
  ],
});

describe('runSuites', async () => {
  const events: RunEvent[] = [];
  const run = await runSuites([suite], { quick: true, label: 'test', onEvent: (e) => events.push(e) });
  const [native, js, failing, skipped, invalid, throughput] = run.cases;

  it('returns a complete run with identity, git state and environment', () => {
    expect(run.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.status).toBe('complete');
    expect(run.label).toBe('test');
    expect(Date.parse(run.endedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
    expect(run.environment).toMatchObject({ node: process.version, openssl: process.versions.openssl, addonBuild: expect.any(String) });
    expect(run.environment.countersAvailable).toContain('task-clock');
    expect(run.cases).toHaveLength(6);
    expect(events.filter((e) => e.type === 'case-end')).toHaveLength(6);
    expect(run.environment.handicap).toBeNull();
  });

  it('measures each case in blocks spread across the run: a round of every case, then the next', () => {
    // --quick: 16 blocks. Not pinned (no cpus given): every block's CPU is null.
    for (const c of [native, js, throughput]) {
      if (c!.state !== 'completed') throw new Error(`${c!.key.case} did not complete`);
      expect(c!.blocks).toHaveLength(16);
      expect(c!.blocks.every((b) => b.cpu === null && b.samples >= 1)).toBe(true);
      expect(c!.blocks.reduce((n, b) => n + b.samples, 0)).toBe(c!.samples.ns.length);
    }
    // Steps run round by round: the first block of every case comes before the second block of any.
    const starts = events.flatMap((e) => (e.type === 'case-start' ? [[e.block, e.index] as const] : []));
    const firstSecond = starts.findIndex(([block]) => block === 1);
    expect(new Set(starts.slice(0, firstSecond).map(([, index]) => index))).toEqual(new Set([0, 1, 2, 4, 5]));
    // Every step ends, measured or passed over (the failed, skipped and invalid cases take no more blocks).
    expect(events.filter((e) => e.type === 'block-end')).toHaveLength(6 * 16);
    const runStart = events.find((e) => e.type === 'run-start');
    expect(runStart).toMatchObject({ cases: 6, blocks: 16 });
    expect(runStart?.type === 'run-start' && runStart.budgetsMs).toHaveLength(96);
  });

  it('measures native cases with cycles, summaries and a histogram', () => {
    expect(native!.state).toBe('completed');
    if (native!.state !== 'completed') return;
    expect(native!.key).toEqual({ suite: 'tiny', case: 'keygen', implementation: 'keyscope-native', algorithm: 'ed25519' });
    // --quick caps the suite's minimum of 20 samples at 10; how many more fit in 300 ms depends on the build (ASan).
    expect(native!.samples.ns.length).toBeGreaterThanOrEqual(10);
    expect(native!.summary.ns.median).toBeGreaterThan(1000);
    expect(native!.histograms.ns.length).toBeGreaterThan(10);
    expect(native!.counters['task-clock']?.available).toBe(true);
  });

  it('samples JS cases with tinybench, one sample per call', () => {
    expect(js!.state).toBe('completed');
    if (js!.state !== 'completed') return;
    expect(js!.parameters).toEqual({ quick: true });
    expect(js!.samples.cycles).toBeNull();
    expect(js!.summary.ns.median).toBeLessThan(100_000);
  });

  it('records errors and skips as such, and goes on', () => {
    expect(failing).toMatchObject({ state: 'errored', error: { message: expect.stringContaining('boom') } });
    expect(skipped).toMatchObject({ state: 'skipped', reason: 'WebCrypto has no ec-secp256k1 key type' });
    expect(invalid).toMatchObject({ state: 'errored', error: { code: 'KS_INVALID_KEY_SIZE' } });
  });

  it('reports throughput of all threads together', () => {
    expect(throughput!.state).toBe('completed');
    if (throughput!.state !== 'completed') return;
    expect(throughput!.parameters).toEqual({ threads: 2 });
    expect(throughput!.throughput).toBeGreaterThan(1000);
  });
});

it('comes back aborted, with the cases finished so far, when its signal aborts', async () => {
  const controller = new AbortController();
  const slow = defineSuite({
    name: 'slow',
    cases: () => [
      { kind: 'native', name: 'a', algorithm: 'ed25519', budget: { maxTimeMs: 100, precision: 1e-9 } },
      { kind: 'native', name: 'b', algorithm: 'rsa-2048', budget: { maxTimeMs: 60_000, precision: 1e-9 } },
      { kind: 'native', name: 'c', algorithm: 'ed25519' },
    ],
  });
  const run = await runSuites([slow], {
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === 'case-start' && e.key.case === 'b') setTimeout(() => controller.abort(new Error('interrupted')), 300);
    },
  });
  expect(run.status).toBe('aborted');
  expect(run.cases.map((c) => c.key.case)).toEqual(['a']);
}, 30_000);

const affinity = () => execFileSync('taskset', ['--cpu-list', '--pid', String(process.pid)], { encoding: 'utf8' }).split(':').pop()!.trim();

// Needs two CPUs to rotate over (CI's VM has two).
it.runIf(os.cpus().length >= 2)('rotates rounds over the CPUs given, records each block\'s CPU, and gives the process its CPUs back', async () => {
  const before = affinity();
  const tiny = defineSuite({
    name: 'rotate',
    budget: { maxTimeMs: 80 },
    cases: () => [
      { kind: 'native', name: 'keygen', algorithm: 'ed25519' },
      { kind: 'throughput', name: 'throughput', algorithm: 'ed25519', threads: 2, durationMs: 80 },
    ],
  });
  const run = await runSuites([tiny], { blocks: 4, cpus: [0, 1], handicap: 0.25 });
  const [keygen, throughput] = run.cases;
  if (keygen?.state !== 'completed' || throughput?.state !== 'completed') throw new Error('a case did not complete');
  expect(keygen.blocks.map((b) => b.cpu)).toEqual([0, 1, 0, 1]);
  // Throughput blocks run on every CPU, whatever their round's: recorded as unpinned.
  expect(throughput.blocks.map((b) => b.cpu)).toEqual([null, null, null, null]);
  expect(run.environment.pinnedCpu).toBeNull();
  expect(run.environment.handicap).toBe(0.25);
  expect(affinity()).toBe(before);
}, 30_000);

it('refuses a block count that is not a whole number from 1 to 1000', async () => {
  const tiny = defineSuite({ name: 'bad', cases: () => [{ kind: 'native', name: 'keygen', algorithm: 'ed25519' }] });
  await expect(runSuites([tiny], { blocks: 0 })).rejects.toMatchObject({ code: 'KS_INVALID_OPTION' });
  await expect(runSuites([tiny], { blocks: 2.5 })).rejects.toMatchObject({ code: 'KS_INVALID_OPTION' });
});
